#include "query_params.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>

#include "validation.hpp"

namespace surplus::orders {

std::optional<double> query_number(const http::Request& request, std::string_view name, double min,
                                   double max) {
  auto text = request.query_param(name);
  if (!text) {
    return std::nullopt;
  }
  double value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || !std::isfinite(value) ||
      value < min || value > max) {
    throw core::Error::validation(std::string(name),
                                  fmt::format("must be a number between {} and {}", min, max));
  }
  return value;
}

std::optional<std::string> query_one_of(const http::Request& request, std::string_view name,
                                        const std::vector<std::string_view>& allowed) {
  auto text = request.query_param(name);
  if (!text) {
    return std::nullopt;
  }
  if (std::find(allowed.begin(), allowed.end(), *text) == allowed.end()) {
    std::string list;
    for (auto value : allowed) {
      list += list.empty() ? "" : ", ";
      list += value;
    }
    throw core::Error::validation(std::string(name), "must be one of " + list);
  }
  return std::string(*text);
}

bool query_boolean(const http::Request& request, std::string_view name, bool default_value) {
  auto text = request.query_param(name);
  if (!text) {
    return default_value;
  }
  if (*text == "true") {
    return true;
  }
  if (*text == "false") {
    return false;
  }
  throw core::Error::validation(std::string(name), "must be true or false");
}

std::vector<std::string> query_id_list(const http::Request& request, std::string_view name,
                                       std::size_t max_items) {
  std::vector<std::string> ids;
  auto text = request.query_param(name);
  if (!text || text->empty()) {
    return ids;
  }
  std::string_view rest = *text;
  while (true) {
    auto comma = rest.find(',');
    auto item = rest.substr(0, comma);
    if (!core::is_uuid(item)) {
      throw core::Error::validation(std::string(name), "must be a comma-separated list of UUIDs");
    }
    std::string id = ascii_lower(item);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      ids.push_back(std::move(id));
    }
    if (ids.size() > max_items) {
      throw core::Error::validation(std::string(name),
                                    fmt::format("must list at most {} ids", max_items));
    }
    if (comma == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(comma + 1);
  }
  return ids;
}

}  // namespace surplus::orders
