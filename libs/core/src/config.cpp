#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

#include <surplus/core/config.hpp>

namespace surplus::core {
namespace {

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) {
    return std::nullopt;
  }
  return value;
}

// Splits "30s" into 30 and "s"; the number part must be a non-negative integer.
std::optional<std::pair<std::int64_t, std::string_view>> split_number_unit(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  auto number = parse_integer(text.substr(0, digits));
  if (!number) {
    return std::nullopt;
  }
  return std::pair{*number, text.substr(digits)};
}

}  // namespace

ConfigError::ConfigError(std::string variable, const std::string& message)
    : std::runtime_error(message), variable_(std::move(variable)) {}

EnvReader::EnvReader()
    : lookup_([](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) {
          return std::nullopt;
        }
        return std::string(value);
      }) {}

EnvReader::EnvReader(Lookup lookup) : lookup_(std::move(lookup)) {}

std::optional<std::string> EnvReader::raw(const std::string& name) const {
  auto value = lookup_(name);
  if (value && value->empty()) {
    return std::nullopt;
  }
  return value;
}

std::string EnvReader::string(const std::string& name, std::string default_value) const {
  return raw(name).value_or(std::move(default_value));
}

std::string EnvReader::required_string(const std::string& name) const {
  auto value = raw(name);
  if (!value) {
    throw ConfigError(name, fmt::format("{} is not set; set it and start again", name));
  }
  return *value;
}

std::int64_t EnvReader::integer(const std::string& name, std::int64_t default_value,
                                std::int64_t min, std::int64_t max) const {
  auto value = raw(name);
  if (!value) {
    return default_value;
  }
  auto number = parse_integer(*value);
  if (!number || *number < min || *number > max) {
    throw ConfigError(name, fmt::format("{}='{}' is invalid: expected a whole number from {} to {}",
                                        name, *value, min, max));
  }
  return *number;
}

std::uint16_t EnvReader::port(const std::string& name, std::uint16_t default_value) const {
  return static_cast<std::uint16_t>(integer(name, default_value, 1, 65535));
}

bool EnvReader::boolean(const std::string& name, bool default_value) const {
  auto value = raw(name);
  if (!value) {
    return default_value;
  }
  if (*value == "1" || *value == "true" || *value == "yes" || *value == "on") {
    return true;
  }
  if (*value == "0" || *value == "false" || *value == "no" || *value == "off") {
    return false;
  }
  throw ConfigError(name, fmt::format("{}='{}' is invalid: expected true or false", name, *value));
}

std::chrono::milliseconds EnvReader::duration(const std::string& name,
                                              std::chrono::milliseconds default_value) const {
  auto value = raw(name);
  if (!value) {
    return default_value;
  }
  auto parsed = parse_duration(*value);
  if (!parsed) {
    throw ConfigError(name,
                      fmt::format("{}='{}' is invalid: expected a duration such as 250ms, 30s, "
                                  "5m or 1h",
                                  name, *value));
  }
  return *parsed;
}

std::int64_t EnvReader::byte_size(const std::string& name, std::int64_t default_value) const {
  auto value = raw(name);
  if (!value) {
    return default_value;
  }
  auto parsed = parse_byte_size(*value);
  if (!parsed) {
    throw ConfigError(name, fmt::format("{}='{}' is invalid: expected a size such as 1048576, "
                                        "64KiB, 1MiB or 2GiB",
                                        name, *value));
  }
  return *parsed;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto parts = split_number_unit(text);
  if (!parts) {
    return std::nullopt;
  }
  auto [number, unit] = *parts;
  std::int64_t factor = 0;
  if (unit == "ms") {
    factor = 1;
  } else if (unit == "s") {
    factor = 1000;
  } else if (unit == "m") {
    factor = 60'000;
  } else if (unit == "h") {
    factor = 3'600'000;
  } else {
    return std::nullopt;
  }
  if (number > std::numeric_limits<std::int64_t>::max() / factor) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(number * factor);
}

std::optional<std::int64_t> parse_byte_size(std::string_view text) {
  auto parts = split_number_unit(text);
  if (!parts) {
    return std::nullopt;
  }
  auto [number, unit] = *parts;
  std::int64_t factor = 0;
  if (unit.empty() || unit == "B") {
    factor = 1;
  } else if (unit == "KiB") {
    factor = std::int64_t{1} << 10;
  } else if (unit == "MiB") {
    factor = std::int64_t{1} << 20;
  } else if (unit == "GiB") {
    factor = std::int64_t{1} << 30;
  } else {
    return std::nullopt;
  }
  if (number > std::numeric_limits<std::int64_t>::max() / factor) {
    return std::nullopt;
  }
  return number * factor;
}

}  // namespace surplus::core
