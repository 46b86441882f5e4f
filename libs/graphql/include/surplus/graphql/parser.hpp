#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include <surplus/graphql/ast.hpp>

namespace surplus::graphql {

// Bounds that keep a hostile document from exhausting memory or the stack.
struct ParseOptions {
  std::size_t max_tokens = 100'000;
  // Nesting of selection sets, list and object values and type references together.
  std::size_t max_depth = 256;
};

// A document that does not match the grammar, or one that exceeds a ParseOptions bound.
// `what()` reads like graphql-js: "Syntax Error: Expected Name, found <EOF>."
class SyntaxError : public std::runtime_error {
 public:
  SyntaxError(std::string message, ast::Location location)
      : std::runtime_error(std::move(message)), location_(location) {}

  ast::Location location() const { return location_; }

 private:
  ast::Location location_;
};

// Parses an executable or type system document (section 2.2 and section 3). Throws
// SyntaxError at the first token that does not fit.
ast::Document parse(std::string_view source, const ParseOptions& options = {});

// Parses a single input value such as `{a: [1, 2]}` (section 2.9), for default values
// given as text. Variables are rejected because they are not constant.
ast::Value parse_const_value(std::string_view source, const ParseOptions& options = {});

}  // namespace surplus::graphql
