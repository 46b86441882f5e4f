#pragma once

#include <string>
#include <string_view>

#include <surplus/graphql/ast.hpp>

// Prints syntax tree nodes back as GraphQL source, the way graphql-js `print` does, for
// error messages and for default values in introspection (section 4.2.6 defaultValue).
namespace surplus::graphql::detail {

// A string literal with JSON-style escapes; control characters become \uXXXX.
std::string print_string(std::string_view text);

// Lists as `[1, 2]`, input objects as `{a: 1, b: "x"}`.
std::string print_value(const ast::Value& value);

// A type reference as written: `[Int!]!`.
std::string print_type(const ast::TypeRef& reference);

}  // namespace surplus::graphql::detail
