#include "pagination.hpp"

#include <charconv>

#include <surplus/auth/jwt.hpp>
#include <surplus/core/error.hpp>

namespace surplus::orders {

PageRequest read_page_request(const http::Request& request) {
  PageRequest page;
  if (auto first = request.query_param("first")) {
    std::size_t value = 0;
    auto [end, error] = std::from_chars(first->data(), first->data() + first->size(), value);
    if (error != std::errc() || end != first->data() + first->size() || value < 1 ||
        value > kMaxPageSize) {
      throw core::Error::validation("first", "must be a whole number from 1 to 100");
    }
    page.first = value;
  }
  if (auto after = request.query_param("after")) {
    auto bytes = auth::base64url_decode(*after);
    nlohmann::json key;
    if (bytes) {
      key = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
    }
    if (!key.is_object()) {
      throw core::Error::validation("after", "is not a cursor returned by this list");
    }
    page.after = std::move(key);
  }
  return page;
}

std::string encode_cursor(const nlohmann::json& sort_key) {
  return auth::base64url_encode(sort_key.dump());
}

nlohmann::json page_json(nlohmann::json items, const std::optional<nlohmann::json>& next_key) {
  return {{"items", std::move(items)},
          {"nextCursor", next_key ? nlohmann::json(encode_cursor(*next_key)) : nlohmann::json()}};
}

}  // namespace surplus::orders
