#pragma once

#include <string>
#include <string_view>

#include <surplus/graphql/schema.hpp>

namespace surplus::graphql::detail {

// Hooks of Int, Float, String, Boolean and ID (section 3.5.1 to 3.5.5), with the coercion
// rules of graphql-js 16 where the specification leaves room (for example, result
// coercion turns `true` into 1 for Int).
ScalarHooks builtin_scalar_hooks(std::string_view name);
bool is_builtin_scalar(std::string_view name);

// True when `hooks` contain the built-in result coercion of String, ID, Boolean, Int or
// Float and that coercion returns `value` unchanged, so the executor can use `value` without
// calling the hook. False for any other hooks, such as those set with
// Schema::set_scalar_hooks.
bool serializes_unchanged(const ScalarHooks& hooks, const Json& value);

// Hooks of a custom scalar without user hooks: values pass through unchanged.
ScalarHooks passthrough_scalar_hooks();

// Converts a literal to JSON without a type (graphql-js valueFromASTUntyped).
Json untyped_value(const ast::Value& value, const Json& variables);

// Formats a number like JavaScript's String(number).
std::string js_number_to_string(double number);

// Shows a value in an error message, as graphql-js `inspect` does for JSON-like values.
std::string inspect(const Json& value);

}  // namespace surplus::graphql::detail
