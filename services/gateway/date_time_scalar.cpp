#include "date_time_scalar.hpp"

#include <stdexcept>
#include <string>

#include <surplus/core/time.hpp>

namespace surplus::gateway {
namespace {

using Json = graphql::Json;

constexpr const char* kExample = "2026-05-01T17:30:00Z";

Json checked_date_time(const std::string& text) {
  if (!core::parse_rfc3339(text)) {
    throw std::invalid_argument("DateTime cannot represent \"" + text +
                                "\": expected an RFC 3339 date-time such as " + kExample);
  }
  return text;
}

}  // namespace

void install_date_time_scalar(graphql::Schema& schema) {
  graphql::ScalarHooks hooks;
  hooks.serialize = [](const Json& value) {
    if (!value.is_string()) {
      throw std::invalid_argument("DateTime cannot represent a non-string value: " + value.dump());
    }
    return value;
  };
  hooks.parse_value = [](const Json& value) {
    if (!value.is_string()) {
      throw std::invalid_argument("DateTime cannot represent a non-string value: " + value.dump() +
                                  "; send a string such as " + kExample);
    }
    return checked_date_time(value.get<std::string>());
  };
  hooks.parse_literal = [](const graphql::ast::Value& literal, const Json&) {
    if (literal.kind != graphql::ast::ValueKind::kString) {
      throw std::invalid_argument(std::string("DateTime must be a string such as ") + kExample);
    }
    return checked_date_time(literal.text);
  };
  schema.set_scalar_hooks("DateTime", std::move(hooks));
}

}  // namespace surplus::gateway
