#include <gtest/gtest.h>

#include <surplus/graphql/data_loader.hpp>
#include <surplus/graphql/executor.hpp>
#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/schema.hpp>

namespace surplus::graphql {
namespace {

Json run(const Schema& schema, std::string_view query, Json root, Json variables = {}) {
  const ast::Document document = parse(query);
  ExecutionRequest request;
  request.schema = &schema;
  request.document = &document;
  request.root_value = std::move(root);
  request.variables = variables.is_null() ? Json::object() : std::move(variables);
  return execute(request).to_json();
}

TEST(Executor, DefaultResolverKeepsSelectionOrder) {
  const Schema schema = build_schema("type Query { b: Int a: String }");
  const Json response = run(schema, "{ a b }", Json{{"b", 1}, {"a", "x"}});
  EXPECT_EQ(response.dump(), R"({"data":{"a":"x","b":1}})");
}

TEST(Executor, NullPropagatesToNearestNullableParent) {
  const Schema schema = build_schema("type Query { item: Item } type Item { id: ID! }");
  const Json response = run(schema, "{ item { id } }", Json{{"item", Json::object()}});
  EXPECT_TRUE(response["data"]["item"].is_null());
  ASSERT_EQ(response["errors"].size(), 1u);
  EXPECT_EQ(response["errors"][0]["path"], Json::parse(R"(["item","id"])"));
}

TEST(Executor, ResolverReceivesCoercedArguments) {
  Schema schema = build_schema("type Query { double(n: Int = 4): Int }");
  schema.set_resolver("Query", "double",
                      [](const Json&, const Json& arguments, const ResolveInfo&) -> FieldResult {
                        return Json(arguments["n"].get<int>() * 2);
                      });
  EXPECT_EQ(run(schema, "{ double }", Json::object())["data"]["double"], 8);
  EXPECT_EQ(run(schema, "query ($n: Int) { double(n: $n) }", Json::object(),
                {{"n", 5}})["data"]["double"],
            10);
}

TEST(Executor, ResolverExceptionBecomesFieldError) {
  Schema schema = build_schema("type Query { fail: Int ok: Int }");
  schema.set_resolver("Query", "fail",
                      [](const Json&, const Json&, const ResolveInfo&) -> FieldResult {
                        throw std::runtime_error("backend unavailable");
                      });
  const Json response = run(schema, "{ fail ok }", Json{{"ok", 1}});
  EXPECT_EQ(response["errors"][0]["message"], "backend unavailable");
  EXPECT_EQ(response["data"]["ok"], 1);
}

TEST(Executor, ResolverSeesResponsePath) {
  Schema schema = build_schema("type Query { items: [Item] } type Item { label: String }");
  std::vector<Json> paths;
  schema.set_resolver("Item", "label",
                      [&paths](const Json&, const Json&, const ResolveInfo& info) -> FieldResult {
                        Json path = Json::array();
                        for (const auto& element : *info.path) {
                          if (const auto* key = std::get_if<std::string>(&element)) {
                            path.push_back(*key);
                          } else {
                            path.push_back(std::get<std::size_t>(element));
                          }
                        }
                        paths.push_back(path);
                        return Json("x");
                      });
  run(schema, "{ items { first: label } }", Json{{"items", Json::array({Json::object(), {}})}});
  ASSERT_EQ(paths.size(), 1u);
  EXPECT_EQ(paths[0], Json::parse(R"(["items",0,"first"])"));
}

TEST(DataLoader, SiblingFieldsLoadInOneCall) {
  Schema schema = build_schema("type Query { a: User b: User c: User } type User { name: String }");
  std::vector<std::vector<std::string>> calls;
  DataLoader<std::string> users([&](const std::vector<std::string>& keys) {
    calls.push_back(keys);
    std::vector<Json> values;
    for (const auto& key : keys) {
      values.push_back(Json{{"name", "user " + key}});
    }
    return values;
  });
  for (const char* field : {"a", "b", "c"}) {
    const std::string key = field == std::string("c") ? "a" : field;
    schema.set_resolver(
        "Query", field,
        [&users, key](const Json&, const Json&, const ResolveInfo&) { return users.load(key); });
  }
  const Json response = run(schema, "{ a { name } b { name } c { name } }", Json::object());
  EXPECT_EQ(response["data"]["c"]["name"], "user a");
  EXPECT_EQ(response["data"]["b"]["name"], "user b");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0], (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(users.batch_count(), 1u);
}

}  // namespace
}  // namespace surplus::graphql
