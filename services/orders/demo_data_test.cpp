#include "demo_data.hpp"

#include <gtest/gtest.h>

#include <surplus/core/geo.hpp>

#include "../demo_city.hpp"
#include "restaurants_store.hpp"
#include "test_server.hpp"

namespace surplus::orders::testing {
namespace {

class DemoDataTest : public OrdersApiTest {};

TEST_P(DemoDataTest, SeedsOnceAndAccountsLogIn) {
  // A second app over the same database, as `surplus-orders --seed` would build.
  core::EnvReader env([](const std::string& name) -> std::optional<std::string> {
    if (name == "AUTH_PRIVATE_KEY") {
      return auth::KeyPair::generate().seed_base64();
    }
    if (name == "AUTH_PUBLIC_KEY_FILE") {
      return (std::filesystem::temp_directory_path() / "surplus-demo-data-test.pub").string();
    }
    if (name == "ARGON2_MEM_LIMIT") {
      return "64KiB";
    }
    if (name == "ARGON2_OPS_LIMIT") {
      return "1";
    }
    return std::nullopt;
  });
  auto app = make_orders_app(env, server().database());

  auto first = seed_demo_data(*app);
  EXPECT_EQ(first.users_created, 4);
  EXPECT_GE(first.restaurants_created, 40);
  EXPECT_GE(first.products_created, 2 * first.restaurants_created);
  auto second = seed_demo_data(*app);
  EXPECT_EQ(second.users_created, 0);
  EXPECT_EQ(second.restaurants_created, 0);
  EXPECT_EQ(second.products_created, 0);

  // Every account that `surplus seed` would print logs in with its role.
  auto accounts = demo_accounts_json()["accounts"];
  ASSERT_EQ(accounts.size(), 4U);
  std::set<std::string> roles;
  for (const auto& account : accounts) {
    auto tokens = server().login(account["email"], account["password"]);
    EXPECT_EQ(tokens["user"]["role"], account["role"]);
    roles.insert(account["role"].get<std::string>());
  }
  EXPECT_EQ(roles, (std::set<std::string>{"ADMIN", "COURIER", "CUSTOMER", "STORE"}));
  auto store = server().login("store@demo.surplus", std::string(kDemoPassword));
  auto me =
      server().call("GET", "/users/me", std::nullopt, store["accessToken"].get<std::string>());
  EXPECT_GE(me.body_json()["restaurants"].size(), 40U);

  // Spread over a few kilometres: all within 4 km of the centre, not all in one street.
  auto near =
      server().call("GET", "/restaurants?latitude=52.497&longitude=13.42&radiusKm=4&first=100");
  ASSERT_EQ(near.status, 200);
  auto items = near.body_json()["items"];
  EXPECT_EQ(items.size(), static_cast<std::size_t>(first.restaurants_created));
  EXPECT_GT(items.back()["distanceKm"].get<double>(), 2.0);
  std::set<std::string> categories;
  for (const auto& item : items) {
    categories.insert(item["category"].get<std::string>());
  }
  EXPECT_EQ(categories.size(), kRestaurantCategories.size());

  // The offers service's demo offers and couriers refer to these ids.
  for (const auto& demo : demo::kDemoRestaurants) {
    std::string id = demo::demo_id("restaurant", demo.name);
    auto restaurant = server().call("GET", "/restaurants/" + id);
    ASSERT_EQ(restaurant.status, 200) << demo.name << " is not seeded as " << id;
    auto body = restaurant.body_json();
    EXPECT_EQ(body["name"], demo.name);
    EXPECT_EQ(body["category"], demo.category);
    EXPECT_DOUBLE_EQ(body["latitude"].get<double>(), demo.latitude) << demo.name;
    EXPECT_DOUBLE_EQ(body["longitude"].get<double>(), demo.longitude) << demo.name;
  }
  auto courier = server().login(std::string(demo::kDemoCourierEmail), std::string(kDemoPassword));
  EXPECT_EQ(courier["user"]["id"], demo::demo_id("user", demo::kDemoCourierEmail));
}

INSTANTIATE_TEST_SUITE_P(Backends, DemoDataTest, ::testing::ValuesIn(db::testing::all_backends()),
                         db::testing::backend_test_name);

}  // namespace
}  // namespace surplus::orders::testing
