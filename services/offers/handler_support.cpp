#include "handler_support.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>

namespace surplus::offers {
namespace {

core::Error invalid_query(std::string_view name, const std::string& expected) {
  return core::Error::validation(std::string(name), "expected " + expected);
}

}  // namespace

Actor user_actor(const OffersApp& app, const http::Request& request) {
  return Actor::user(auth::authenticate(request, app.verifier));
}

Actor service_actor(const OffersApp& app, const http::Request& request) {
  app.service_secret.require(request);
  return Actor::internal_service();
}

std::string path_id(const http::Request& request, const std::string& name, std::string_view what) {
  const std::string& value = request.path_param(name);
  if (!core::is_uuid(value)) {
    throw core::Error::not_found(std::string(what) + " " + value);
  }
  return value;
}

std::optional<std::string> query_text(const http::Request& request, std::string_view name) {
  auto value = request.query_param(name);
  if (!value || value->empty()) {
    return std::nullopt;
  }
  return std::string(*value);
}

std::optional<double> query_number(const http::Request& request, std::string_view name, double min,
                                   double max) {
  auto text = query_text(request, name);
  if (!text) {
    return std::nullopt;
  }
  double value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || !std::isfinite(value) ||
      value < min || value > max) {
    throw invalid_query(name, fmt::format("a number from {} to {}, got '{}'", min, max, *text));
  }
  return value;
}

std::optional<std::int64_t> query_integer(const http::Request& request, std::string_view name,
                                          std::int64_t min, std::int64_t max) {
  auto text = query_text(request, name);
  if (!text) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    throw invalid_query(name,
                        fmt::format("a whole number from {} to {}, got '{}'", min, max, *text));
  }
  return value;
}

std::optional<bool> query_bool(const http::Request& request, std::string_view name) {
  auto text = query_text(request, name);
  if (!text) {
    return std::nullopt;
  }
  if (*text == "true") {
    return true;
  }
  if (*text == "false") {
    return false;
  }
  throw invalid_query(name, "true or false");
}

std::optional<core::Timestamp> query_time(const http::Request& request, std::string_view name) {
  auto text = query_text(request, name);
  if (!text) {
    return std::nullopt;
  }
  auto time = core::parse_rfc3339(*text);
  if (!time) {
    throw invalid_query(name, "an RFC 3339 date-time such as 2026-12-04T18:00:00Z");
  }
  return time;
}

std::vector<std::string> query_list(const http::Request& request, std::string_view name) {
  std::vector<std::string> values;
  auto [begin, end] = request.query.equal_range(std::string(name));
  for (auto it = begin; it != end; ++it) {
    std::string_view text = it->second;
    while (!text.empty()) {
      auto comma = text.find(',');
      auto item = text.substr(0, comma);
      if (!item.empty()) {
        values.emplace_back(item);
      }
      if (comma == std::string_view::npos) {
        break;
      }
      text.remove_prefix(comma + 1);
    }
  }
  return values;
}

http::Response created(const nlohmann::json& body) {
  return http::Response::json(body, 201);
}

}  // namespace surplus::offers
