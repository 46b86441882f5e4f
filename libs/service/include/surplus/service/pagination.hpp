#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <surplus/http/request.hpp>

namespace surplus::service {

// Cursor pagination shared by the list endpoints of every service.
inline constexpr std::size_t kDefaultPageSize = 20;
inline constexpr std::size_t kMaxPageSize = 100;

// `?first=N&after=<cursor>` of a list request. A cursor is base64url (no padding) of a
// JSON object holding the sort key of the last item of the previous page.
struct PageRequest {
  std::size_t first = kDefaultPageSize;
  std::optional<nlohmann::json> after;  // the decoded sort key, always an object
};

// Throws VALIDATION_FAILED naming `first` (not 1-100) or `after` (not a cursor).
PageRequest read_page_request(const http::Request& request);

std::string encode_cursor(const nlohmann::json& sort_key);

// {"items": items, "nextCursor": cursor of `next_key`, or null on the last page}.
nlohmann::json page_json(nlohmann::json items, const std::optional<nlohmann::json>& next_key);

}  // namespace surplus::service
