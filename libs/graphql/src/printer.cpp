#include "printer.hpp"

#include <cstdio>

namespace surplus::graphql::detail {

std::string print_string(std::string_view text) {
  std::string printed = "\"";
  printed.reserve(text.size() + 2);
  for (std::size_t index = 0; index < text.size(); ++index) {
    const auto byte = static_cast<unsigned char>(text[index]);
    // U+0080 to U+009F are C1 control characters, encoded in UTF-8 as C2 80 to C2 9F.
    const bool is_c1 = byte == 0xC2 && index + 1 < text.size() &&
                       static_cast<unsigned char>(text[index + 1]) <= 0x9F &&
                       static_cast<unsigned char>(text[index + 1]) >= 0x80;
    if (byte >= 0x20 && byte != 0x7F && byte != '"' && byte != '\\' && !is_c1) {
      printed += static_cast<char>(byte);
      continue;
    }
    switch (byte) {
      case '"':
        printed += "\\\"";
        continue;
      case '\\':
        printed += "\\\\";
        continue;
      case '\b':
        printed += "\\b";
        continue;
      case '\t':
        printed += "\\t";
        continue;
      case '\n':
        printed += "\\n";
        continue;
      case '\f':
        printed += "\\f";
        continue;
      case '\r':
        printed += "\\r";
        continue;
      default:
        break;
    }
    unsigned code = byte;
    if (is_c1) {
      code = static_cast<unsigned char>(text[++index]);
    }
    char escape[8];
    std::snprintf(escape, sizeof escape, "\\u%04X", code);
    printed += escape;
  }
  printed += '"';
  return printed;
}

std::string print_value(const ast::Value& value) {
  switch (value.kind) {
    case ast::ValueKind::kVariable:
      return "$" + value.text;
    case ast::ValueKind::kString:
      return print_string(value.text);
    case ast::ValueKind::kBoolean:
      return value.boolean ? "true" : "false";
    case ast::ValueKind::kNull:
      return "null";
    case ast::ValueKind::kList: {
      std::string printed = "[";
      for (std::size_t index = 0; index < value.items.size(); ++index) {
        printed += (index == 0 ? "" : ", ") + print_value(value.items[index]);
      }
      return printed + "]";
    }
    case ast::ValueKind::kObject: {
      std::string printed = "{";
      for (std::size_t index = 0; index < value.fields.size(); ++index) {
        const auto& field = value.fields[index];
        printed += (index == 0 ? "" : ", ") + field.name + ": " + print_value(field.value);
      }
      return printed + "}";
    }
    case ast::ValueKind::kInt:
    case ast::ValueKind::kFloat:
    case ast::ValueKind::kEnum:
      return value.text;
  }
  return value.text;
}

namespace {

// Builds `before + text + after` by appending, because prepending to a temporary string
// trips a false -Wrestrict warning of g++ 12 at -O2 and above.
std::string wrap(std::string_view before, const std::string& text, std::string_view after) {
  std::string result(before);
  result += text;
  result += after;
  return result;
}

}  // namespace

std::string print_type(const ast::TypeRef& reference) {
  switch (reference.kind) {
    case ast::TypeRef::Kind::kList:
      return wrap("[", print_type(*reference.of_type), "]");
    case ast::TypeRef::Kind::kNonNull:
      return print_type(*reference.of_type) + "!";
    case ast::TypeRef::Kind::kNamed:
      break;
  }
  return reference.name;
}

}  // namespace surplus::graphql::detail
