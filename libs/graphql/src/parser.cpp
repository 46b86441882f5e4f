#include <utility>

#include <surplus/graphql/parser.hpp>

#include "parser_impl.hpp"

// Syntactic grammar (specification, October 2021, section 2 and section 3) as a recursive
// descent over the tokens of lexer.cpp. Error messages follow graphql-js 16 so that the
// two read alike side by side.
namespace surplus::graphql::detail {

ast::Location Parser::expect(TokenKind kind) {
  if (!peek(kind)) {
    fail_expected(kind);
  }
  const ast::Location location = token().location;
  lexer_.advance();
  return location;
}

void Parser::fail_expected(TokenKind kind) const {
  fail(token().location,
       "Expected " + detail::describe(kind) + ", found " + detail::describe(token()) + ".");
}

bool Parser::skip(TokenKind kind) {
  if (!peek(kind)) {
    return false;
  }
  lexer_.advance();
  return true;
}

void Parser::expect_keyword(std::string_view word) {
  if (!peek_keyword(word)) {
    fail(token().location,
         "Expected \"" + std::string(word) + "\", found " + detail::describe(token()) + ".");
  }
  lexer_.advance();
}

// 2.1.9 Name
std::string Parser::parse_name() {
  std::string name;
  parse_name_into(name);
  return name;
}

// Assigns in place, so that a name is copied once from the source into the node.
void Parser::parse_name_into(std::string& name) {
  if (!peek(TokenKind::kName)) {
    fail_expected(TokenKind::kName);
  }
  name.assign(token().name);
  lexer_.advance();
}

// 2.11 NamedType
ast::NamedTypeRef Parser::parse_named_type() {
  ast::NamedTypeRef ref;
  ref.location = token().location;
  ref.name = parse_name();
  return ref;
}

// 2.2 Document :: Definition+
ast::Document Parser::parse_document() {
  ast::Document document;
  do {
    document.definitions.push_back(parse_definition());
  } while (!peek(TokenKind::kEndOfFile));
  return document;
}

ast::Value Parser::parse_single_value() {
  ast::Value value = parse_value(true);
  expect(TokenKind::kEndOfFile);
  return value;
}

// 2.2 Definition :: ExecutableDefinition | TypeSystemDefinitionOrExtension
ast::Definition Parser::parse_definition() {
  if (peek(TokenKind::kBraceL)) {
    return parse_operation_definition();
  }
  const bool has_description = peek(TokenKind::kString) || peek(TokenKind::kBlockString);
  const Token& keyword = has_description ? lexer_.lookahead() : token();
  if (has_description && keyword.kind == TokenKind::kBraceL) {
    fail(token().location,
         "Unexpected description, descriptions are not supported on shorthand queries.");
  }
  if (keyword.kind == TokenKind::kName) {
    const std::string_view word = keyword.name;
    if (word == "schema" || word == "scalar" || word == "type" || word == "interface" ||
        word == "union" || word == "enum" || word == "input" || word == "directive") {
      const ast::Location start = token().location;
      std::string description = parse_description();
      return parse_type_system_definition(std::move(description), false, start);
    }
    if (word == "query" || word == "mutation" || word == "subscription") {
      return parse_operation_definition();
    }
    if (word == "fragment") {
      return parse_fragment_definition();
    }
    if (has_description) {
      fail(token().location,
           "Unexpected description, only GraphQL definitions support descriptions.");
    }
    if (word == "extend") {
      const ast::Location start = token().location;
      lexer_.advance();
      return parse_type_system_definition({}, true, start);
    }
  }
  unexpected(keyword);
}

// 2.3 OperationDefinition
ast::OperationDefinition Parser::parse_operation_definition() {
  ast::OperationDefinition operation;
  operation.location = token().location;
  if (peek(TokenKind::kBraceL)) {
    operation.selections = parse_selection_set();
    return operation;
  }
  operation.description = parse_description();
  operation.operation = parse_operation_type();
  if (peek(TokenKind::kName)) {
    operation.name_location = token().location;
    operation.name = parse_name();
  }
  operation.variables = parse_variable_definitions();
  operation.directives = parse_directives(false);
  operation.selections = parse_selection_set();
  return operation;
}

// 2.3 OperationType
ast::OperationType Parser::parse_operation_type() {
  if (peek_keyword("query")) {
    lexer_.advance();
    return ast::OperationType::kQuery;
  }
  if (peek_keyword("mutation")) {
    lexer_.advance();
    return ast::OperationType::kMutation;
  }
  if (peek_keyword("subscription")) {
    lexer_.advance();
    return ast::OperationType::kSubscription;
  }
  unexpected(token());
}

// 2.10 VariablesDefinition :: ( VariableDefinition+ )
std::vector<ast::VariableDefinition> Parser::parse_variable_definitions() {
  std::vector<ast::VariableDefinition> definitions;
  if (skip(TokenKind::kParenL)) {
    do {
      definitions.push_back(parse_variable_definition());
    } while (!skip(TokenKind::kParenR));
  }
  return definitions;
}

// 2.10 VariableDefinition :: Variable : Type DefaultValue? Directives[Const]?
ast::VariableDefinition Parser::parse_variable_definition() {
  ast::VariableDefinition definition;
  definition.location = token().location;
  definition.description = parse_description();
  expect(TokenKind::kDollar);
  definition.name_location = token().location;
  definition.name = parse_name();
  expect(TokenKind::kColon);
  definition.type = parse_type_reference();
  if (skip(TokenKind::kEquals)) {
    definition.default_value = parse_value(true);
  }
  definition.directives = parse_directives(true);
  return definition;
}

// 2.4 SelectionSet :: { Selection+ }
std::vector<ast::Selection> Parser::parse_selection_set() {
  DepthGuard guard(*this);
  std::vector<ast::Selection> selections;
  // Most selection sets are small; one allocation covers them.
  selections.reserve(4);
  expect(TokenKind::kBraceL);
  do {
    parse_selection(selections.emplace_back());
  } while (!skip(TokenKind::kBraceR));
  return selections;
}

// 2.4 Selection :: Field | FragmentSpread | InlineFragment
void Parser::parse_selection(ast::Selection& selection) {
  if (peek(TokenKind::kSpread)) {
    const ast::Location start = token().location;
    lexer_.advance();
    parse_fragment(start, selection);
    return;
  }
  parse_field(selection);
}

// 2.5 Field :: Alias? Name Arguments? Directives? SelectionSet?
void Parser::parse_field(ast::Selection& field) {
  field.location = token().location;
  parse_name_into(field.name);
  if (skip(TokenKind::kColon)) {
    field.alias.swap(field.name);
    parse_name_into(field.name);
  }
  // Most fields have neither, and the checks here spare two calls that return empty vectors.
  if (peek(TokenKind::kParenL)) {
    field.arguments = parse_arguments(false);
  }
  if (peek(TokenKind::kAt)) {
    field.directives = parse_directives(false);
  }
  if (peek(TokenKind::kBraceL)) {
    field.selection_set_location = token().location;
    field.selections = parse_selection_set();
    field.has_selection_set = true;
  }
}

// 2.8 FragmentSpread :: ... FragmentName Directives?
//     InlineFragment :: ... TypeCondition? Directives? SelectionSet
void Parser::parse_fragment(ast::Location start, ast::Selection& selection) {
  selection.location = start;
  const bool has_type_condition = peek_keyword("on");
  if (!has_type_condition && peek(TokenKind::kName)) {
    selection.kind = ast::Selection::Kind::kFragmentSpread;
    selection.name_location = token().location;
    parse_name_into(selection.name);
    if (peek(TokenKind::kAt)) {
      selection.directives = parse_directives(false);
    }
    return;
  }
  selection.kind = ast::Selection::Kind::kInlineFragment;
  if (has_type_condition) {
    lexer_.advance();
    selection.name_location = token().location;
    selection.type_condition = parse_name();
  }
  selection.directives = parse_directives(false);
  selection.selections = parse_selection_set();
  selection.has_selection_set = true;
}

// 2.8 FragmentDefinition :: fragment FragmentName TypeCondition Directives? SelectionSet
ast::FragmentDefinition Parser::parse_fragment_definition() {
  ast::FragmentDefinition fragment;
  fragment.location = token().location;
  fragment.description = parse_description();
  expect_keyword("fragment");
  if (peek_keyword("on")) {
    unexpected(token());
  }
  fragment.name_location = token().location;
  fragment.name = parse_name();
  expect_keyword("on");
  fragment.type_condition_location = token().location;
  fragment.type_condition = parse_name();
  fragment.directives = parse_directives(false);
  fragment.selections = parse_selection_set();
  return fragment;
}

// 2.6 Arguments[Const] :: ( Argument[?Const]+ )
std::vector<ast::Argument> Parser::parse_arguments(bool is_const) {
  std::vector<ast::Argument> arguments;
  if (!skip(TokenKind::kParenL)) {
    return arguments;
  }
  do {
    ast::Argument argument;
    argument.location = token().location;
    parse_name_into(argument.name);
    expect(TokenKind::kColon);
    argument.value = parse_value(is_const);
    arguments.push_back(std::move(argument));
  } while (!skip(TokenKind::kParenR));
  return arguments;
}

// 2.9 Value[Const]
ast::Value Parser::parse_value(bool is_const) {
  ast::Value value;
  value.location = token().location;
  switch (token().kind) {
    case TokenKind::kBracketL:
      return parse_list(is_const);
    case TokenKind::kBraceL:
      return parse_object(is_const);
    case TokenKind::kInt:
      value.kind = ast::ValueKind::kInt;
      break;
    case TokenKind::kFloat:
      value.kind = ast::ValueKind::kFloat;
      break;
    case TokenKind::kString:
    case TokenKind::kBlockString:
      value.kind = ast::ValueKind::kString;
      value.block = token().kind == TokenKind::kBlockString;
      break;
    case TokenKind::kName:
      if (token().name == "true" || token().name == "false") {
        value.kind = ast::ValueKind::kBoolean;
        value.boolean = token().name == "true";
      } else if (token().name == "null") {
        value.kind = ast::ValueKind::kNull;
      } else {
        value.kind = ast::ValueKind::kEnum;
      }
      break;
    case TokenKind::kDollar:
      if (is_const) {
        const Token& name = lexer_.lookahead();
        if (name.kind == TokenKind::kName) {
          fail(token().location,
               "Unexpected variable \"$" + std::string(name.name) + "\" in constant value.");
        }
        unexpected(token());
      }
      lexer_.advance();
      value.kind = ast::ValueKind::kVariable;
      value.text = parse_name();
      return value;
    default:
      unexpected(token());
  }
  value.text = lexer_.take_value();
  lexer_.advance();
  return value;
}

// 2.9.7 ListValue[Const] :: [ ] | [ Value[?Const]+ ]
ast::Value Parser::parse_list(bool is_const) {
  DepthGuard guard(*this);
  ast::Value list;
  list.kind = ast::ValueKind::kList;
  list.location = expect(TokenKind::kBracketL);
  while (!skip(TokenKind::kBracketR)) {
    list.items.push_back(parse_value(is_const));
  }
  return list;
}

// 2.9.8 ObjectValue[Const] :: { } | { ObjectField[?Const]+ }
ast::Value Parser::parse_object(bool is_const) {
  DepthGuard guard(*this);
  ast::Value object;
  object.kind = ast::ValueKind::kObject;
  object.location = expect(TokenKind::kBraceL);
  while (!skip(TokenKind::kBraceR)) {
    ast::ObjectField field;
    field.location = token().location;
    field.name = parse_name();
    expect(TokenKind::kColon);
    field.value = parse_value(is_const);
    object.fields.push_back(std::move(field));
  }
  return object;
}

// 2.12 Directives[Const] :: Directive[?Const]+
std::vector<ast::Directive> Parser::parse_directives(bool is_const) {
  std::vector<ast::Directive> directives;
  while (peek(TokenKind::kAt)) {
    ast::Directive directive;
    directive.location = token().location;
    lexer_.advance();
    parse_name_into(directive.name);
    directive.arguments = parse_arguments(is_const);
    directives.push_back(std::move(directive));
  }
  return directives;
}

// 2.11 Type :: NamedType | ListType | NonNullType
ast::TypeRefPtr Parser::parse_type_reference() {
  DepthGuard guard(*this);
  auto type = std::make_shared<ast::TypeRef>();
  type->location = token().location;
  if (skip(TokenKind::kBracketL)) {
    type->kind = ast::TypeRef::Kind::kList;
    type->of_type = parse_type_reference();
    expect(TokenKind::kBracketR);
  } else {
    type->name = parse_name();
  }
  if (skip(TokenKind::kBang)) {
    auto non_null = std::make_shared<ast::TypeRef>();
    non_null->kind = ast::TypeRef::Kind::kNonNull;
    non_null->location = type->location;
    non_null->of_type = std::move(type);
    return non_null;
  }
  return type;
}

}  // namespace surplus::graphql::detail

namespace surplus::graphql {

ast::Document parse(std::string_view source, const ParseOptions& options) {
  detail::Parser parser(source, options);
  return parser.parse_document();
}

ast::Value parse_const_value(std::string_view source, const ParseOptions& options) {
  detail::Parser parser(source, options);
  return parser.parse_single_value();
}

}  // namespace surplus::graphql
