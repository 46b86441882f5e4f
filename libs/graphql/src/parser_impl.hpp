#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <surplus/graphql/ast.hpp>
#include <surplus/graphql/parser.hpp>

#include "lexer.hpp"

namespace surplus::graphql::detail {

// Recursive descent parser for section 2 (parser.cpp) and section 3
// (type_system_parser.cpp) of the specification.
class Parser {
 public:
  Parser(std::string_view source, const ParseOptions& options)
      : lexer_(source, options.max_tokens), max_depth_(options.max_depth) {
    lexer_.advance();
  }

  ast::Document parse_document();
  ast::Value parse_single_value();

 private:
  // RAII guard for ParseOptions::max_depth.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser& parser) : parser_(parser) {
      if (++parser_.depth_ > parser_.max_depth_) {
        parser_.fail(parser_.token().location,
                     "Document nesting exceeds " + std::to_string(parser_.max_depth_) + " levels.");
      }
    }
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& parser_;
  };

  const Token& token() const { return lexer_.current(); }
  bool peek(TokenKind kind) const { return token().kind == kind; }
  bool peek_keyword(std::string_view word) const {
    return peek(TokenKind::kName) && token().name == word;
  }
  [[noreturn]] void fail(ast::Location location, const std::string& message) const {
    throw SyntaxError("Syntax Error: " + message, location);
  }
  [[noreturn]] void unexpected(const Token& at) const {
    fail(at.location, "Unexpected " + detail::describe(at) + ".");
  }

  ast::Location expect(TokenKind kind);
  // The error of expect(), out of line to keep expect() small.
  [[noreturn, gnu::cold, gnu::noinline]] void fail_expected(TokenKind kind) const;
  bool skip(TokenKind kind);
  void expect_keyword(std::string_view word);
  std::string parse_name();
  void parse_name_into(std::string& name);
  ast::NamedTypeRef parse_named_type();

  ast::Definition parse_definition();
  ast::OperationDefinition parse_operation_definition();
  ast::OperationType parse_operation_type();
  std::vector<ast::VariableDefinition> parse_variable_definitions();
  ast::VariableDefinition parse_variable_definition();
  std::vector<ast::Selection> parse_selection_set();
  // The selection parsers fill a node that is already in its selection set, so the large
  // Selection struct is not moved after parsing.
  void parse_selection(ast::Selection& selection);
  void parse_field(ast::Selection& field);
  void parse_fragment(ast::Location start, ast::Selection& selection);
  ast::FragmentDefinition parse_fragment_definition();
  std::vector<ast::Argument> parse_arguments(bool is_const);
  ast::Value parse_value(bool is_const);
  ast::Value parse_list(bool is_const);
  ast::Value parse_object(bool is_const);
  std::vector<ast::Directive> parse_directives(bool is_const);
  ast::TypeRefPtr parse_type_reference();

  std::string parse_description();
  ast::Definition parse_type_system_definition(std::string description, bool is_extension,
                                               ast::Location start);
  ast::SchemaDefinition parse_schema_definition(std::string description, bool is_extension,
                                                ast::Location start);
  ast::TypeDefinition parse_type_definition(ast::TypeDefinition::Kind kind, std::string description,
                                            bool is_extension, ast::Location start);
  std::vector<ast::NamedTypeRef> parse_implements_interfaces();
  std::vector<ast::FieldDefinition> parse_fields_definition();
  std::vector<ast::InputValueDefinition> parse_argument_definitions(TokenKind open,
                                                                    TokenKind close);
  ast::InputValueDefinition parse_input_value_definition();
  std::vector<ast::NamedTypeRef> parse_union_members();
  std::vector<ast::EnumValueDefinition> parse_enum_values();
  ast::DirectiveDefinition parse_directive_definition(std::string description, ast::Location start);
  void check_extension_not_empty(const ast::TypeDefinition& type) const;

  Lexer lexer_;
  std::size_t max_depth_;
  std::size_t depth_ = 0;
};

}  // namespace surplus::graphql::detail
