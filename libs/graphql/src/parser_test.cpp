#include <cstdint>
#include <utility>

#include <gtest/gtest.h>

#include <surplus/graphql/parser.hpp>

namespace surplus::graphql {
namespace {

using ast::ValueKind;

ast::Location syntax_error_location(std::string_view source, std::string* message = nullptr) {
  try {
    parse(source);
  } catch (const SyntaxError& error) {
    if (message != nullptr) {
      *message = error.what();
    }
    return error.location();
  }
  ADD_FAILURE() << "no syntax error for: " << source;
  return {};
}

const ast::OperationDefinition& first_operation(const ast::Document& document) {
  return std::get<ast::OperationDefinition>(document.definitions.at(0));
}

TEST(Parser, ShorthandQuery) {
  const auto document = parse("{ hero { name friends { name } } }");
  const auto& operation = first_operation(document);
  EXPECT_EQ(operation.operation, ast::OperationType::kQuery);
  ASSERT_EQ(operation.selections.size(), 1u);
  EXPECT_EQ(operation.selections[0].name, "hero");
  EXPECT_EQ(operation.selections[0].selections.size(), 2u);
  EXPECT_EQ(operation.selections[0].location.line, 1u);
  EXPECT_EQ(operation.selections[0].location.column, 3u);
}

TEST(Parser, VariablesWithDefaultsAndDirectives) {
  const auto document = parse(
      "query Q($id: ID! = \"4\", $list: [Int!] = [1, 2]) @dir {\n"
      "  node(id: $id) @include(if: true) { ...F ... on User { name } }\n"
      "}\n"
      "fragment F on Node { id }");
  const auto& operation = first_operation(document);
  EXPECT_EQ(operation.name, "Q");
  ASSERT_EQ(operation.variables.size(), 2u);
  EXPECT_EQ(operation.variables[0].type->kind, ast::TypeRef::Kind::kNonNull);
  EXPECT_EQ(operation.variables[0].default_value->text, "4");
  EXPECT_EQ(operation.variables[1].default_value->items.size(), 2u);
  const auto& node = operation.selections.at(0);
  EXPECT_EQ(node.arguments.at(0).value.kind, ValueKind::kVariable);
  EXPECT_EQ(node.directives.at(0).name, "include");
  EXPECT_EQ(node.selections.at(0).kind, ast::Selection::Kind::kFragmentSpread);
  EXPECT_EQ(node.selections.at(1).kind, ast::Selection::Kind::kInlineFragment);
  EXPECT_EQ(node.selections.at(1).type_condition, "User");
  const auto& fragment = std::get<ast::FragmentDefinition>(document.definitions.at(1));
  EXPECT_EQ(fragment.type_condition, "Node");
  EXPECT_EQ(fragment.location.line, 4u);
}

TEST(Parser, UnicodeEscapes) {
  const auto value = parse_const_value(R"("\u00e9 \u{1F600} \uD83D\uDE00 \n")");
  EXPECT_EQ(value.text, "\xC3\xA9 \xF0\x9F\x98\x80 \xF0\x9F\x98\x80 \n");
}

TEST(Parser, LoneSurrogateIsRejected) {
  std::string message;
  const auto location = syntax_error_location(R"({ f(a: "ab\uD83Dx") })", &message);
  EXPECT_EQ(location.column, 11u);
  EXPECT_NE(message.find("Invalid Unicode escape sequence"), std::string::npos);
}

TEST(Parser, BlockStringArgument) {
  const auto value = parse_const_value("\"\"\"\n    line one\n      two \\\"\"\"\n  \"\"\"");
  EXPECT_EQ(value.text, "line one\n  two \"\"\"");
}

TEST(Parser, MissingNameAtEnd) {
  std::string message;
  const auto location = syntax_error_location("{ a {", &message);
  EXPECT_EQ(message, "Syntax Error: Expected Name, found <EOF>.");
  EXPECT_EQ(location.line, 1u);
  EXPECT_EQ(location.column, 6u);
}

TEST(Parser, ErrorLocationOnLaterLine) {
  std::string message;
  const auto location = syntax_error_location("{\n  a\n  b(x: )\n}", &message);
  EXPECT_EQ(message, "Syntax Error: Unexpected \")\".");
  EXPECT_EQ(location.line, 3u);
  EXPECT_EQ(location.column, 8u);
}

TEST(Parser, NumberLexicalErrors) {
  EXPECT_EQ(syntax_error_location("{ f(a: 012) }").column, 9u);
  EXPECT_EQ(syntax_error_location("{ f(a: 1.) }").column, 10u);
  EXPECT_EQ(syntax_error_location("{ f(a: 12abc) }").column, 10u);
}

TEST(Parser, UnterminatedString) {
  const auto location = syntax_error_location("{ f(a: \"abc\n) }");
  EXPECT_EQ(location.line, 1u);
  EXPECT_EQ(location.column, 12u);
}

TEST(Parser, ColumnsCountUtf16Units) {
  // The emoji takes two UTF-16 code units, as in graphql-js.
  const auto location = syntax_error_location("{ f(a: \"\xF0\x9F\x98\x80\") ?}");
  EXPECT_EQ(location.column, 14u);
}

// Node locations after a byte order mark, strings with multi-byte characters, "\r\n", a
// lone "\r", a comment and a block string that spans two lines, as graphql-js 16 reports
// them.
TEST(Parser, NodeLocationsAfterLineBreaksAndStrings) {
  const auto document = parse(
      "\xEF\xBB\xBF{ a(s: \"\xC3\xA9\xF0\x9F\x98\x80\") b\r\n  c # \xE2\x9C\x93\r  d(t: "
      "\"\"\"x\n\xC3\xA9y\"\"\") e }");
  const auto& selections = first_operation(document).selections;
  ASSERT_EQ(selections.size(), 5u);
  const std::pair<std::uint32_t, std::uint32_t> expected[] = {
      {1, 4}, {1, 16}, {2, 3}, {3, 3}, {4, 8}};
  for (std::size_t index = 0; index < selections.size(); ++index) {
    EXPECT_EQ(selections[index].location.line, expected[index].first) << selections[index].name;
    EXPECT_EQ(selections[index].location.column, expected[index].second) << selections[index].name;
  }
  ASSERT_EQ(selections[0].arguments.size(), 1u);
  EXPECT_EQ(selections[0].arguments[0].value.location.line, 1u);
  EXPECT_EQ(selections[0].arguments[0].value.location.column, 9u);
  ASSERT_EQ(selections[3].arguments.size(), 1u);
  EXPECT_EQ(selections[3].arguments[0].value.location.line, 3u);
  EXPECT_EQ(selections[3].arguments[0].value.location.column, 8u);
}

// Tabs, commas and line feeds are skipped without the comment path. A name ends at the
// first character outside NameContinue or at the end of the source.
TEST(Parser, NamesAndSeparatorsWithoutComments) {
  const auto document = parse("{\ta,\tb_1:C2\n,\n__d }");
  const auto& selections = first_operation(document).selections;
  ASSERT_EQ(selections.size(), 3u);
  EXPECT_EQ(selections[0].name, "a");
  EXPECT_EQ(selections[1].alias, "b_1");
  EXPECT_EQ(selections[1].name, "C2");
  EXPECT_EQ(selections[2].name, "__d");
  EXPECT_EQ(selections[1].location.column, 6u);
  EXPECT_EQ(selections[2].location.line, 3u);
  EXPECT_EQ(selections[2].location.column, 1u);

  std::string message;
  const auto location = syntax_error_location("query q r", &message);
  EXPECT_EQ(message, "Syntax Error: Expected \"{\", found Name \"r\".");
  EXPECT_EQ(location.column, 9u);
  syntax_error_location("{ a } trailingName", &message);
  EXPECT_EQ(message, "Syntax Error: Unexpected Name \"trailingName\".");
}

// Each source is not UTF-8 at the marked byte: a stray continuation byte, a truncated
// sequence, an overlong form, an encoded surrogate and a value above U+10FFFF.
TEST(Parser, InvalidUtf8IsRejected) {
  for (const std::string_view source :
       {"{ f(a: \"\x80\") }", "{ f(a: \"\xC3\") }", "{ f(a: \"\xC0\xAF\") }",
        "{ f(a: \"\xED\xA0\x80\") }", "{ f(a: \"\xF4\x90\x80\x80\") }"}) {
    std::string message;
    const auto location = syntax_error_location(source, &message);
    EXPECT_EQ(location.column, 9u) << source;
    EXPECT_EQ(message, "Syntax Error: Invalid UTF-8 byte sequence.") << source;
  }
  EXPECT_NO_THROW(parse("{ f(a: \"\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\") } # \xE2\x9C\x93"));
}

TEST(Parser, ControlCharactersInStrings) {
  const ast::Document document = parse("{ f(a: \"a\x01b\", b: \"\"\"\x02\"\"\") }");
  const auto& arguments = first_operation(document).selections.at(0).arguments;
  EXPECT_EQ(arguments.at(0).value.text, "a\x01b");
  EXPECT_EQ(arguments.at(1).value.text, "\x02");
}

TEST(Parser, TokenLimit) {
  ParseOptions options;
  options.max_tokens = 5;
  EXPECT_THROW(parse("{ a b c d e f }", options), SyntaxError);
  EXPECT_NO_THROW(parse("{ a b }", options));
}

TEST(Parser, DepthLimit) {
  ParseOptions options;
  options.max_depth = 3;
  EXPECT_NO_THROW(parse("{ a { b { c } } }", options));
  EXPECT_THROW(parse("{ a { b { c { d } } } }", options), SyntaxError);
  EXPECT_THROW(parse_const_value("[[[[1]]]]", options), SyntaxError);
}

TEST(Parser, ConstantValueRejectsVariables) {
  EXPECT_THROW(parse("query ($a: Int = $b) { f }"), SyntaxError);
}

TEST(Parser, TypeSystemDocument) {
  const auto document = parse(R"(
    """
    The query root.
    """
    schema @tag { query: Query mutation: Mutation }
    "A node" interface Node { id: ID! }
    interface Entity implements Node & Named { id: ID! name: String }
    type Query implements Node { id: ID! search(term: String = "x", first: Int): [Result!]! @deprecated(reason: "old") }
    union Result = | User | Offer
    enum Color { RED "green" GREEN BLUE @deprecated }
    input Filter @oneOf { id: ID name: String }
    scalar Date @specifiedBy(url: "https://example.com")
    directive @tag(name: String) repeatable on FIELD_DEFINITION | OBJECT
    extend type Query { extra: Int }
    extend union Result = Extra
    extend schema @tag
  )");
  ASSERT_EQ(document.definitions.size(), 12u);
  const auto& schema = std::get<ast::SchemaDefinition>(document.definitions[0]);
  EXPECT_EQ(schema.description, "The query root.");
  EXPECT_EQ(schema.operation_types.size(), 2u);
  const auto& entity = std::get<ast::TypeDefinition>(document.definitions[2]);
  EXPECT_EQ(entity.interfaces.size(), 2u);
  const auto& query = std::get<ast::TypeDefinition>(document.definitions[3]);
  EXPECT_EQ(query.fields.at(1).arguments.at(0).default_value->text, "x");
  const auto& result = std::get<ast::TypeDefinition>(document.definitions[4]);
  EXPECT_EQ(result.members.size(), 2u);
  const auto& color = std::get<ast::TypeDefinition>(document.definitions[5]);
  EXPECT_EQ(color.values.at(1).description, "green");
  const auto& directive = std::get<ast::DirectiveDefinition>(document.definitions[8]);
  EXPECT_TRUE(directive.repeatable);
  EXPECT_EQ(directive.locations.size(), 2u);
  EXPECT_TRUE(std::get<ast::TypeDefinition>(document.definitions[9]).is_extension);
  EXPECT_TRUE(std::get<ast::SchemaDefinition>(document.definitions[11]).is_extension);
}

TEST(Parser, EmptyExtensionIsRejected) {
  EXPECT_THROW(parse("extend type Query"), SyntaxError);
  EXPECT_THROW(parse("extend scalar Date"), SyntaxError);
}

TEST(Parser, DescriptionsOnExecutableDefinitions) {
  const auto document = parse("\"op\" query Q(\"v\" $a: Int) { a } \"f\" fragment F on Q { a }");
  const auto& operation = first_operation(document);
  EXPECT_EQ(operation.description, "op");
  EXPECT_EQ(operation.variables.at(0).description, "v");
  EXPECT_EQ(std::get<ast::FragmentDefinition>(document.definitions.at(1)).description, "f");
}

TEST(Parser, DescriptionOnShorthandQueryIsRejected) {
  std::string message;
  syntax_error_location("\"doc\" { a }", &message);
  EXPECT_NE(message.find("not supported on shorthand queries"), std::string::npos);
  syntax_error_location("\"doc\" extend type A { b: Int }", &message);
  EXPECT_NE(message.find("only GraphQL definitions support descriptions"), std::string::npos);
}

TEST(Parser, ReservedEnumValue) {
  EXPECT_THROW(parse("enum E { true }"), SyntaxError);
}

TEST(Parser, UnknownDirectiveLocation) {
  EXPECT_THROW(parse("directive @a on FIELDS"), SyntaxError);
}

}  // namespace
}  // namespace surplus::graphql
