#include <algorithm>
#include <charconv>

#include <surplus/core/json_writer.hpp>

namespace surplus::core {
namespace {

// Returns whether every byte is printable ASCII other than '"' and '\', which
// nlohmann::json writes unchanged. Any other byte may need an escape or, in invalid UTF-8,
// a replacement, so such text goes through nlohmann::json.
bool is_plain(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
}

}  // namespace

void JsonWriter::separate() {
  if (after_value_) {
    text_ += ',';
  }
}

void JsonWriter::begin_object() {
  separate();
  text_ += '{';
  after_value_ = false;
}

void JsonWriter::end_object() {
  text_ += '}';
  after_value_ = true;
}

void JsonWriter::begin_array() {
  separate();
  text_ += '[';
  after_value_ = false;
}

void JsonWriter::end_array() {
  text_ += ']';
  after_value_ = true;
}

void JsonWriter::key(std::string_view name) {
  separate();
  text_ += '"';
  text_ += name;
  text_ += "\":";
  after_value_ = false;
}

void JsonWriter::string(std::string_view value) {
  if (!is_plain(value)) {
    json_value(nlohmann::json(value));
    return;
  }
  separate();
  text_ += '"';
  text_ += value;
  text_ += '"';
  after_value_ = true;
}

void JsonWriter::integer(std::int64_t value) {
  separate();
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  text_.append(digits, end);
  after_value_ = true;
}

void JsonWriter::number(double value) {
  json_value(nlohmann::json(value));
}

void JsonWriter::null() {
  separate();
  text_ += "null";
  after_value_ = true;
}

void JsonWriter::json_value(const nlohmann::json& value) {
  separate();
  text_ += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  after_value_ = true;
}

}  // namespace surplus::core
