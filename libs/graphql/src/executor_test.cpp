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

// The executor builds the path only when a resolver reads it, so a resolver that reads it
// after others skipped it must still see its own position.
TEST(Executor, PathIsExactWhenReadByOneField) {
  Schema schema = build_schema(
      "type Query { items: [Item] } type Item { quiet: String loud: String inner: Item }");
  std::vector<std::string> paths;
  const auto print = [](const std::vector<PathElement>& path) {
    std::string printed;
    for (const auto& element : path) {
      if (const auto* key = std::get_if<std::string>(&element)) {
        printed += "/" + *key;
      } else {
        printed += "/" + std::to_string(std::get<std::size_t>(element));
      }
    }
    return printed;
  };
  schema.set_resolver("Item", "quiet", [](const Json&, const Json&, const ResolveInfo&) {
    return FieldResult(Json("q"));
  });
  schema.set_resolver("Item", "loud",
                      [&](const Json&, const Json&, const ResolveInfo& info) -> FieldResult {
                        // Reading twice gives the same path.
                        paths.push_back(print(*info.path));
                        EXPECT_EQ(print(*info.path), paths.back());
                        return Json("l");
                      });
  const Json items = Json::parse(R"([{"inner": {}}, {"inner": null}])");
  const Json response =
      run(schema, "{ items { quiet loud inner { quiet loud } } }", Json{{"items", items}});
  EXPECT_EQ(response["data"]["items"][1]["loud"], "l");
  EXPECT_EQ(paths,
            (std::vector<std::string>{"/items/0/loud", "/items/0/inner/loud", "/items/1/loud"}));
}

// Arguments are coerced once per field and shared by every item of a list, but a coercion
// error is still reported at each item's path.
TEST(Executor, ArgumentsOfListItems) {
  Schema schema = build_schema(
      "type Query { items: [Item] } type Item { label(prefix: String = \"x\"): String "
      "size(at: Int!): Int }");
  schema.set_resolver(
      "Item", "label", [](const Json& parent, const Json& arguments, const ResolveInfo&) {
        return FieldResult(
            Json(arguments["prefix"].get<std::string>() + parent["id"].get<std::string>()));
      });
  schema.set_resolver("Item", "size", [](const Json&, const Json& arguments, const ResolveInfo&) {
    return FieldResult(arguments["at"]);
  });
  const Json root = Json{{"items", Json::parse(R"([{"id": "1"}, {"id": "2"}])")}};
  const Json labels = run(schema, "query ($p: String) { items { label(prefix: $p) plain: label } }",
                          root, {{"p", "a"}});
  EXPECT_EQ(labels["data"]["items"], Json::parse(R"([{"label": "a1", "plain": "x1"},
                                                     {"label": "a2", "plain": "x2"}])"));
  const Json sizes =
      run(schema, "query ($n: Int) { items { size(at: $n) } }", root, {{"n", nullptr}});
  ASSERT_EQ(sizes["errors"].size(), 2u);
  EXPECT_EQ(sizes["errors"][0]["path"], Json::parse(R"(["items",0,"size"])"));
  EXPECT_EQ(sizes["errors"][1]["path"], Json::parse(R"(["items",1,"size"])"));
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
