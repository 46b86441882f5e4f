// Section 4 introspection, executed through the public API.
#include <limits>

#include <gtest/gtest.h>

#include <surplus/graphql/executor.hpp>
#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/schema.hpp>
#include <surplus/graphql/validation.hpp>

namespace surplus::graphql {
namespace {

Json run(const Schema& schema, std::string_view query, Json root = Json::object()) {
  const ast::Document document = parse(query);
  const auto errors = validate(schema, document);
  if (!errors.empty()) {
    ADD_FAILURE() << "invalid query: " << errors.front().message;
    return {};
  }
  ExecutionRequest request;
  request.schema = &schema;
  request.document = &document;
  request.root_value = std::move(root);
  return execute(request).to_json();
}

std::vector<std::string> names(const Json& list) {
  std::vector<std::string> result;
  for (const auto& item : list) {
    result.push_back(item["name"].get<std::string>());
  }
  return result;
}

TEST(Introspection, TypesListUsedScalarsAndIntrospectionTypes) {
  const Schema schema = build_schema("type Query { offer: Offer } type Offer { price: Float }");
  const Json response = run(schema, "{ __schema { types { name } } }");
  EXPECT_EQ(names(response["data"]["__schema"]["types"]),
            (std::vector<std::string>{"Query", "Offer", "Float", "Boolean", "String", "__Schema",
                                      "__Type", "__TypeKind", "__Field", "__InputValue",
                                      "__EnumValue", "__Directive", "__DirectiveLocation"}));
}

TEST(Introspection, TypeMetaFieldDescribesFields) {
  const Schema schema = build_schema(R"(
    type Query { offers(first: Int = 10): [Offer!]! }
    "An offer."
    type Offer { id: ID! old: String @deprecated(reason: "Gone.") }
  )");
  const Json type = run(schema, R"({ __type(name: "Offer") {
      kind name description
      fields { name }
      all: fields(includeDeprecated: true) { name isDeprecated deprecationReason
                                             type { kind ofType { name } } }
  } })")["data"]["__type"];
  EXPECT_EQ(type["kind"], "OBJECT");
  EXPECT_EQ(type["description"], "An offer.");
  EXPECT_EQ(names(type["fields"]), std::vector<std::string>{"id"});
  ASSERT_EQ(type["all"].size(), 2u);
  EXPECT_EQ(type["all"][0]["type"]["kind"], "NON_NULL");
  EXPECT_EQ(type["all"][0]["type"]["ofType"]["name"], "ID");
  EXPECT_EQ(type["all"][1]["isDeprecated"], true);
  EXPECT_EQ(type["all"][1]["deprecationReason"], "Gone.");
  EXPECT_TRUE(run(schema, "{ __type(name: \"Missing\") { name } }")["data"]["__type"].is_null());
}

// Default values are coerced to their type first, then printed as GraphQL literals.
TEST(Introspection, DefaultValuesArePrintedAfterCoercion) {
  const Schema schema = build_schema(R"(
    type Query { f(
      list: [Int] = 1, id: ID = 7, text: String = "a\"b\n", color: Color = RED,
      point: Point = {x: 1}, ratio: Float = 2.50, none: Int = null
    ): Int }
    enum Color { RED }
    input Point { x: Float! y: Float = 0.5 }
  )");
  const Json arguments = run(schema, R"({ __type(name: "Query") {
      fields { args { name defaultValue } } } })")["data"]["__type"]["fields"][0]["args"];
  std::map<std::string, Json> printed;
  for (const auto& argument : arguments) {
    printed[argument["name"].get<std::string>()] = argument["defaultValue"];
  }
  EXPECT_EQ(printed["list"], "[1]");
  EXPECT_EQ(printed["id"], "7");
  EXPECT_EQ(printed["text"], "\"a\\\"b\\n\"");
  EXPECT_EQ(printed["color"], "RED");
  EXPECT_EQ(printed["point"], "{x: 1, y: 0.5}");
  EXPECT_EQ(printed["ratio"], "2.5");
  EXPECT_EQ(printed["none"], "null");
}

TEST(Introspection, ScalarAndInputObjectDetails) {
  const Schema schema = build_schema(R"(
    type Query { f(by: By, at: Date): Int }
    scalar Date @specifiedBy(url: "https://example.com/date")
    input By @oneOf { id: ID name: String }
  )");
  const Json data = run(schema, R"({
      date: __type(name: "Date") { specifiedByURL isOneOf fields { name } }
      by: __type(name: "By") { isOneOf inputFields { name } }
  })")["data"];
  EXPECT_EQ(data["date"]["specifiedByURL"], "https://example.com/date");
  EXPECT_TRUE(data["date"]["isOneOf"].is_null());
  EXPECT_TRUE(data["date"]["fields"].is_null());
  EXPECT_EQ(data["by"]["isOneOf"], true);
  EXPECT_EQ(names(data["by"]["inputFields"]), (std::vector<std::string>{"id", "name"}));
}

TEST(Introspection, DirectivesListUserDirectivesFirst) {
  const Schema schema = build_schema(
      "type Query { a: Int } directive @cached(seconds: Int = 60) repeatable on FIELD");
  const Json directives =
      run(schema, "{ __schema { directives { name isRepeatable locations } } }")["data"]["__schema"]
                                                                                ["directives"];
  EXPECT_EQ(names(directives), (std::vector<std::string>{"cached", "include", "skip", "deprecated",
                                                         "specifiedBy", "oneOf"}));
  EXPECT_EQ(directives[0]["isRepeatable"], true);
  EXPECT_EQ(directives[0]["locations"], Json::array({"FIELD"}));
}

// A user field may have an introspection type, but its values then come from user data,
// which cannot pass for the engine's own handles.
TEST(Introspection, UserDataIsNotAnIntrospectionValue) {
  const Schema schema = build_schema("type Query { fake: __Type }");
  const Json response = run(schema, "{ fake { name kind } }", Json{{"fake", {{"name", "X"}}}});
  // `kind` is non-null, so its error also makes `fake` null.
  EXPECT_TRUE(response["data"]["fake"].is_null());
  ASSERT_EQ(response["errors"].size(), 2u);
  EXPECT_EQ(response["errors"][0]["path"], Json::parse(R"(["fake","name"])"));
  EXPECT_EQ(response["errors"][1]["path"], Json::parse(R"(["fake","kind"])"));
}

// The engine stores its handles in the payload of a NaN, which JSON data cannot contain. A
// NaN from arithmetic and a number from data are both rejected.
TEST(Introspection, NumbersAreNotIntrospectionValues) {
  Schema schema = build_schema("type Query { nan: __Type number: __Type }");
  schema.set_resolver("Query", "nan", [](const Json&, const Json&, const ResolveInfo&) {
    return FieldResult(Json(std::numeric_limits<double>::quiet_NaN()));
  });
  const Json response = run(schema, "{ nan { name } number { name } }", Json{{"number", 4096}});
  EXPECT_TRUE(response["data"]["nan"]["name"].is_null());
  EXPECT_TRUE(response["data"]["number"]["name"].is_null());
  ASSERT_EQ(response["errors"].size(), 2u);
  EXPECT_EQ(response["errors"][0]["path"], Json::parse(R"(["nan","name"])"));
  EXPECT_EQ(response["errors"][1]["path"], Json::parse(R"(["number","name"])"));
  EXPECT_NE(response["errors"][0]["message"].get<std::string>().find("Invalid introspection"),
            std::string::npos);
}

TEST(Introspection, TypesCannotBeExtendedOrRedefined) {
  EXPECT_THROW(build_schema("type Query { a: Int } extend type __Type { extra: Int }"),
               SchemaError);
  EXPECT_THROW(build_schema("type Query { a: Int } type __Schema { a: Int }"), SchemaError);
}

}  // namespace
}  // namespace surplus::graphql
