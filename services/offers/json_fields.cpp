#include "json_fields.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include <surplus/core/id.hpp>
#include <surplus/core/utf8.hpp>

namespace surplus::offers {
namespace {

constexpr std::size_t kMaxTokenLength = 40;

std::string trim(std::string_view text) {
  auto begin = text.find_first_not_of(' ');
  if (begin == std::string_view::npos) {
    return {};
  }
  auto end = text.find_last_not_of(' ');
  return std::string(text.substr(begin, end - begin + 1));
}

}  // namespace

bool is_token(std::string_view text) {
  if (text.empty() || text.size() > kMaxTokenLength) {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool is_calendar_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return false;
  }
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  int year = std::stoi(std::string(text.substr(0, 4)));
  unsigned month = static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
  unsigned day = static_cast<unsigned>(std::stoi(std::string(text.substr(8, 2))));
  return std::chrono::year_month_day(std::chrono::year(year), std::chrono::month(month),
                                     std::chrono::day(day))
      .ok();
}

FieldReader::FieldReader(const nlohmann::json& body, std::initializer_list<std::string_view> known)
    : body_(body), error_(core::ErrorCode::kValidationFailed, "the request has invalid fields") {
  if (!body.is_object()) {
    fail("body", "expected a JSON object");
    return;
  }
  for (const auto& [name, value] : body.items()) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      fail(name, "is not a known field");
    }
  }
}

bool FieldReader::has(std::string_view name) const {
  if (!body_.is_object()) {
    return false;
  }
  auto it = body_.find(name);
  return it != body_.end() && !it->is_null();
}

const nlohmann::json* FieldReader::member(std::string_view name, bool required) {
  if (!has(name)) {
    if (required && body_.is_object()) {
      fail(name, "is required");
    }
    return nullptr;
  }
  return &*body_.find(name);
}

void FieldReader::fail(std::string_view name, std::string message) {
  error_.with_field(std::string(name), std::move(message));
}

void FieldReader::finish() const {
  if (!ok()) {
    throw error_;
  }
}

std::optional<std::string> FieldReader::text(std::string_view name, bool required,
                                             std::size_t max_length, bool multiline) {
  const auto* value = member(name, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_string()) {
    fail(name, "expected a string");
    return std::nullopt;
  }
  std::string trimmed = trim(value->get_ref<const std::string&>());
  if (trimmed.empty()) {
    fail(name, "must not be empty");
    return std::nullopt;
  }
  if (trimmed.size() > max_length) {
    fail(name, "must have at most " + std::to_string(max_length) + " bytes");
    return std::nullopt;
  }
  if (core::has_control_character(trimmed, multiline)) {
    fail(name, "must not contain control characters");
    return std::nullopt;
  }
  return trimmed;
}

std::optional<std::string> FieldReader::token(std::string_view name, bool required) {
  const auto* value = member(name, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_string() || !is_token(value->get_ref<const std::string&>())) {
    fail(name, "expected 1-40 characters of a-z, 0-9 and '-'");
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<std::vector<std::string>> FieldReader::tokens(std::string_view name,
                                                            std::size_t max_items) {
  const auto* value = member(name, false);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_array() || value->size() > max_items) {
    fail(name, "expected an array of at most " + std::to_string(max_items) + " strings");
    return std::nullopt;
  }
  std::set<std::string> distinct;
  for (const auto& item : *value) {
    if (!item.is_string() || !is_token(item.get_ref<const std::string&>())) {
      fail(name, "every item must be 1-40 characters of a-z, 0-9 and '-'");
      return std::nullopt;
    }
    distinct.insert(item.get<std::string>());
  }
  return std::vector<std::string>(distinct.begin(), distinct.end());
}

std::optional<std::string> FieldReader::uuid(std::string_view name, bool required) {
  const auto* value = member(name, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_string() || !core::is_uuid(value->get_ref<const std::string&>())) {
    fail(name, "expected a UUID");
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<std::int64_t> FieldReader::integer(std::string_view name, bool required,
                                                 std::int64_t min, std::int64_t max) {
  const auto* value = member(name, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_number_integer()) {
    fail(name, "expected an integer");
    return std::nullopt;
  }
  if (value->is_number_unsigned() &&
      value->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    fail(name, fmt::format("must be between {} and {}, got {}", min, max, value->dump()));
    return std::nullopt;
  }
  auto number = value->get<std::int64_t>();
  if (number < min || number > max) {
    fail(name, fmt::format("must be between {} and {}, got {}", min, max, number));
    return std::nullopt;
  }
  return number;
}

std::optional<double> FieldReader::number(std::string_view name, bool required, double min,
                                          double max) {
  const auto* value = member(name, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_number() || !std::isfinite(value->get<double>()) || value->get<double>() < min ||
      value->get<double>() > max) {
    fail(name,
         "expected a number from " + fmt::format("{}", min) + " to " + fmt::format("{}", max));
    return std::nullopt;
  }
  return value->get<double>();
}

std::optional<bool> FieldReader::boolean(std::string_view name) {
  const auto* value = member(name, false);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_boolean()) {
    fail(name, "expected true or false");
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<core::Money> FieldReader::money(std::string_view name, bool required) {
  const auto* value = member(name, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  try {
    return value->get<core::Money>();
  } catch (const core::Error& error) {
    std::string reason =
        error.fields().empty() ? error.message() : error.fields()[0].value("message", "");
    fail(name, "expected {\"amount\": minor units, \"currency\": ISO 4217 code}: " + reason);
  } catch (const nlohmann::json::exception&) {
    fail(name, "expected {\"amount\": minor units, \"currency\": ISO 4217 code}");
  }
  return std::nullopt;
}

std::optional<core::Timestamp> FieldReader::timestamp(std::string_view name, bool required) {
  const auto* value = member(name, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  std::optional<core::Timestamp> parsed;
  if (value->is_string()) {
    parsed = core::parse_rfc3339(value->get_ref<const std::string&>());
  }
  if (!parsed) {
    fail(name, "expected an RFC 3339 date-time such as 2026-12-04T18:00:00Z");
  }
  return parsed;
}

std::optional<std::string> FieldReader::date(std::string_view name, bool required) {
  const auto* value = member(name, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_string() || !is_calendar_date(value->get_ref<const std::string&>())) {
    fail(name, "expected a date YYYY-MM-DD");
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<core::GeoPoint> FieldReader::point(std::string_view name, bool required) {
  const auto* value = member(name, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  std::string field(name);
  if (!value->is_object()) {
    fail(name, "expected {\"latitude\": degrees, \"longitude\": degrees}");
    return std::nullopt;
  }
  auto latitude = value->find("latitude");
  auto longitude = value->find("longitude");
  bool valid = true;
  if (latitude == value->end() || !latitude->is_number() ||
      !core::is_valid_latitude(latitude->get<double>())) {
    fail(field + ".latitude", "expected a number from -90 to 90");
    valid = false;
  }
  if (longitude == value->end() || !longitude->is_number() ||
      !core::is_valid_longitude(longitude->get<double>())) {
    fail(field + ".longitude", "expected a number from -180 to 180");
    valid = false;
  }
  if (!valid) {
    return std::nullopt;
  }
  return core::GeoPoint{latitude->get<double>(), longitude->get<double>()};
}

std::optional<nlohmann::json> FieldReader::object(std::string_view name, bool required) {
  const auto* value = member(name, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_object()) {
    fail(name, "expected an object");
    return std::nullopt;
  }
  return *value;
}

std::optional<std::string> FieldReader::one_of(std::string_view name, bool required,
                                               std::initializer_list<std::string_view> allowed) {
  const auto* value = member(name, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (value->is_string()) {
    const auto& text = value->get_ref<const std::string&>();
    if (std::find(allowed.begin(), allowed.end(), text) != allowed.end()) {
      return text;
    }
  }
  std::string expected;
  for (auto option : allowed) {
    expected += expected.empty() ? "" : ", ";
    expected += option;
  }
  fail(name, "expected one of " + expected);
  return std::nullopt;
}

}  // namespace surplus::offers
