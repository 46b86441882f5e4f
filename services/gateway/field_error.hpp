#pragma once

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <surplus/core/error.hpp>
#include <surplus/graphql/error.hpp>
#include <surplus/graphql/resolver.hpp>

namespace surplus::gateway {

using graphql::Json;

// Codes of `extensions.code` in field errors. A client matches on these strings.
inline constexpr std::string_view kUnauthenticated = "UNAUTHENTICATED";
inline constexpr std::string_view kForbidden = "FORBIDDEN";
inline constexpr std::string_view kNotFound = "NOT_FOUND";
inline constexpr std::string_view kBadUserInput = "BAD_USER_INPUT";
inline constexpr std::string_view kSoldOut = "SOLD_OUT";
inline constexpr std::string_view kConflict = "CONFLICT";
inline constexpr std::string_view kRateLimited = "RATE_LIMITED";
inline constexpr std::string_view kUnavailable = "UNAVAILABLE";
inline constexpr std::string_view kInternal = "INTERNAL";

// A resolver failure with the `extensions` of its GraphQL error: at least {"code": ...}.
// The engine turns what() into the error message; the gateway adds the extensions by path.
class FieldFailure : public std::runtime_error {
 public:
  FieldFailure(std::string_view code, const std::string& message, Json extensions = Json::object());

  const Json& extensions() const { return extensions_; }
  std::string code() const { return extensions_.value("code", std::string(kInternal)); }

 private:
  Json extensions_;
};

// Converts the error of a call to `service` into a field failure:
//   VALIDATION_FAILED, BAD_REQUEST          BAD_USER_INPUT, with the per-field list in
//                                           extensions.fields
//   UNAUTHENTICATED, FORBIDDEN, NOT_FOUND,
//   CONFLICT, SOLD_OUT, RATE_LIMITED        the same code
//   LIMIT_EXCEEDED, OFFER_NOT_ACTIVE,
//   INSUFFICIENT_INVENTORY                  CONFLICT, with the service's code in
//                                           extensions.reason
//   UNAVAILABLE, TIMEOUT                    UNAVAILABLE, naming the service
//   anything else                           INTERNAL, with a generic message
// The message shown is the service's problem detail, which is written for clients.
FieldFailure field_failure_from(const core::Error& error, std::string_view service);

// The extensions of the field errors of one request, by response path, so that the
// transport can attach them to the errors the engine produced. Thread-safe.
class ErrorExtensions {
 public:
  void record(const std::vector<graphql::PathElement>& path, const Json& extensions);
  // Adds the recorded extensions to each error with a matching path; errors of the engine
  // itself (a null in a non-null field) get INTERNAL.
  void apply(std::vector<graphql::GraphQLError>& errors) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::vector<graphql::PathElement>, Json> by_path_;
};

}  // namespace surplus::gateway
