#pragma once

#include <chrono>
#include <exception>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace surplus::core {

// Stable, client-facing error codes. The string form is what clients match on, so a
// code is never renamed once released.
enum class ErrorCode {
  kValidationFailed,  // 400 VALIDATION_FAILED
  kBadRequest,        // 400 BAD_REQUEST: the request could not be read at all
  kUnauthenticated,   // 401 UNAUTHENTICATED
  kForbidden,         // 403 FORBIDDEN
  kNotFound,          // 404 NOT_FOUND
  kMethodNotAllowed,  // 405 METHOD_NOT_ALLOWED
  kConflict,          // 409 CONFLICT
  kSoldOut,           // 409 SOLD_OUT
  kPayloadTooLarge,   // 413 PAYLOAD_TOO_LARGE
  kUnsupportedMedia,  // 415 UNSUPPORTED_MEDIA_TYPE
  kRateLimited,       // 429 RATE_LIMITED
  kInternal,          // 500 INTERNAL
  kUnavailable,       // 503 UNAVAILABLE
  kTimeout,           // 504 TIMEOUT: a call to another service timed out
  // 409 LIMIT_EXCEEDED: a per-customer maximum (units of one offer) would be exceeded
  kLimitExceeded,
  // 409 OFFER_NOT_ACTIVE: the offer is a draft, cancelled or expired, so it cannot be
  // reserved
  kOfferNotActive,
  // 409 INSUFFICIENT_INVENTORY: the stock on hand is below what the change takes from it
  kInsufficientInventory,
};

std::string_view error_code_name(ErrorCode code);
int error_code_status(ErrorCode code);
std::optional<ErrorCode> error_code_from_name(std::string_view name);

// The one exception type that crosses layers. `message` is safe to show to a client;
// `detail` is for the log only (SQL state, peer address, stack of causes) and never
// leaves the process. `fields` lists per-field problems for VALIDATION_FAILED as
// [{"field": "...", "message": "..."}].
class Error : public std::exception {
 public:
  Error(ErrorCode code, std::string message, std::string detail = {});

  ErrorCode code() const { return code_; }
  int http_status() const { return error_code_status(code_); }
  const std::string& message() const { return message_; }
  const std::string& detail() const { return detail_; }
  const nlohmann::json& fields() const { return fields_; }
  std::optional<std::chrono::seconds> retry_after() const { return retry_after_; }
  const char* what() const noexcept override { return message_.c_str(); }

  Error& with_field(std::string field, std::string message);
  Error& with_retry_after(std::chrono::seconds delay);

  static Error validation(std::string field, std::string message);
  static Error not_found(std::string what);
  static Error forbidden(std::string message = "you are not allowed to do this");
  static Error unauthenticated(std::string message = "a valid access token is required");
  static Error conflict(std::string message);
  static Error internal(std::string detail);
  static Error unavailable(std::string message, std::string detail = {});

 private:
  ErrorCode code_;
  std::string message_;
  std::string detail_;
  nlohmann::json fields_ = nlohmann::json::array();
  std::optional<std::chrono::seconds> retry_after_;
};

}  // namespace surplus::core
