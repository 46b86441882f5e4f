// The API as a client sees it: input validation, problem codes, search results, the
// courier flow and the OpenAPI document.
#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include <surplus/core/id.hpp>

#include "http_test_support.hpp"
#include "routes.hpp"

namespace surplus::offers {
namespace {

using std::chrono::minutes;
using testing::bag_request;
using testing::window_json;

bool has_field(const std::vector<std::string>& fields, const std::string& field) {
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

class ApiTest : public testing::OffersHttpTest {
 protected:
  void SetUp() override {
    OffersHttpTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    restaurant_ = core::new_uuid_v7();
    auto stored =
        call("PUT", "/internal/restaurants/" + restaurant_, as_service(),
             nlohmann::json{{"name", "Bäckerei Test"}, {"latitude", 52.5}, {"longitude", 13.4}});
    ASSERT_EQ(stored.status, 200) << stored.body;
    staff_ = as(auth::Role::kStore, core::new_uuid_v7(), {restaurant_});
    admin_ = as(auth::Role::kAdmin, core::new_uuid_v7());
  }

  http::Response create_offer_request(const nlohmann::json& body) {
    return call("POST", "/restaurants/" + restaurant_ + "/offers", staff_, body);
  }

  std::string published_offer(int quantity, int max_per_customer) {
    auto body = bag_request(quantity);
    body["maxPerCustomer"] = max_per_customer;
    body["publish"] = true;
    auto response = create_offer_request(body);
    EXPECT_EQ(response.status, 201) << response.body;
    return response.body_json()["id"];
  }

  http::Response reserve(const std::string& offer, const std::string& customer, int quantity,
                         const std::string& reservation = core::new_uuid_v7()) {
    return call(
        "PUT", "/internal/reservations/" + reservation, as_service(),
        nlohmann::json{{"offerId", offer}, {"customerId", customer}, {"quantity", quantity}});
  }

  std::string restaurant_;
  testing::Credentials staff_;
  testing::Credentials admin_;
};

TEST_P(ApiTest, RejectsWindowInThePast) {
  auto body = bag_request();
  body["pickupWindow"] = window_json(minutes(-120), minutes(60));
  auto response = create_offer_request(body);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(problem_code(response), "VALIDATION_FAILED");
  EXPECT_TRUE(has_field(problem_fields(response), "pickupWindow"));
}

TEST_P(ApiTest, BadSearchParameterQuotesValueAndRange) {
  auto response = call("GET", "/offers?latitude=52.5&longitude=13.4&radiusKm=abc");
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(has_field(problem_fields(response), "radiusKm"));
  EXPECT_NE(response.body.find("from 0.01 to"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("got 'abc'"), std::string::npos) << response.body;
}

TEST_P(ApiTest, OutOfRangeQuantityQuotesTheValue) {
  auto body = bag_request();
  body["quantity"] = 100000000;
  auto response = create_offer_request(body);
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("got 100000000"), std::string::npos) << response.body;
}

TEST_P(ApiTest, RejectsPriceAboveValue) {
  auto body = bag_request();
  body["price"]["amount"] = 1500;
  auto response = create_offer_request(body);
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(has_field(problem_fields(response), "price"));
}

TEST_P(ApiTest, RejectsZeroOrNegativeQuantity) {
  for (int quantity : {0, -3}) {
    auto response = create_offer_request(bag_request(quantity));
    EXPECT_EQ(response.status, 400) << quantity;
    EXPECT_TRUE(has_field(problem_fields(response), "quantity")) << quantity;
  }
  std::string offer = published_offer(5, 5);
  for (int quantity : {0, -1}) {
    auto response = reserve(offer, core::new_uuid_v7(), quantity);
    EXPECT_EQ(response.status, 400) << quantity;
    EXPECT_TRUE(has_field(problem_fields(response), "quantity")) << quantity;
  }
  auto adjust = call("PUT", "/restaurants/" + restaurant_ + "/inventory/" + core::new_uuid_v7(),
                     staff_, nlohmann::json{{"quantity", -1}});
  EXPECT_EQ(adjust.status, 400);
  EXPECT_TRUE(has_field(problem_fields(adjust), "quantity"));
}

// The same control characters as in the orders service: C0, DEL and C1 such as U+0085
// NEXT LINE; a description may still hold line feeds and tabs.
TEST_P(ApiTest, RejectsControlCharactersInText) {
  for (const std::string title : {"Bag\xC2\x85two lines", "Bag\x7F", "Bag\ttab"}) {
    auto body = bag_request(5);
    body["title"] = title;
    auto response = create_offer_request(body);
    EXPECT_EQ(response.status, 400) << response.body;
    EXPECT_TRUE(has_field(problem_fields(response), "title")) << response.body;
  }
  auto body = bag_request(5);
  body["description"] = "Bread\nand\tcake";
  EXPECT_EQ(create_offer_request(body).status, 201);
}

TEST_P(ApiTest, RejectsCoordinatesOutOfRange) {
  auto search = call("GET", "/offers?latitude=91&longitude=13.4");
  EXPECT_EQ(search.status, 400);
  EXPECT_TRUE(has_field(problem_fields(search), "latitude"));
  auto search_lon = call("GET", "/offers?latitude=52&longitude=-180.5");
  EXPECT_EQ(search_lon.status, 400);
  EXPECT_TRUE(has_field(problem_fields(search_lon), "longitude"));
  auto missing = call("GET", "/offers?latitude=52");
  EXPECT_EQ(missing.status, 400);

  auto restaurant = call("PUT", "/internal/restaurants/" + core::new_uuid_v7(), as_service(),
                         nlohmann::json{{"name", "X"}, {"latitude", 120}, {"longitude", 13.4}});
  EXPECT_EQ(restaurant.status, 400);
  EXPECT_TRUE(has_field(problem_fields(restaurant), "latitude"));

  std::string courier = core::new_uuid_v7();
  auto courier_token = as(auth::Role::kCourier, courier);
  ASSERT_EQ(
      call("POST", "/couriers", courier_token, nlohmann::json{{"name", "C"}, {"vehicle", "BIKE"}})
          .status,
      201);
  auto location = call("PUT", "/couriers/" + courier + "/location", courier_token,
                       nlohmann::json{{"latitude", 52.5}, {"longitude", 200}});
  EXPECT_EQ(location.status, 400);
  EXPECT_TRUE(has_field(problem_fields(location), "longitude"));

  auto delivery = call("POST", "/internal/deliveries", as_service(),
                       nlohmann::json{{"orderId", core::new_uuid_v7()},
                                      {"restaurantId", restaurant_},
                                      {"customerId", core::new_uuid_v7()},
                                      {"dropoff", {{"latitude", -91}, {"longitude", 13.4}}},
                                      {"dropoffAddress", "Somewhere"}});
  EXPECT_EQ(delivery.status, 400);
  EXPECT_TRUE(has_field(problem_fields(delivery), "dropoff.latitude"));
}

// The orders service accepts names of 120 characters. In four-byte characters that is 480
// bytes, which the copy must accept; one byte more is rejected.
TEST_P(ApiTest, RestaurantCopyTakesEveryNameOrdersAccepts) {
  std::string longest;
  for (int i = 0; i < 120; ++i) {
    longest += "\xF0\x9F\x8D\x9E";  // U+1F35E, four bytes
  }
  const std::string restaurant = core::new_uuid_v7();
  auto copied = call("PUT", "/internal/restaurants/" + restaurant, as_service(),
                     nlohmann::json{{"name", longest}, {"latitude", 52.5}, {"longitude", 13.4}});
  EXPECT_EQ(copied.status, 200) << copied.body;

  auto too_long =
      call("PUT", "/internal/restaurants/" + core::new_uuid_v7(), as_service(),
           nlohmann::json{{"name", longest + "a"}, {"latitude", 52.5}, {"longitude", 13.4}});
  EXPECT_EQ(too_long.status, 400);
  EXPECT_TRUE(has_field(problem_fields(too_long), "name"));
}

TEST_P(ApiTest, ReportsReservationProblemCodes) {
  std::string offer = published_offer(3, 1);
  std::string customer = core::new_uuid_v7();
  auto first = reserve(offer, customer, 1);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.body_json()["status"], "HELD");
  EXPECT_EQ(first.body_json()["unitPrice"]["amount"], 300);
  EXPECT_EQ(first.body_json()["offer"]["quantityAvailable"], 2);

  auto limit = reserve(offer, customer, 1);
  EXPECT_EQ(limit.status, 409);
  EXPECT_EQ(problem_code(limit), "LIMIT_EXCEEDED");

  reserve(offer, core::new_uuid_v7(), 1);
  reserve(offer, core::new_uuid_v7(), 1);
  auto sold_out = reserve(offer, core::new_uuid_v7(), 1);
  EXPECT_EQ(sold_out.status, 409);
  EXPECT_EQ(problem_code(sold_out), "SOLD_OUT");

  auto draft = create_offer_request(bag_request());
  auto not_active = reserve(draft.body_json()["id"], core::new_uuid_v7(), 1);
  EXPECT_EQ(not_active.status, 409);
  EXPECT_EQ(problem_code(not_active), "OFFER_NOT_ACTIVE");

  auto unknown = reserve(core::new_uuid_v7(), core::new_uuid_v7(), 1);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(problem_code(unknown), "NOT_FOUND");
}

TEST_P(ApiTest, ReleaseIsIdempotent) {
  std::string offer = published_offer(2, 2);
  std::string reservation = core::new_uuid_v7();
  ASSERT_EQ(reserve(offer, core::new_uuid_v7(), 2, reservation).status, 201);
  auto again = reserve(offer, core::new_uuid_v7(), 2, reservation);
  EXPECT_EQ(again.status, 409);  // same id, another customer
  auto released = call("DELETE", "/internal/reservations/" + reservation, as_service());
  ASSERT_EQ(released.status, 200);
  EXPECT_EQ(released.body_json()["quantityReleased"], 2);
  EXPECT_EQ(released.body_json()["releasedNow"], true);
  auto repeated = call("DELETE", "/internal/reservations/" + reservation, as_service());
  EXPECT_EQ(repeated.body_json()["quantityReleased"], 2);
  EXPECT_EQ(repeated.body_json()["releasedNow"], false);
  EXPECT_EQ(call("GET", "/offers/" + offer).body_json()["quantityAvailable"], 2);
}

TEST_P(ApiTest, SearchReturnsDistancesAndPages) {
  published_offer(5, 5);
  std::string near_restaurant = core::new_uuid_v7();
  call("PUT", "/internal/restaurants/" + near_restaurant, as_service(),
       nlohmann::json{{"name", "Near"}, {"latitude", 52.509}, {"longitude", 13.4}});
  auto body = bag_request();
  body["publish"] = true;
  body["category"] = "meals";
  auto created = call("POST", "/restaurants/" + near_restaurant + "/offers",
                      as(auth::Role::kStore, core::new_uuid_v7(), {near_restaurant}), body);
  ASSERT_EQ(created.status, 201) << created.body;

  auto first = call("GET", "/offers?latitude=52.5&longitude=13.4&radiusKm=2&first=1");
  ASSERT_EQ(first.status, 200) << first.body;
  auto page = first.body_json();
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["distanceKm"], 0.0);
  EXPECT_EQ(page["items"][0]["location"]["latitude"], 52.5);
  ASSERT_TRUE(page["nextCursor"].is_string());
  auto second = call("GET", "/offers?latitude=52.5&longitude=13.4&radiusKm=2&first=1&after=" +
                                page["nextCursor"].get<std::string>());
  auto next_page = second.body_json();
  ASSERT_EQ(next_page["items"].size(), 1u);
  // 0.009 degrees of latitude is 1.000756 km, shown to the metre.
  EXPECT_DOUBLE_EQ(next_page["items"][0]["distanceKm"].get<double>(), 1.001);
  EXPECT_TRUE(next_page["nextCursor"].is_null());

  auto meals = call("GET", "/offers?latitude=52.5&longitude=13.4&category=meals");
  EXPECT_EQ(meals.body_json()["items"].size(), 1u);
  auto bad_cursor = call("GET", "/offers?latitude=52.5&longitude=13.4&after=%21%21");
  EXPECT_EQ(bad_cursor.status, 400);
  EXPECT_TRUE(has_field(problem_fields(bad_cursor), "after"));
  auto bad_sort = call("GET", "/offers?latitude=52.5&longitude=13.4&sort=rating");
  EXPECT_EQ(bad_sort.status, 400);
  auto too_many = call("GET", "/offers?latitude=52.5&longitude=13.4&first=101");
  EXPECT_EQ(too_many.status, 400);
}

TEST_P(ApiTest, CourierDeliversAndReadsRoute) {
  std::string courier = core::new_uuid_v7();
  auto courier_token = as(auth::Role::kCourier, courier);
  ASSERT_EQ(call("POST", "/couriers", courier_token,
                 nlohmann::json{{"name", "Kemal"}, {"vehicle", "BIKE"}})
                .status,
            201);
  ASSERT_EQ(
      call("PATCH", "/couriers/" + courier, courier_token, nlohmann::json{{"status", "AVAILABLE"}})
          .status,
      200);
  ASSERT_EQ(call("PUT", "/couriers/" + courier + "/location", courier_token,
                 nlohmann::json{{"latitude", 52.499}, {"longitude", 13.399}})
                .status,
            200);
  std::string far = core::new_uuid_v7();
  auto far_token = as(auth::Role::kCourier, far);
  call("POST", "/couriers", far_token, nlohmann::json{{"name", "Far"}, {"vehicle", "CAR"}});
  call("PATCH", "/couriers/" + far, far_token, nlohmann::json{{"status", "AVAILABLE"}});
  call("PUT", "/couriers/" + far + "/location", far_token,
       nlohmann::json{{"latitude", 52.55}, {"longitude", 13.5}});

  std::string order = core::new_uuid_v7();
  std::string customer = core::new_uuid_v7();
  auto created = call("POST", "/internal/deliveries", as_service(),
                      nlohmann::json{{"orderId", order},
                                     {"restaurantId", restaurant_},
                                     {"customerId", customer},
                                     {"dropoff", {{"latitude", 52.51}, {"longitude", 13.41}}},
                                     {"dropoffAddress", "Oranienstraße 1"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto delivery = created.body_json();
  EXPECT_EQ(delivery["status"], "ASSIGNED");
  EXPECT_EQ(delivery["courierId"], courier);
  std::string code = delivery["proofCode"];
  std::string id = delivery["id"];

  auto repeat = call("POST", "/internal/deliveries", as_service(),
                     nlohmann::json{{"orderId", order},
                                    {"restaurantId", restaurant_},
                                    {"customerId", customer},
                                    {"dropoff", {{"latitude", 52.51}, {"longitude", 13.41}}},
                                    {"dropoffAddress", "Oranienstraße 1"}});
  EXPECT_EQ(repeat.status, 200);
  EXPECT_EQ(repeat.body_json()["id"], id);

  auto seen_by_courier = call("GET", "/deliveries/" + id, courier_token).body_json();
  EXPECT_FALSE(seen_by_courier.contains("proofCode"));

  auto route = call("GET", "/couriers/" + courier + "/route", courier_token);
  ASSERT_EQ(route.status, 200) << route.body;
  auto plan = route.body_json();
  ASSERT_EQ(plan["stops"].size(), 2u);
  EXPECT_EQ(plan["stops"][0]["kind"], "PICKUP");
  EXPECT_EQ(plan["stops"][1]["kind"], "DROPOFF");
  auto first_eta = core::parse_rfc3339(plan["stops"][0]["eta"].get<std::string>());
  auto second_eta = core::parse_rfc3339(plan["stops"][1]["eta"].get<std::string>());
  ASSERT_TRUE(first_eta.has_value());
  ASSERT_TRUE(second_eta.has_value());
  EXPECT_LT(*first_eta, *second_eta);
  EXPECT_GT(plan["totalKm"].get<double>(), 1.0);

  auto picked = call("POST", "/deliveries/" + id + "/status", courier_token,
                     nlohmann::json{{"status", "PICKED_UP"}});
  ASSERT_EQ(picked.status, 200) << picked.body;
  auto after_pickup = call("GET", "/couriers/" + courier + "/route", courier_token).body_json();
  ASSERT_EQ(after_pickup["stops"].size(), 1u);
  EXPECT_EQ(after_pickup["stops"][0]["kind"], "DROPOFF");

  auto wrong = call("POST", "/deliveries/" + id + "/status", courier_token,
                    nlohmann::json{{"status", "DELIVERED"},
                                   {"proofCode", code == "123456" ? "654321" : "123456"}});
  EXPECT_EQ(wrong.status, 403);
  auto delivered = call("POST", "/deliveries/" + id + "/status", courier_token,
                        nlohmann::json{{"status", "DELIVERED"}, {"proofCode", code}});
  ASSERT_EQ(delivered.status, 200) << delivered.body;
  EXPECT_EQ(delivered.body_json()["status"], "DELIVERED");
  auto backwards = call("POST", "/deliveries/" + id + "/status", courier_token,
                        nlohmann::json{{"status", "PICKED_UP"}});
  EXPECT_EQ(backwards.status, 409);
  EXPECT_EQ(problem_code(backwards), "CONFLICT");
  EXPECT_TRUE(
      call("GET", "/couriers/" + courier + "/route", courier_token).body_json()["stops"].empty());
  EXPECT_EQ(outbox_count("delivery.status_changed"), 2);
}

TEST_P(ApiTest, InventoryListsLowStockFirst) {
  std::vector<std::string> products;
  for (int quantity : {9, 1, 5}) {
    std::string product = add_product(restaurant_);
    products.push_back(product);
    auto put = call(
        "PUT", "/restaurants/" + restaurant_ + "/inventory/" + product, staff_,
        nlohmann::json{{"quantity", quantity}, {"unit", "piece"}, {"bestBefore", "2026-12-24"}});
    ASSERT_EQ(put.status, 200) << put.body;
  }
  auto first =
      call("GET", "/restaurants/" + restaurant_ + "/inventory?sort=lowStock&first=2", staff_)
          .body_json();
  ASSERT_EQ(first["items"].size(), 2u);
  EXPECT_EQ(first["items"][0]["productId"], products[1]);
  EXPECT_EQ(first["items"][1]["productId"], products[2]);
  auto second = call("GET",
                     "/restaurants/" + restaurant_ + "/inventory?sort=lowStock&first=2&after=" +
                         first["nextCursor"].get<std::string>(),
                     staff_)
                    .body_json();
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_EQ(second["items"][0]["productId"], products[0]);
  EXPECT_TRUE(second["nextCursor"].is_null());

  auto below_zero =
      call("POST", "/restaurants/" + restaurant_ + "/inventory/" + products[1] + "/adjustments",
           staff_, nlohmann::json{{"delta", -2}});
  EXPECT_EQ(below_zero.status, 409);
  EXPECT_EQ(problem_code(below_zero), "INSUFFICIENT_INVENTORY");
  auto bad_date = call("PUT", "/restaurants/" + restaurant_ + "/inventory/" + products[1], staff_,
                       nlohmann::json{{"quantity", 1}, {"bestBefore", "2026-02-30"}});
  EXPECT_EQ(bad_date.status, 400);
  EXPECT_TRUE(has_field(problem_fields(bad_date), "bestBefore"));
}

TEST_P(ApiTest, OpenApiDocumentsEveryRoute) {
  auto response = call("GET", "/openapi.json");
  ASSERT_EQ(response.status, 200);
  auto document = response.body_json();
  EXPECT_EQ(document["openapi"], "3.1.0");
  std::set<std::string> documented;
  for (const auto& [path, operations] : document["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      if (method == "parameters") {
        continue;
      }
      std::string upper = method;
      std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
      documented.insert(upper + " " + path);
      EXPECT_TRUE(operation.contains("responses")) << upper << " " << path;
      EXPECT_TRUE(operation.contains("operationId")) << upper << " " << path;
    }
  }
  std::set<std::string> served;
  for (const auto& route : all_routes()) {
    served.insert(route.method + " " + route.pattern);
  }
  for (const auto& route : served) {
    EXPECT_TRUE(documented.count(route)) << route << " is served but not documented";
  }
  for (const auto& route : documented) {
    EXPECT_TRUE(served.count(route)) << route << " is documented but not served";
  }
}

SURPLUS_DB_INSTANTIATE_ALL(ApiTest);

}  // namespace
}  // namespace surplus::offers
