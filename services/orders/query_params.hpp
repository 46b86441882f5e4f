#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <surplus/http/request.hpp>

namespace surplus::orders {

// Query parameter `name` as a finite number in [min, max], or nullopt when absent.
// Throws VALIDATION_FAILED naming it otherwise.
std::optional<double> query_number(const http::Request& request, std::string_view name, double min,
                                   double max);

// Query parameter `name` as one of `allowed`, or nullopt when absent. Throws
// VALIDATION_FAILED naming it otherwise.
std::optional<std::string> query_one_of(const http::Request& request, std::string_view name,
                                        const std::vector<std::string_view>& allowed);

// Query parameter `name` as true/false, or `default_value` when absent.
bool query_boolean(const http::Request& request, std::string_view name, bool default_value);

// Query parameter `name` as a comma-separated list of UUIDs, at most `max_items`.
std::vector<std::string> query_id_list(const http::Request& request, std::string_view name,
                                       std::size_t max_items);

}  // namespace surplus::orders
