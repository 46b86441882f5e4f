#include <array>
#include <utility>

#include "parser_impl.hpp"

// Type system definitions and extensions (specification, October 2021, section 3).
namespace surplus::graphql::detail {
namespace {

// 3.13 ExecutableDirectiveLocation and TypeSystemDirectiveLocation, plus DIRECTIVE_DEFINITION,
// which graphql-js 16.15 lists in __DirectiveLocation for deprecating directives.
constexpr std::array<std::string_view, 20> kDirectiveLocations = {"QUERY",
                                                                  "MUTATION",
                                                                  "SUBSCRIPTION",
                                                                  "FIELD",
                                                                  "FRAGMENT_DEFINITION",
                                                                  "FRAGMENT_SPREAD",
                                                                  "INLINE_FRAGMENT",
                                                                  "VARIABLE_DEFINITION",
                                                                  "SCHEMA",
                                                                  "SCALAR",
                                                                  "OBJECT",
                                                                  "FIELD_DEFINITION",
                                                                  "ARGUMENT_DEFINITION",
                                                                  "INTERFACE",
                                                                  "UNION",
                                                                  "ENUM",
                                                                  "ENUM_VALUE",
                                                                  "INPUT_OBJECT",
                                                                  "INPUT_FIELD_DEFINITION",
                                                                  "DIRECTIVE_DEFINITION"};

bool is_directive_location(std::string_view name) {
  for (const auto location : kDirectiveLocations) {
    if (location == name) {
      return true;
    }
  }
  return false;
}

}  // namespace

// 3.2 Description :: StringValue
std::string Parser::parse_description() {
  if (!peek(TokenKind::kString) && !peek(TokenKind::kBlockString)) {
    return {};
  }
  std::string description = token().value;
  lexer_.advance();
  return description;
}

// 3.1 TypeSystemDefinition and 3.1.1 TypeSystemExtension; "extend" is already consumed
// when `is_extension` is set.
ast::Definition Parser::parse_type_system_definition(std::string description, bool is_extension,
                                                     ast::Location start) {
  using Kind = ast::TypeDefinition::Kind;
  if (!peek(TokenKind::kName)) {
    unexpected(token());
  }
  const std::string_view word = token().name;
  if (word == "schema") {
    return parse_schema_definition(std::move(description), is_extension, start);
  }
  if (word == "directive" && !is_extension) {
    return parse_directive_definition(std::move(description), start);
  }
  static const std::pair<std::string_view, Kind> kKinds[] = {
      {"scalar", Kind::kScalar}, {"type", Kind::kObject}, {"interface", Kind::kInterface},
      {"union", Kind::kUnion},   {"enum", Kind::kEnum},   {"input", Kind::kInputObject}};
  for (const auto& [keyword, kind] : kKinds) {
    if (word == keyword) {
      return parse_type_definition(kind, std::move(description), is_extension, start);
    }
  }
  unexpected(token());
}

// 3.3 SchemaDefinition and 3.3.2 SchemaExtension
ast::SchemaDefinition Parser::parse_schema_definition(std::string description, bool is_extension,
                                                      ast::Location start) {
  ast::SchemaDefinition schema;
  schema.description = std::move(description);
  schema.is_extension = is_extension;
  schema.location = start;
  expect_keyword("schema");
  schema.directives = parse_directives(true);
  const bool has_operations = peek(TokenKind::kBraceL);
  if (!is_extension || has_operations) {
    expect(TokenKind::kBraceL);
    do {
      ast::RootOperationType root;
      root.operation = parse_operation_type();
      expect(TokenKind::kColon);
      root.type = parse_named_type();
      schema.operation_types.push_back(std::move(root));
    } while (!skip(TokenKind::kBraceR));
  }
  if (is_extension && schema.directives.empty() && schema.operation_types.empty()) {
    unexpected(token());
  }
  return schema;
}

// 3.4 TypeDefinition (3.5 to 3.10) and 3.4.3 TypeExtension
ast::TypeDefinition Parser::parse_type_definition(ast::TypeDefinition::Kind kind,
                                                  std::string description, bool is_extension,
                                                  ast::Location start) {
  using Kind = ast::TypeDefinition::Kind;
  ast::TypeDefinition type;
  type.kind = kind;
  type.description = std::move(description);
  type.is_extension = is_extension;
  type.location = start;
  lexer_.advance();
  type.name = parse_name();
  if (kind == Kind::kObject || kind == Kind::kInterface) {
    type.interfaces = parse_implements_interfaces();
  }
  type.directives = parse_directives(true);
  switch (kind) {
    case Kind::kScalar:
      break;
    case Kind::kObject:
    case Kind::kInterface:
      type.fields = parse_fields_definition();
      break;
    case Kind::kUnion:
      type.members = parse_union_members();
      break;
    case Kind::kEnum:
      type.values = parse_enum_values();
      break;
    case Kind::kInputObject:
      type.input_fields = parse_argument_definitions(TokenKind::kBraceL, TokenKind::kBraceR);
      break;
  }
  if (is_extension) {
    check_extension_not_empty(type);
  }
  return type;
}

// An extension has to add something (3.4.3 and the Extension rules of 3.5 to 3.10).
void Parser::check_extension_not_empty(const ast::TypeDefinition& type) const {
  if (type.interfaces.empty() && type.directives.empty() && type.fields.empty() &&
      type.members.empty() && type.values.empty() && type.input_fields.empty()) {
    unexpected(token());
  }
}

// 3.6 ImplementsInterfaces :: implements &? NamedType ( & NamedType )*
std::vector<ast::NamedTypeRef> Parser::parse_implements_interfaces() {
  std::vector<ast::NamedTypeRef> interfaces;
  if (!peek_keyword("implements")) {
    return interfaces;
  }
  lexer_.advance();
  skip(TokenKind::kAmp);
  do {
    interfaces.push_back(parse_named_type());
  } while (skip(TokenKind::kAmp));
  return interfaces;
}

// 3.6 FieldsDefinition :: { FieldDefinition+ }
std::vector<ast::FieldDefinition> Parser::parse_fields_definition() {
  std::vector<ast::FieldDefinition> fields;
  if (!skip(TokenKind::kBraceL)) {
    return fields;
  }
  do {
    ast::FieldDefinition field;
    field.location = token().location;
    field.description = parse_description();
    field.name = parse_name();
    field.arguments = parse_argument_definitions(TokenKind::kParenL, TokenKind::kParenR);
    expect(TokenKind::kColon);
    field.type = parse_type_reference();
    field.directives = parse_directives(true);
    fields.push_back(std::move(field));
  } while (!skip(TokenKind::kBraceR));
  return fields;
}

// 3.6.1 ArgumentsDefinition :: ( InputValueDefinition+ ) and
// 3.10 InputFieldsDefinition :: { InputValueDefinition+ }
std::vector<ast::InputValueDefinition> Parser::parse_argument_definitions(TokenKind open,
                                                                          TokenKind close) {
  std::vector<ast::InputValueDefinition> definitions;
  if (!skip(open)) {
    return definitions;
  }
  do {
    definitions.push_back(parse_input_value_definition());
  } while (!skip(close));
  return definitions;
}

// 3.6.1 InputValueDefinition :: Description? Name : Type DefaultValue? Directives[Const]?
ast::InputValueDefinition Parser::parse_input_value_definition() {
  ast::InputValueDefinition definition;
  definition.location = token().location;
  definition.description = parse_description();
  definition.name = parse_name();
  expect(TokenKind::kColon);
  definition.type = parse_type_reference();
  if (skip(TokenKind::kEquals)) {
    definition.default_value = parse_value(true);
  }
  definition.directives = parse_directives(true);
  return definition;
}

// 3.8 UnionMemberTypes :: = |? NamedType ( | NamedType )*
std::vector<ast::NamedTypeRef> Parser::parse_union_members() {
  std::vector<ast::NamedTypeRef> members;
  if (!skip(TokenKind::kEquals)) {
    return members;
  }
  skip(TokenKind::kPipe);
  do {
    members.push_back(parse_named_type());
  } while (skip(TokenKind::kPipe));
  return members;
}

// 3.9 EnumValuesDefinition :: { EnumValueDefinition+ }; EnumValue is a Name other than
// true, false or null.
std::vector<ast::EnumValueDefinition> Parser::parse_enum_values() {
  std::vector<ast::EnumValueDefinition> values;
  if (!skip(TokenKind::kBraceL)) {
    return values;
  }
  do {
    ast::EnumValueDefinition value;
    value.location = token().location;
    value.description = parse_description();
    if (peek_keyword("true") || peek_keyword("false") || peek_keyword("null")) {
      fail(token().location,
           describe(token()) + " is reserved and cannot be used for an enum value.");
    }
    value.name = parse_name();
    value.directives = parse_directives(true);
    values.push_back(std::move(value));
  } while (!skip(TokenKind::kBraceR));
  return values;
}

// 3.13 DirectiveDefinition :: Description? directive @ Name ArgumentsDefinition?
//      repeatable? on DirectiveLocations
ast::DirectiveDefinition Parser::parse_directive_definition(std::string description,
                                                            ast::Location start) {
  ast::DirectiveDefinition directive;
  directive.description = std::move(description);
  directive.location = start;
  expect_keyword("directive");
  expect(TokenKind::kAt);
  directive.name = parse_name();
  directive.arguments = parse_argument_definitions(TokenKind::kParenL, TokenKind::kParenR);
  if (peek_keyword("repeatable")) {
    directive.repeatable = true;
    lexer_.advance();
  }
  expect_keyword("on");
  skip(TokenKind::kPipe);
  do {
    const Token location = token();
    ast::NamedTypeRef name = parse_named_type();
    if (!is_directive_location(name.name)) {
      unexpected(location);
    }
    directive.locations.push_back(std::move(name));
  } while (skip(TokenKind::kPipe));
  return directive;
}

}  // namespace surplus::graphql::detail
