// The path a new store and a new customer take, end to end through the HTTP API.
#include <string>

#include <gtest/gtest.h>

#include <surplus/core/geo.hpp>

#include "test_server.hpp"

namespace surplus::orders::testing {
namespace {

using nlohmann::json;

class AcceptanceTest : public OrdersApiTest {};

TEST_P(AcceptanceTest, StoreListsProductsAndCustomerFavourites) {
  // A store owner registers and logs in.
  server().register_user("owner@bakery.example", "STORE", "sourdough starter");
  auto store = server().login("owner@bakery.example", "sourdough starter");
  std::string store_token = store["accessToken"];
  EXPECT_EQ(store["user"]["role"], "STORE");

  // It creates its restaurant, which makes it staff, and adds products.
  auto created = server().call("POST", "/restaurants",
                               json{{"name", "Bäckerei Morgenrot"},
                                    {"description", "Sourdough since 1987"},
                                    {"category", "bakery"},
                                    {"address", "Oranienstraße 24, 10999 Berlin"},
                                    {"latitude", 52.50105},
                                    {"longitude", 13.41902},
                                    {"phone", "+49 30 5551000"},
                                    {"timeZone", "Europe/Berlin"}},
                               store_token);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string bakery = created.body_json()["id"];
  auto me = server().call("GET", "/users/me", std::nullopt, store_token).body_json();
  EXPECT_EQ(me["restaurants"], json::array({bakery}));

  auto loaf = server().create_product(store_token, bakery, "Sourdough loaf", 480);
  auto bag = server().create_product(store_token, bakery, "Surprise bag", 900);
  EXPECT_EQ(loaf["price"], (json{{"amount", 480}, {"currency", "EUR"}}));
  EXPECT_EQ(loaf["dietaryTags"], json::array({"vegan"}));
  auto products = server().call("GET", "/restaurants/" + bakery + "/products").body_json();
  ASSERT_EQ(products["items"].size(), 2U);
  EXPECT_EQ(products["items"][0]["id"], loaf["id"]);
  EXPECT_EQ(products["items"][1]["id"], bag["id"]);

  // Other restaurants nearby and far away.
  server().register_user("other@store.example", "STORE");
  std::string other_token = server().login("other@store.example")["accessToken"];
  std::string cafe = server().create_restaurant(other_token, "Café Kanal", 52.4920, 13.4301)["id"];
  server().create_restaurant(other_token, "Potsdam Bakery", 52.3906, 13.0645);

  // A customer finds restaurants near a point, nearest first with distances.
  server().register_user("clara@example.com", "CUSTOMER");
  std::string customer = server().login("clara@example.com")["accessToken"];
  auto near = server().call("GET", "/restaurants?latitude=52.4995&longitude=13.4180&radiusKm=3",
                            std::nullopt, customer);
  ASSERT_EQ(near.status, 200) << near.body;
  auto items = near.body_json()["items"];
  ASSERT_EQ(items.size(), 2U) << near.body;
  EXPECT_EQ(items[0]["id"], bakery);
  EXPECT_EQ(items[1]["id"], cafe);
  double expected = core::haversine_km({52.4995, 13.4180}, {52.50105, 13.41902});
  EXPECT_NEAR(items[0]["distanceKm"].get<double>(), expected, 0.001);
  EXPECT_LT(items[0]["distanceKm"].get<double>(), items[1]["distanceKm"].get<double>());
  EXPECT_TRUE(near.body_json()["nextCursor"].is_null());

  // ... adds the bakery to its favourites, and the list shows it.
  auto favourite = server().call("PUT", "/users/me/favourites/" + bakery, std::nullopt, customer);
  EXPECT_EQ(favourite.status, 204);
  auto again = server().call("PUT", "/users/me/favourites/" + bakery, std::nullopt, customer);
  EXPECT_EQ(again.status, 204);
  auto favourites =
      server().call("GET", "/users/me/favourites", std::nullopt, customer).body_json();
  ASSERT_EQ(favourites["items"].size(), 1U);
  EXPECT_EQ(favourites["items"][0]["id"], bakery);
  EXPECT_EQ(favourites["items"][0]["name"], "Bäckerei Morgenrot");
  EXPECT_TRUE(favourites["items"][0].contains("favouritedAt"));

  auto removed = server().call("DELETE", "/users/me/favourites/" + bakery, std::nullopt, customer);
  EXPECT_EQ(removed.status, 204);
  EXPECT_TRUE(server()
                  .call("GET", "/users/me/favourites", std::nullopt, customer)
                  .body_json()["items"]
                  .empty());
}

TEST_P(AcceptanceTest, NearbyPagesWalkEveryRestaurantOnce) {
  server().register_user("chain@store.example", "STORE");
  std::string token = server().login("chain@store.example")["accessToken"];
  std::vector<std::string> expected;
  for (int i = 0; i < 7; ++i) {
    expected.push_back(server().create_restaurant(token, "Branch " + std::to_string(i),
                                                  52.5 + i * 0.002, 13.4)["id"]);
  }
  std::vector<std::string> seen;
  std::string target = "/restaurants?latitude=52.5&longitude=13.4&radiusKm=10&first=3";
  for (int page = 0; page < 5; ++page) {
    auto response = server().call("GET", target);
    ASSERT_EQ(response.status, 200) << response.body;
    auto body = response.body_json();
    for (const auto& item : body["items"]) {
      seen.push_back(item["id"]);
    }
    if (body["nextCursor"].is_null()) {
      break;
    }
    target = "/restaurants?latitude=52.5&longitude=13.4&radiusKm=10&first=3&after=" +
             body["nextCursor"].get<std::string>();
  }
  EXPECT_EQ(seen, expected);

  // The plain list pages in creation order, and a nearby cursor is not accepted there.
  auto first = server().call("GET", "/restaurants?first=4").body_json();
  ASSERT_EQ(first["items"].size(), 4U);
  auto second =
      server()
          .call("GET", "/restaurants?first=4&after=" + first["nextCursor"].get<std::string>())
          .body_json();
  ASSERT_EQ(second["items"].size(), 3U);
  EXPECT_TRUE(second["nextCursor"].is_null());
  EXPECT_EQ(second["items"][2]["id"], expected.back());
}

TEST_P(AcceptanceTest, RestaurantAndProductUpdates) {
  server().register_user("editor@store.example", "STORE");
  std::string token = server().login("editor@store.example")["accessToken"];
  std::string id = server().create_restaurant(token, "Before")["id"];
  auto patched =
      server().call("PATCH", "/restaurants/" + id,
                    json{{"name", "After"}, {"category", "cafe"}, {"phone", nullptr}}, token);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.body_json()["name"], "After");
  EXPECT_EQ(patched.body_json()["category"], "cafe");
  EXPECT_EQ(patched.body_json()["address"], "Oranienstraße 1, 10999 Berlin");
  EXPECT_TRUE(patched.body_json()["phone"].is_null());

  std::string product = server().create_product(token, id, "Cake")["id"];
  auto hidden = server().call("PATCH", "/products/" + product, json{{"active", false}}, token);
  EXPECT_EQ(hidden.body_json()["active"], false);
  EXPECT_TRUE(
      server().call("GET", "/restaurants/" + id + "/products").body_json()["items"].empty());
  auto all = server().call("GET", "/restaurants/" + id + "/products?includeInactive=true",
                           std::nullopt, token);
  EXPECT_EQ(all.body_json()["items"].size(), 1U);
}

TEST_P(AcceptanceTest, OpenApiDocumentIsServed) {
  auto response = server().call("GET", "/openapi.json");
  ASSERT_EQ(response.status, 200);
  auto document = response.body_json();
  EXPECT_EQ(document["openapi"], "3.1.0");
  for (const char* path : {"/auth/login", "/auth/refresh", "/restaurants", "/restaurants/{id}",
                           "/restaurants/{id}/products", "/users/me/favourites/{restaurantId}",
                           "/internal/restaurants"}) {
    EXPECT_TRUE(document["paths"].contains(path)) << path;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AcceptanceTest, ::testing::ValuesIn(db::testing::all_backends()),
                         db::testing::backend_test_name);

}  // namespace
}  // namespace surplus::orders::testing
