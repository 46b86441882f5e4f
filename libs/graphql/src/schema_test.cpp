#include <gtest/gtest.h>

#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/schema.hpp>

namespace surplus::graphql {
namespace {

std::vector<std::string> schema_errors(std::string_view sdl) {
  try {
    build_schema(sdl);
  } catch (const SchemaError& error) {
    return error.errors();
  }
  ADD_FAILURE() << "schema was accepted: " << sdl;
  return {};
}

bool mentions(const std::vector<std::string>& errors, std::string_view text) {
  for (const auto& error : errors) {
    if (error.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(Schema, BuildsTypesAndRoots) {
  const Schema schema = build_schema(R"(
    interface Node { id: ID! }
    interface Named implements Node { id: ID! name: String }
    type User implements Node & Named { id: ID! name: String friends(first: Int = 10): [User!] }
    union Result = User
    enum Role { ADMIN MEMBER @deprecated(reason: "gone") }
    input Filter @oneOf { id: ID name: String }
    scalar Date @specifiedBy(url: "https://example.com/date")
    type Query { node(id: ID!): Node search(filter: Filter): [Result] old: Int @deprecated }
    extend type Query { role: Role }
  )");
  ASSERT_NE(schema.query_type(), nullptr);
  EXPECT_EQ(schema.query_type()->name, "Query");
  EXPECT_EQ(schema.mutation_type(), nullptr);
  EXPECT_NE(schema.query_type()->find_field("role"), nullptr);
  EXPECT_EQ(schema.query_type()->find_field("old")->deprecation_reason, "No longer supported");
  const Type* user = schema.find_type("User");
  EXPECT_EQ(user->find_field("friends")->type->to_string(), "[User!]");
  EXPECT_EQ(user->find_field("friends")->arguments.at(0).default_value->text, "10");
  EXPECT_TRUE(schema.is_possible_type(schema.find_type("Node"), user));
  EXPECT_TRUE(schema.is_sub_type(schema.find_type("Node"), schema.find_type("Named")));
  EXPECT_TRUE(schema.find_type("Filter")->one_of);
  EXPECT_EQ(schema.find_type("Date")->specified_by_url, "https://example.com/date");
  EXPECT_EQ(schema.find_type("Role")->find_enum_value("MEMBER")->deprecation_reason, "gone");
  EXPECT_NE(schema.find_directive("oneOf"), nullptr);
}

TEST(Schema, SchemaDefinitionNamesRoots) {
  const Schema schema = build_schema(
      "schema { query: Root mutation: Change } "
      "type Root { a: Int } type Change { b: Int }");
  EXPECT_EQ(schema.query_type()->name, "Root");
  EXPECT_EQ(schema.mutation_type()->name, "Change");
}

TEST(Schema, UnknownTypeNamesField) {
  const auto errors = schema_errors("type Query { a: Missing }");
  EXPECT_TRUE(mentions(errors, "Unknown type \"Missing\" referenced by Query.a"));
}

TEST(Schema, MissingQueryRoot) {
  EXPECT_TRUE(mentions(schema_errors("type Foo { a: Int }"), "Query root type must be provided"));
}

TEST(Schema, InterfaceFieldMissing) {
  const auto errors = schema_errors(
      "interface Node { id: ID! } type User implements Node { name: String } "
      "type Query { u: User }");
  EXPECT_TRUE(mentions(errors, "Interface field Node.id expected but User does not provide it."));
}

TEST(Schema, InterfaceFieldTypeNotCovariant) {
  const auto errors = schema_errors(
      "interface Node { id: ID! } type User implements Node { id: ID } type Query { u: User }");
  EXPECT_TRUE(mentions(errors, "expects type ID! but User.id is type ID."));
}

TEST(Schema, TransitiveInterfaceRequired) {
  const auto errors = schema_errors(
      "interface A { id: ID } interface B implements A { id: ID } "
      "type C implements B { id: ID } type Query { c: C }");
  EXPECT_TRUE(mentions(errors, "Type C must implement A because it is implemented by B."));
}

TEST(Schema, UnionMemberMustBeObject) {
  const auto errors = schema_errors("union U = Int type Query { u: U }");
  EXPECT_TRUE(mentions(errors, "Union type U can only include Object types"));
}

TEST(Schema, OneOfFieldsNullable) {
  const auto errors =
      schema_errors("input I @oneOf { a: Int! b: Int = 3 } type Query { f(i: I): Int }");
  EXPECT_TRUE(mentions(errors, "OneOf input field I.a must be nullable."));
  EXPECT_TRUE(mentions(errors, "OneOf input field I.b cannot have a default value."));
}

TEST(Schema, InputObjectCycle) {
  const auto errors =
      schema_errors("input A { b: B! } input B { a: A! } type Query { f(a: A): Int }");
  EXPECT_TRUE(mentions(errors, "Cannot reference Input Object \"A\""));
}

TEST(Schema, OutputTypeForArgument) {
  const auto errors = schema_errors("type Query { f(a: Query): Int }");
  EXPECT_TRUE(mentions(errors, "The type of Query.f(a:) must be Input Type but got: Query."));
}

TEST(Schema, DuplicateNames) {
  EXPECT_TRUE(mentions(schema_errors("type Query { a: Int } type Query { b: Int }"),
                       "There can be only one type named \"Query\"."));
  EXPECT_TRUE(mentions(schema_errors("type Query { a: Int a: Int }"),
                       "Field \"Query.a\" can only be defined once."));
}

TEST(Schema, ExtensionOfUnknownType) {
  EXPECT_TRUE(mentions(schema_errors("type Query { a: Int } extend type Nope { b: Int }"),
                       "Cannot extend type \"Nope\" because it is not defined."));
}

TEST(Schema, SyntaxErrorPassesThrough) {
  EXPECT_THROW(build_schema("type Query {"), SyntaxError);
}

}  // namespace
}  // namespace surplus::graphql
