#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/graphql/data_loader.hpp>
#include <surplus/graphql/executor.hpp>
#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/schema.hpp>

namespace surplus::graphql {
namespace {

constexpr const char* kSchema = R"(
  type Query { offers: [Offer!]! }
  type Offer { id: ID! restaurant: Restaurant }
  type Restaurant { id: ID! name: String! owner: User }
  type User { id: ID! name: String! }
)";

Json run(const Schema& schema, std::string_view query, Json root) {
  const ast::Document document = parse(query);
  ExecutionRequest request;
  request.schema = &schema;
  request.document = &document;
  request.root_value = std::move(root);
  return execute(request).to_json();
}

// 50 offers of 5 restaurants; restaurant r is owned by user r % 2.
Json offers_root() {
  Json offers = Json::array();
  for (int i = 0; i < 50; ++i) {
    offers.push_back(Json{{"id", "o" + std::to_string(i)}, {"restaurantId", i % 5}});
  }
  return Json{{"offers", offers}};
}

// Records every batch call; returns one object per key built by `make`.
template <typename Key>
typename DataLoader<Key>::Batch recording_batch(std::vector<std::vector<Key>>& calls,
                                                Json (*make)(const Key&)) {
  return [&calls, make](const std::vector<Key>& keys) {
    calls.push_back(keys);
    std::vector<Json> values;
    for (const auto& key : keys) {
      values.push_back(make(key));
    }
    return values;
  };
}

Json make_restaurant(const int& id) {
  return Json{{"id", "r" + std::to_string(id)},
              {"name", "Shop " + std::to_string(id)},
              {"ownerId", id % 2}};
}

Json make_user(const int& id) {
  return Json{{"id", "u" + std::to_string(id)}, {"name", "User " + std::to_string(id)}};
}

TEST(DataLoader, ListItemsLoadInOneBatch) {
  Schema schema = build_schema(kSchema);
  std::vector<std::vector<int>> calls;
  DataLoader<int> restaurants(recording_batch<int>(calls, make_restaurant));
  schema.set_resolver("Offer", "restaurant",
                      [&](const Json& offer, const Json&, const ResolveInfo&) {
                        return restaurants.load(offer["restaurantId"].get<int>());
                      });

  const Json response = run(schema, "{ offers { id restaurant { name } } }", offers_root());

  EXPECT_FALSE(response.contains("errors"));
  ASSERT_EQ(response["data"]["offers"].size(), 50u);
  EXPECT_EQ(response["data"]["offers"][7]["restaurant"]["name"], "Shop 2");
  EXPECT_EQ(restaurants.batch_count(), 1u);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0], (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(DataLoader, NestedLevelsLoadOneBatchEach) {
  Schema schema = build_schema(kSchema);
  std::vector<std::vector<int>> restaurant_calls;
  std::vector<std::vector<int>> user_calls;
  DataLoader<int> restaurants(recording_batch<int>(restaurant_calls, make_restaurant));
  DataLoader<int> users(recording_batch<int>(user_calls, make_user));
  schema.set_resolver("Offer", "restaurant",
                      [&](const Json& offer, const Json&, const ResolveInfo&) {
                        return restaurants.load(offer["restaurantId"].get<int>());
                      });
  schema.set_resolver("Restaurant", "owner",
                      [&](const Json& restaurant, const Json&, const ResolveInfo&) {
                        return users.load(restaurant["ownerId"].get<int>());
                      });

  const Json response =
      run(schema, "{ offers { restaurant { name owner { name } } } }", offers_root());

  EXPECT_FALSE(response.contains("errors"));
  EXPECT_EQ(response["data"]["offers"][49]["restaurant"]["owner"]["name"], "User 0");
  EXPECT_EQ(response["data"]["offers"][3]["restaurant"]["owner"]["name"], "User 1");
  EXPECT_EQ(restaurants.batch_count(), 1u);
  EXPECT_EQ(users.batch_count(), 1u);
  ASSERT_EQ(user_calls.size(), 1u);
  EXPECT_EQ(user_calls[0], (std::vector<int>{0, 1}));
}

TEST(DataLoader, CachedKeysAreNotLoadedAgain) {
  Schema schema = build_schema("type Query { a: User b: User } type User { name: String }");
  std::vector<std::vector<int>> calls;
  DataLoader<int> users(recording_batch<int>(calls, make_user));
  schema.set_resolver("Query", "a",
                      [&](const Json&, const Json&, const ResolveInfo&) { return users.load(1); });
  schema.set_resolver("Query", "b",
                      [&](const Json&, const Json&, const ResolveInfo&) { return users.load(1); });

  run(schema, "{ a { name } }", Json::object());
  const Json response = run(schema, "{ a { name } b { name } }", Json::object());

  EXPECT_EQ(response["data"]["b"]["name"], "User 1");
  EXPECT_EQ(users.batch_count(), 1u);
}

TEST(DataLoader, FailedBatchFailsEveryKey) {
  Schema schema = build_schema(kSchema);
  DataLoader<int> restaurants([](const std::vector<int>&) -> std::vector<Json> {
    throw std::runtime_error("restaurant service unavailable");
  });
  schema.set_resolver("Offer", "restaurant",
                      [&](const Json& offer, const Json&, const ResolveInfo&) {
                        return restaurants.load(offer["restaurantId"].get<int>());
                      });

  const Json response = run(
      schema, "{ offers { id restaurant { name } } }",
      Json{{"offers", {{{"id", "o1"}, {"restaurantId", 1}}, {{"id", "o2"}, {"restaurantId", 2}}}}});

  ASSERT_EQ(response["errors"].size(), 2u);
  EXPECT_EQ(response["errors"][0]["message"], "restaurant service unavailable");
  EXPECT_EQ(response["errors"][1]["path"], Json::parse(R"(["offers",1,"restaurant"])"));
  EXPECT_TRUE(response["data"]["offers"][0]["restaurant"].is_null());
  EXPECT_EQ(response["data"]["offers"][1]["id"], "o2");
}

TEST(DataLoader, WrongValueCountFailsTheBatch) {
  Schema schema = build_schema(kSchema);
  DataLoader<int> restaurants(
      [](const std::vector<int>&) { return std::vector<Json>{make_restaurant(1)}; });
  schema.set_resolver("Offer", "restaurant",
                      [&](const Json& offer, const Json&, const ResolveInfo&) {
                        return restaurants.load(offer["restaurantId"].get<int>());
                      });

  const Json response = run(schema, "{ offers { restaurant { name } } }", offers_root());

  ASSERT_EQ(response["errors"].size(), 50u);
  EXPECT_EQ(response["errors"][0]["message"],
            "data loader batch returned 1 values for 5 keys; return one value per key, in key "
            "order");
}

TEST(DataLoader, AsyncBatchCompletesLater) {
  Schema schema = build_schema(kSchema);
  std::vector<std::vector<int>> calls;
  std::vector<Promise> promises;
  DataLoader<int> restaurants(DataLoader<int>::AsyncBatch([&](const std::vector<int>& keys) {
    calls.push_back(keys);
    promises.emplace_back();
    return promises.back().get_future();
  }));
  schema.set_resolver("Offer", "restaurant",
                      [&](const Json& offer, const Json&, const ResolveInfo&) {
                        return restaurants.load(offer["restaurantId"].get<int>());
                      });
  const ast::Document document = parse("{ offers { restaurant { name } } }");
  ExecutionRequest request;
  request.schema = &schema;
  request.document = &document;
  request.root_value = offers_root();
  std::optional<Json> response;

  execute_async(std::move(request),
                [&response](ExecutionResult result) { response = std::move(result).to_json(); });
  ASSERT_FALSE(response.has_value());
  ASSERT_EQ(promises.size(), 1u);
  Json values = Json::array();
  for (const int key : calls[0]) {
    values.push_back(make_restaurant(key));
  }
  promises[0].set_value(values);

  ASSERT_TRUE(response.has_value());
  EXPECT_FALSE(response->contains("errors"));
  EXPECT_EQ((*response)["data"]["offers"][9]["restaurant"]["name"], "Shop 4");
  EXPECT_EQ(restaurants.batch_count(), 1u);
}

}  // namespace
}  // namespace surplus::graphql
