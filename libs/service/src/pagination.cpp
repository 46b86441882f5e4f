#include <charconv>

#include <surplus/auth/jwt.hpp>
#include <surplus/core/error.hpp>
#include <surplus/core/json_nesting.hpp>
#include <surplus/service/pagination.hpp>

namespace surplus::service {

PageRequest read_page_request(const http::Request& request) {
  PageRequest page;
  if (auto first = request.query_param("first")) {
    std::size_t value = 0;
    auto [end, error] = std::from_chars(first->data(), first->data() + first->size(), value);
    if (error != std::errc() || end != first->data() + first->size() || value < 1 ||
        value > kMaxPageSize) {
      throw core::Error::validation(
          "first", "expected a whole number from 1 to " + std::to_string(kMaxPageSize));
    }
    page.first = value;
  }
  if (auto after = request.query_param("after")) {
    auto decoded = auth::base64url_decode(*after);
    nlohmann::json key;
    if (decoded && core::json_nesting_within(*decoded)) {
      key = nlohmann::json::parse(*decoded, nullptr, false);
    }
    if (!decoded || !key.is_object()) {
      throw core::Error::validation("after", "is not a cursor from this service; start without it");
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
          {"nextCursor", next_key ? nlohmann::json(encode_cursor(*next_key)) : nullptr}};
}

}  // namespace surplus::service
