#include "scalars.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>

namespace surplus::graphql::detail {
namespace {

constexpr double kMinInt = -2147483648.0;
constexpr double kMaxInt = 2147483647.0;
// Floats with an integral value below this magnitude are output as integers.
constexpr double kIntegralFloatLimit = 9.0e15;

[[noreturn]] void reject(const std::string& message) {
  throw std::invalid_argument(message);
}

// A string such as "12" or " 1.5" that JavaScript's Number() accepts; empty when not numeric.
std::optional<double> numeric_string(const std::string& text) {
  if (text.empty() || text.find_first_not_of(" \t\n\r") == std::string::npos) {
    return 0.0;
  }
  char* end = nullptr;
  const double number = std::strtod(text.c_str(), &end);
  while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r') {
    ++end;
  }
  if (*end != '\0' || text.find_first_of("xXnN") != std::string::npos) {
    return std::nullopt;
  }
  return number;
}

Json make_number(double number) {
  if (std::floor(number) == number && std::abs(number) < kIntegralFloatLimit) {
    return static_cast<std::int64_t>(number);
  }
  return number;
}

// Result coercion of Int (section 3.5.1).
Json serialize_int(const Json& value) {
  double number = 0;
  if (value.is_boolean()) {
    return value.get<bool>() ? 1 : 0;
  }
  if (value.is_number()) {
    number = value.get<double>();
  } else if (value.is_string()) {
    const auto parsed = numeric_string(value.get<std::string>());
    if (!parsed || value.get<std::string>().empty()) {
      reject("Int cannot represent non-integer value: " + inspect(value));
    }
    number = *parsed;
  } else {
    reject("Int cannot represent non-integer value: " + inspect(value));
  }
  if (std::floor(number) != number || !std::isfinite(number)) {
    reject("Int cannot represent non-integer value: " + inspect(value));
  }
  if (number < kMinInt || number > kMaxInt) {
    reject("Int cannot represent non 32-bit signed integer value: " + inspect(value));
  }
  return static_cast<std::int64_t>(number);
}

Json parse_int(const Json& value) {
  if (!value.is_number() || std::floor(value.get<double>()) != value.get<double>()) {
    reject("Int cannot represent non-integer value: " + inspect(value));
  }
  if (value.get<double>() < kMinInt || value.get<double>() > kMaxInt) {
    reject("Int cannot represent non 32-bit signed integer value: " + inspect(value));
  }
  return static_cast<std::int64_t>(value.get<double>());
}

Json parse_int_literal(const ast::Value& literal, const Json&) {
  if (literal.kind != ast::ValueKind::kInt) {
    reject("Int cannot represent non-integer value: " + literal.text);
  }
  const double number = std::strtod(literal.text.c_str(), nullptr);
  if (number < kMinInt || number > kMaxInt) {
    reject("Int cannot represent non 32-bit signed integer value: " + literal.text);
  }
  return static_cast<std::int64_t>(number);
}

// Section 3.5.2 Float.
Json serialize_float(const Json& value) {
  if (value.is_boolean()) {
    return value.get<bool>() ? 1 : 0;
  }
  if (value.is_number()) {
    return make_number(value.get<double>());
  }
  if (value.is_string() && !value.get<std::string>().empty()) {
    if (const auto parsed = numeric_string(value.get<std::string>())) {
      return make_number(*parsed);
    }
  }
  reject("Float cannot represent non numeric value: " + inspect(value));
}

Json parse_float(const Json& value) {
  if (!value.is_number()) {
    reject("Float cannot represent non numeric value: " + inspect(value));
  }
  return make_number(value.get<double>());
}

Json parse_float_literal(const ast::Value& literal, const Json&) {
  if (literal.kind != ast::ValueKind::kInt && literal.kind != ast::ValueKind::kFloat) {
    reject("Float cannot represent non numeric value: " + literal.text);
  }
  return make_number(std::strtod(literal.text.c_str(), nullptr));
}

// Section 3.5.3 String.
Json serialize_string(const Json& value) {
  if (value.is_string()) {
    return value;
  }
  if (value.is_boolean()) {
    return value.get<bool>() ? "true" : "false";
  }
  if (value.is_number()) {
    return js_number_to_string(value.get<double>());
  }
  reject("String cannot represent value: " + inspect(value));
}

Json parse_string(const Json& value) {
  if (!value.is_string()) {
    reject("String cannot represent a non string value: " + inspect(value));
  }
  return value;
}

Json parse_string_literal(const ast::Value& literal, const Json&) {
  if (literal.kind != ast::ValueKind::kString) {
    reject("String cannot represent a non string value: " + literal.text);
  }
  return literal.text;
}

// Section 3.5.4 Boolean.
Json serialize_boolean(const Json& value) {
  if (value.is_boolean()) {
    return value;
  }
  if (value.is_number()) {
    return value.get<double>() != 0;
  }
  reject("Boolean cannot represent a non boolean value: " + inspect(value));
}

Json parse_boolean(const Json& value) {
  if (!value.is_boolean()) {
    reject("Boolean cannot represent a non boolean value: " + inspect(value));
  }
  return value;
}

Json parse_boolean_literal(const ast::Value& literal, const Json&) {
  if (literal.kind != ast::ValueKind::kBoolean) {
    reject("Boolean cannot represent a non boolean value: " + literal.text);
  }
  return literal.boolean;
}

// Section 3.5.5 ID: serialized as a string; integers are accepted as input.
Json serialize_id(const Json& value) {
  if (value.is_string()) {
    return value;
  }
  if (value.is_number() && std::floor(value.get<double>()) == value.get<double>()) {
    return js_number_to_string(value.get<double>());
  }
  reject("ID cannot represent value: " + inspect(value));
}

Json parse_id(const Json& value) {
  if (value.is_string()) {
    return value;
  }
  if (value.is_number() && std::floor(value.get<double>()) == value.get<double>()) {
    return js_number_to_string(value.get<double>());
  }
  reject("ID cannot represent value: " + inspect(value));
}

Json parse_id_literal(const ast::Value& literal, const Json&) {
  if (literal.kind != ast::ValueKind::kString && literal.kind != ast::ValueKind::kInt) {
    reject("ID cannot represent a non-string and non-integer value: " + literal.text);
  }
  return literal.text;
}

}  // namespace

bool is_builtin_scalar(std::string_view name) {
  return name == "Int" || name == "Float" || name == "String" || name == "Boolean" || name == "ID";
}

ScalarHooks builtin_scalar_hooks(std::string_view name) {
  if (name == "Int") {
    return {serialize_int, parse_int, parse_int_literal};
  }
  if (name == "Float") {
    return {serialize_float, parse_float, parse_float_literal};
  }
  if (name == "String") {
    return {serialize_string, parse_string, parse_string_literal};
  }
  if (name == "Boolean") {
    return {serialize_boolean, parse_boolean, parse_boolean_literal};
  }
  return {serialize_id, parse_id, parse_id_literal};
}

bool serializes_unchanged(const ScalarHooks& hooks, const Json& value) {
  using Serialize = Json (*)(const Json&);
  const Serialize* serialize = hooks.serialize.target<Serialize>();
  if (serialize == nullptr) {
    return false;
  }

  if (*serialize == serialize_string || *serialize == serialize_id) {
    return value.is_string();
  }
  if (*serialize == serialize_boolean) {
    return value.is_boolean();
  }

  // serialize_int and serialize_float store integers as signed numbers. An unsigned number
  // (as the JSON parser stores positive integers) counts as unchanged, because it compares
  // equal and prints the same.
  const auto* integer = value.get_ptr<const Json::number_integer_t*>();
  const auto* unsigned_integer = value.get_ptr<const Json::number_unsigned_t*>();
  if (*serialize == serialize_int) {
    return (integer != nullptr && *integer >= static_cast<std::int64_t>(kMinInt) &&
            *integer <= static_cast<std::int64_t>(kMaxInt)) ||
           (unsigned_integer != nullptr &&
            *unsigned_integer <= static_cast<std::uint64_t>(kMaxInt));
  }

  if (*serialize == serialize_float) {
    // make_number turns a float with an integral value into an integer, so only a fraction
    // or an integer below its limit stays as it is.
    if (const auto* number = value.get_ptr<const Json::number_float_t*>()) {
      return std::floor(*number) != *number;
    }
    constexpr auto kLimit = static_cast<std::int64_t>(kIntegralFloatLimit);
    return (integer != nullptr && *integer > -kLimit && *integer < kLimit) ||
           (unsigned_integer != nullptr && *unsigned_integer < static_cast<std::uint64_t>(kLimit));
  }
  return false;
}

ScalarHooks passthrough_scalar_hooks() {
  const auto identity = [](const Json& value) { return value; };
  return {identity, identity, untyped_value};
}

Json untyped_value(const ast::Value& value, const Json& variables) {
  switch (value.kind) {
    case ast::ValueKind::kInt:
    case ast::ValueKind::kFloat:
      return make_number(std::strtod(value.text.c_str(), nullptr));
    case ast::ValueKind::kString:
    case ast::ValueKind::kEnum:
      return value.text;
    case ast::ValueKind::kBoolean:
      return value.boolean;
    case ast::ValueKind::kNull:
      return nullptr;
    case ast::ValueKind::kVariable: {
      const auto found = variables.is_object() ? variables.find(value.text) : variables.end();
      return found == variables.end() ? Json() : *found;
    }
    case ast::ValueKind::kList: {
      Json list = Json::array();
      for (const auto& item : value.items) {
        list.push_back(untyped_value(item, variables));
      }
      return list;
    }
    case ast::ValueKind::kObject: {
      Json object = Json::object();
      for (const auto& field : value.fields) {
        object[field.name] = untyped_value(field.value, variables);
      }
      return object;
    }
  }
  return nullptr;
}

std::string js_number_to_string(double number) {
  if (std::floor(number) == number && std::abs(number) < 1e21) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f", number);
    return buffer;
  }
  std::string text = Json(number).dump();
  const auto exponent = text.find('e');
  if (exponent != std::string::npos) {
    std::string mantissa = text.substr(0, exponent);
    if (mantissa.size() > 2 && mantissa.substr(mantissa.size() - 2) == ".0") {
      mantissa.resize(mantissa.size() - 2);
    }
    std::string power = text.substr(exponent + 1);
    const char sign = power[0] == '-' ? '-' : '+';
    power.erase(0, power.find_first_not_of("+-0"));
    text = mantissa + "e" + sign + power;
  }
  return text;
}

std::string inspect(const Json& value) {
  if (value.is_null()) {
    return "null";
  }
  if (value.is_number()) {
    return js_number_to_string(value.get<double>());
  }
  return value.dump();
}

}  // namespace surplus::graphql::detail
