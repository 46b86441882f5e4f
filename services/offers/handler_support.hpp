#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/time.hpp>
#include <surplus/http/request.hpp>
#include <surplus/http/response.hpp>

#include "actor.hpp"
#include "offers_app.hpp"

// Helpers shared by the HTTP handlers of the offers service.
namespace surplus::offers {

// One HTTP route: method, path pattern and handler.
struct Route {
  std::string method;
  std::string pattern;
  std::function<http::Response(OffersApp&, http::Request&)> handler;
};

// The user behind the request's access token, or an anonymous actor without one. Throws
// UNAUTHENTICATED for a malformed, expired or forged token.
Actor user_actor(const OffersApp& app, const http::Request& request);

// The internal-service actor. Throws UNAUTHENTICATED unless the request carries the
// service secret in X-Service-Secret.
Actor service_actor(const OffersApp& app, const http::Request& request);

// The path parameter `name`, which must be a UUID; NOT_FOUND naming `what` otherwise,
// because no such resource can exist.
std::string path_id(const http::Request& request, const std::string& name, std::string_view what);

// Query parameters; each throws VALIDATION_FAILED naming the parameter when malformed.
std::optional<std::string> query_text(const http::Request& request, std::string_view name);
std::optional<double> query_number(const http::Request& request, std::string_view name, double min,
                                   double max);
std::optional<std::int64_t> query_integer(const http::Request& request, std::string_view name,
                                          std::int64_t min, std::int64_t max);
std::optional<bool> query_bool(const http::Request& request, std::string_view name);
std::optional<core::Timestamp> query_time(const http::Request& request, std::string_view name);
// Comma-separated values, also from repeated parameters (`?tag=a,b&tag=c`).
std::vector<std::string> query_list(const http::Request& request, std::string_view name);

http::Response created(const nlohmann::json& body);

}  // namespace surplus::offers
