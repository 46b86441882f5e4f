#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace surplus::core {

// Thrown when an environment variable is present but malformed, or required and missing.
// what() is one line naming the variable, the value seen and the expected form, so a
// service can print it and exit.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string variable, const std::string& message);
  const std::string& variable() const { return variable_; }

 private:
  std::string variable_;
};

// Reads typed settings from the process environment. Every accessor takes the default
// that applies when the variable is unset; an empty value counts as unset.
class EnvReader {
 public:
  using Lookup = std::function<std::optional<std::string>(const std::string&)>;

  // Reads the real environment.
  EnvReader();
  // Reads from `lookup`, for tests.
  explicit EnvReader(Lookup lookup);

  std::string string(const std::string& name, std::string default_value) const;
  std::string required_string(const std::string& name) const;
  std::int64_t integer(const std::string& name, std::int64_t default_value, std::int64_t min,
                       std::int64_t max) const;
  std::uint16_t port(const std::string& name, std::uint16_t default_value) const;
  bool boolean(const std::string& name, bool default_value) const;
  // Accepts a whole number followed by ms, s, m or h ("250ms", "30s", "5m").
  std::chrono::milliseconds duration(const std::string& name,
                                     std::chrono::milliseconds default_value) const;
  // Accepts a whole number of bytes, optionally followed by KiB, MiB or GiB.
  std::int64_t byte_size(const std::string& name, std::int64_t default_value) const;

  std::optional<std::string> raw(const std::string& name) const;

 private:
  Lookup lookup_;
};

// Parsers shared with command-line options; each returns nullopt on malformed input.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
std::optional<std::int64_t> parse_byte_size(std::string_view text);

}  // namespace surplus::core
