#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace surplus::core {

// Appends compact JSON text to a string without building a nlohmann::json first. For the
// same values it writes the same bytes as nlohmann::json::dump() with
// error_handler_t::replace, the form http::Response::json sends, provided that the caller
// writes each object's members in nlohmann::json's order, sorted by key. Tests compare the
// two forms for the types written this way.
class JsonWriter {
 public:
  void begin_object();
  void end_object();
  void begin_array();
  void end_array();

  // Writes an object member's name. The name must be ASCII without '"', '\' or control
  // characters, so it needs no escaping.
  void key(std::string_view name);

  void string(std::string_view value);
  void integer(std::int64_t value);
  void number(double value);
  void null();
  // Writes any value through nlohmann::json, for the rare or nested parts.
  void json_value(const nlohmann::json& value);

  const std::string& text() const { return text_; }
  std::string take() { return std::move(text_); }

 private:
  // Writes the comma that separates this value or member from the previous one.
  void separate();

  std::string text_;
  bool after_value_ = false;  // a value or member ended, so the next one needs a comma
};

}  // namespace surplus::core
