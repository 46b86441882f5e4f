// The order flow through HTTP: the real orders routes and a real offers service, on
// SQLite and PostgreSQL.
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include <surplus/core/id.hpp>

#include "flow_test_support.hpp"

namespace surplus::orders::testing {
namespace {

class OrderFlow : public OrderFlowTest {
 protected:
  struct Placed {
    TestRestaurant restaurant;
    TestUser customer;
    std::string offer_id;
    nlohmann::json order;
  };

  // A CONFIRMED pickup order of 1 unit of a 5-unit offer.
  Placed confirmed_order() {
    Placed placed{restaurant("Bakery"), customer("ada"), "", {}};
    placed.offer_id = publish_offer(placed.restaurant, 5);
    auto response = place(placed.customer, placed.offer_id);
    EXPECT_EQ(response.status, 201) << response.body;
    placed.order = response.body_json();
    EXPECT_EQ(placed.order["status"], "CONFIRMED");
    return placed;
  }

  http::Response get(const std::string& order_id, const std::optional<std::string>& token) {
    return orders().call("GET", "/orders/" + order_id, std::nullopt, token);
  }

  http::Response post(const std::string& target, const nlohmann::json& body,
                      const std::optional<std::string>& token) {
    return orders().call("POST", target, body, token);
  }
};

// The confirmation is written without reading the order back, so the response and the
// order.confirmed event are built in memory. Both must equal the order as stored.
TEST_P(OrderFlow, ConfirmedEventMatchesStoredOrder) {
  auto placed = confirmed_order();
  std::string id = placed.order["id"];
  auto stored = get(id, placed.customer.token);
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(placed.order, stored.body_json());

  auto envelope = nlohmann::json::parse(
      orders_db()
          .execute("SELECT envelope FROM outbox WHERE event_type = 'order.confirmed'")
          .one()
          .get<std::string>(0));
  auto as_staff = get(id, placed.restaurant.staff.token);
  ASSERT_EQ(as_staff.status, 200) << as_staff.body;
  EXPECT_EQ(envelope["data"], as_staff.body_json());
  EXPECT_EQ(envelope["channels"], nlohmann::json({"order:" + id, "user:" + placed.customer.id,
                                                  "restaurant:" + placed.restaurant.id}));
}

TEST_P(OrderFlow, PickupHappyPath) {
  auto placed = confirmed_order();
  const auto& order = placed.order;
  EXPECT_EQ(order["restaurantId"], placed.restaurant.id);
  EXPECT_EQ(order["customerId"], placed.customer.id);
  ASSERT_EQ(order["lines"].size(), 1u);
  EXPECT_EQ(order["lines"][0]["title"], "Bakery surprise bag");
  EXPECT_EQ(order["lines"][0]["unitPrice"]["amount"], 300);
  EXPECT_EQ(order["lines"][0]["originalUnitPrice"]["amount"], 900);
  EXPECT_EQ(order["total"]["amount"], 300);
  EXPECT_EQ(order["total"]["currency"], "EUR");
  EXPECT_EQ(order["cancelUntil"], order["pickupWindow"]["start"]);
  ASSERT_TRUE(order["pickupCode"].is_string());
  EXPECT_EQ(order["pickupCode"].get<std::string>().size(), 6u);
  EXPECT_TRUE(order["confirmedAt"].is_string());
  EXPECT_EQ(offer_quantity_available(placed.offer_id), 4);
  EXPECT_EQ(outbox_count("order.created"), 1);
  EXPECT_EQ(outbox_count("order.confirmed"), 1);

  auto reservation = offers_call("GET", "/internal/reservations/" + order["id"].get<std::string>());
  ASSERT_EQ(reservation.status, 200) << reservation.body;
  EXPECT_EQ(reservation.body_json()["status"], "HELD");

  // The store reads the order without its pickup code.
  auto as_staff = get(order["id"], placed.restaurant.staff.token);
  ASSERT_EQ(as_staff.status, 200) << as_staff.body;
  EXPECT_TRUE(as_staff.body_json()["pickupCode"].is_null());

  auto collected = post("/orders/" + order["id"].get<std::string>() + "/collect",
                        {{"pickupCode", order["pickupCode"]}}, placed.restaurant.staff.token);
  ASSERT_EQ(collected.status, 200) << collected.body;
  EXPECT_EQ(collected.body_json()["status"], "COLLECTED");
  EXPECT_TRUE(collected.body_json()["collectedAt"].is_string());
  EXPECT_EQ(outbox_count("order.collected"), 1);

  auto rated = post("/orders/" + order["id"].get<std::string>() + "/rating",
                    {{"stars", 4}, {"comment", "Good bread"}}, placed.customer.token);
  ASSERT_EQ(rated.status, 201) << rated.body;
  auto again = post("/orders/" + order["id"].get<std::string>() + "/rating", {{"stars", 5}},
                    placed.customer.token);
  EXPECT_EQ(again.status, 409) << again.body;
  auto restaurant_json = orders().call("GET", "/restaurants/" + placed.restaurant.id);
  ASSERT_EQ(restaurant_json.status, 200);
  EXPECT_EQ(restaurant_json.body_json()["rating"]["count"], 1);
  EXPECT_EQ(restaurant_json.body_json()["rating"]["average"], 4.0);

  auto audience = orders().call(
      "GET", "/internal/orders/" + order["id"].get<std::string>() + "/audience", std::nullopt,
      std::nullopt, {{"X-Service-Secret", std::string(OrdersTestServer::kTestServiceSecret)}});
  ASSERT_EQ(audience.status, 200) << audience.body;
  EXPECT_EQ(audience.body_json()["orderId"], order["id"]);
  EXPECT_EQ(audience.body_json()["customerId"], placed.customer.id);
  EXPECT_EQ(audience.body_json()["restaurantId"], placed.restaurant.id);
  EXPECT_TRUE(audience.body_json()["courierId"].is_null());
}

TEST_P(OrderFlow, RejectionCodesFromOffers) {
  auto store = restaurant("Corner shop");
  auto buyer = customer("bob");
  auto offer = publish_offer(store, 2, 1);

  auto too_many = place(buyer, offer, 2);
  ASSERT_EQ(too_many.status, 201) << too_many.body;
  EXPECT_EQ(too_many.body_json()["status"], "REJECTED");
  EXPECT_EQ(too_many.body_json()["rejection"]["code"], "LIMIT_EXCEEDED");
  EXPECT_TRUE(too_many.body_json()["pickupCode"].is_null());

  auto unknown = place(buyer, core::new_uuid_v7());
  ASSERT_EQ(unknown.status, 201) << unknown.body;
  EXPECT_EQ(unknown.body_json()["rejection"]["code"], "OFFER_NOT_ACTIVE");

  ASSERT_EQ(place(customer("c1"), offer).status, 201);
  ASSERT_EQ(place(customer("c2"), offer).status, 201);
  auto sold_out = place(customer("c3"), offer);
  EXPECT_EQ(sold_out.body_json()["status"], "REJECTED");
  EXPECT_EQ(sold_out.body_json()["rejection"]["code"], "SOLD_OUT");
  EXPECT_EQ(offer_quantity_available(offer), 0);
  EXPECT_EQ(outbox_count("order.rejected"), 3);
  EXPECT_EQ(orders_db()
                .execute("SELECT COUNT(*) FROM orders WHERE release_required")
                .one()
                .get<std::int64_t>(0),
            0);
}

TEST_P(OrderFlow, IdempotencyKeyReplaysAndConflicts) {
  auto store = restaurant("Bakery");
  auto buyer = customer("eve");
  auto offer = publish_offer(store, 5);
  auto first = place(buyer, offer, 1, "key-1");
  ASSERT_EQ(first.status, 201) << first.body;
  auto replay = place(buyer, offer, 1, "key-1");
  ASSERT_EQ(replay.status, 200) << replay.body;
  EXPECT_EQ(replay.body_json()["id"], first.body_json()["id"]);
  EXPECT_EQ(replay.body_json()["pickupCode"], first.body_json()["pickupCode"]);

  auto different = place(buyer, offer, 2, "key-1");
  EXPECT_EQ(different.status, 409) << different.body;
  EXPECT_EQ(problem_code(different), "CONFLICT");

  // The key is scoped to the customer: another customer's same key is a new order.
  auto other = place(customer("mallory"), offer, 1, "key-1");
  ASSERT_EQ(other.status, 201) << other.body;
  EXPECT_NE(other.body_json()["id"], first.body_json()["id"]);
  EXPECT_EQ(offer_quantity_available(offer), 3);

  auto missing = orders().call(
      "POST", "/orders",
      nlohmann::json{{"offerId", offer}, {"quantity", 1}, {"fulfilment", "PICKUP"}}, buyer.token);
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(problem_code(missing), "VALIDATION_FAILED");
}

TEST_P(OrderFlow, InvalidBodiesListFields) {
  auto buyer = customer("val");
  http::Headers headers{{"Idempotency-Key", "k"}};
  auto response = orders().call(
      "POST", "/orders",
      nlohmann::json{{"offerId", "nope"}, {"quantity", 0}, {"fulfilment", "DELIVERY"}, {"x", 1}},
      buyer.token, headers);
  ASSERT_EQ(response.status, 400) << response.body;
  std::set<std::string> fields;
  std::map<std::string, std::string> messages;
  auto problem = response.body_json();
  for (const auto& error : problem["errors"]) {
    fields.insert(error["field"].get<std::string>());
    messages[error["field"]] = error["message"];
  }
  EXPECT_TRUE(fields.contains("offerId"));
  EXPECT_EQ(messages["quantity"], "must be between 1 and 100, got 0");
  EXPECT_TRUE(fields.contains("deliveryAddress"));
  EXPECT_TRUE(fields.contains("x"));

  auto fraction = orders().call(
      "POST", "/orders",
      nlohmann::json{{"offerId", core::new_uuid_v7()}, {"quantity", 1.5}, {"fulfilment", "PICKUP"}},
      buyer.token, headers);
  ASSERT_EQ(fraction.status, 400) << fraction.body;
  EXPECT_EQ(fraction.body_json()["errors"][0]["message"],
            "must be a whole number from 1 to 100, got 1.5");
}

TEST_P(OrderFlow, CustomerCancelReleasesUntilCancelUntil) {
  auto placed = confirmed_order();
  std::string id = placed.order["id"];
  auto cancelled =
      post("/orders/" + id + "/cancel", nlohmann::json::object(), placed.customer.token);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.body_json()["status"], "CANCELLED");
  EXPECT_EQ(cancelled.body_json()["cancelledBy"], "CUSTOMER");
  EXPECT_EQ(offer_quantity_available(placed.offer_id), 5);
  EXPECT_EQ(outbox_count("order.cancelled"), 1);

  // A repeated cancel returns the same order, releases nothing more and writes no event.
  auto twice = post("/orders/" + id + "/cancel", nlohmann::json::object(), placed.customer.token);
  ASSERT_EQ(twice.status, 200) << twice.body;
  EXPECT_EQ(twice.body_json()["status"], "CANCELLED");
  EXPECT_EQ(twice.body_json()["cancelledAt"], cancelled.body_json()["cancelledAt"]);
  EXPECT_EQ(offer_quantity_available(placed.offer_id), 5);
  EXPECT_EQ(outbox_count("order.cancelled"), 1);

  // Past cancelUntil only the store may cancel, and it must give a reason.
  auto late = place(placed.customer, placed.offer_id);
  std::string late_id = late.body_json()["id"];
  orders_db().execute("UPDATE orders SET cancel_until = $2 WHERE id = $1",
                      {late_id, core::to_unix_micros(core::now()) - 1000});
  auto refused =
      post("/orders/" + late_id + "/cancel", nlohmann::json::object(), placed.customer.token);
  EXPECT_EQ(refused.status, 409) << refused.body;
  auto no_reason = post("/orders/" + late_id + "/cancel", nlohmann::json::object(),
                        placed.restaurant.staff.token);
  EXPECT_EQ(no_reason.status, 400) << no_reason.body;
  auto by_store = post("/orders/" + late_id + "/cancel", {{"reason", "oven broke"}},
                       placed.restaurant.staff.token);
  ASSERT_EQ(by_store.status, 200) << by_store.body;
  EXPECT_EQ(by_store.body_json()["cancelledBy"], "STORE");
  EXPECT_EQ(by_store.body_json()["cancellationReason"], "oven broke");
  EXPECT_EQ(offer_quantity_available(placed.offer_id), 5);
}

TEST_P(OrderFlow, RefusedTransitionsNameStatus) {
  auto placed = confirmed_order();
  std::string id = placed.order["id"];
  std::string code = placed.order["pickupCode"];
  auto staff = placed.restaurant.staff.token;
  ASSERT_EQ(post("/orders/" + id + "/collect", {{"pickupCode", code}}, staff).status, 200);

  auto collect_again = post("/orders/" + id + "/collect", {{"pickupCode", code}}, staff);
  EXPECT_EQ(collect_again.status, 409);
  EXPECT_NE(collect_again.body.find("is COLLECTED"), std::string::npos) << collect_again.body;
  auto cancel = post("/orders/" + id + "/cancel", {{"reason", "late"}}, staff);
  EXPECT_EQ(cancel.status, 409);
  EXPECT_NE(cancel.body.find("is COLLECTED"), std::string::npos) << cancel.body;

  // NO_SHOW once the pickup window has ended; then nothing more is allowed.
  auto other = place(placed.customer, placed.offer_id).body_json();
  std::string other_id = other["id"];
  orders_db().execute("UPDATE orders SET pickup_end = $2 WHERE id = $1",
                      {other_id, core::to_unix_micros(core::now()) - 1000});
  auto stats = make_reconciler()->run_once(core::now());
  EXPECT_EQ(stats.no_shows, 1u);
  auto no_show = get(other_id, placed.customer.token).body_json();
  EXPECT_EQ(no_show["status"], "NO_SHOW");
  EXPECT_TRUE(no_show["noShowAt"].is_string());
  EXPECT_EQ(outbox_count("order.no_show"), 1);
  auto collect_late =
      post("/orders/" + other_id + "/collect", {{"pickupCode", other["pickupCode"]}}, staff);
  EXPECT_EQ(collect_late.status, 409);
  EXPECT_NE(collect_late.body.find("is NO_SHOW"), std::string::npos) << collect_late.body;
  auto rate = post("/orders/" + other_id + "/rating", {{"stars", 1}}, placed.customer.token);
  EXPECT_EQ(rate.status, 409);
}

TEST_P(OrderFlow, WrongPickupCodesAreRateLimited) {
  auto placed = confirmed_order();
  std::string id = placed.order["id"];
  auto staff = placed.restaurant.staff.token;
  for (int i = 0; i < 5; ++i) {
    auto wrong = post("/orders/" + id + "/collect", {{"pickupCode", "ZZZZZZ"}}, staff);
    ASSERT_EQ(wrong.status, 400) << wrong.body;
  }
  auto limited =
      post("/orders/" + id + "/collect", {{"pickupCode", placed.order["pickupCode"]}}, staff);
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(problem_code(limited), "RATE_LIMITED");
  auto retry_after = limited.headers.get("Retry-After");
  ASSERT_TRUE(retry_after.has_value());
  EXPECT_GT(std::stoi(std::string(*retry_after)), 0);
  // The message carries the delay too: GraphQL clients see no response headers.
  EXPECT_EQ(limited.body_json()["detail"], "too many wrong pickup codes for order " + id +
                                               "; try again in " + std::string(*retry_after) +
                                               " seconds");
  EXPECT_EQ(get(id, staff).body_json()["status"], "CONFIRMED");

  // The lower-case code is accepted once the window has passed.
  orders_db().execute("UPDATE orders SET code_window_start = 0 WHERE id = $1", {id});
  std::string code = placed.order["pickupCode"];
  std::transform(code.begin(), code.end(), code.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto collected = post("/orders/" + id + "/collect", {{"pickupCode", code}}, staff);
  EXPECT_EQ(collected.status, 200) << collected.body;
}

TEST_P(OrderFlow, AuthorizationPerRole) {
  auto placed = confirmed_order();
  std::string id = placed.order["id"];
  auto stranger = customer("stranger");
  auto other_store = restaurant("Other");
  auto admin = admin_token();

  EXPECT_EQ(get(id, std::nullopt).status, 401);
  EXPECT_EQ(get(id, stranger.token).status, 403);
  EXPECT_EQ(get(id, other_store.staff.token).status, 403);
  auto as_admin = get(id, admin);
  ASSERT_EQ(as_admin.status, 200);
  EXPECT_TRUE(as_admin.body_json()["pickupCode"].is_null());
  EXPECT_EQ(get(core::new_uuid_v7(), admin).status, 404);

  // Only customers place orders.
  EXPECT_EQ(
      place({placed.restaurant.staff.id, placed.restaurant.staff.token}, placed.offer_id).status,
      403);
  EXPECT_EQ(place({"", admin}, placed.offer_id).status, 403);

  // Only the restaurant's staff (or an admin) confirm collection.
  auto code = placed.order["pickupCode"];
  EXPECT_EQ(
      post("/orders/" + id + "/collect", {{"pickupCode", code}}, placed.customer.token).status,
      403);
  EXPECT_EQ(
      post("/orders/" + id + "/collect", {{"pickupCode", code}}, other_store.staff.token).status,
      403);
  EXPECT_EQ(post("/orders/" + id + "/cancel", {{"reason", "x"}}, stranger.token).status, 403);
  EXPECT_EQ(post("/orders/" + id + "/rating", {{"stars", 3}}, placed.restaurant.staff.token).status,
            403);

  // Lists: the caller's own, a restaurant's for its staff, everything for admins.
  auto own = orders().call("GET", "/orders", std::nullopt, placed.customer.token);
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(own.body_json()["items"].size(), 1u);
  EXPECT_EQ(
      orders().call("GET", "/orders", std::nullopt, stranger.token).body_json()["items"].size(),
      0u);
  auto store_list = orders().call("GET", "/orders?restaurantId=" + placed.restaurant.id,
                                  std::nullopt, placed.restaurant.staff.token);
  ASSERT_EQ(store_list.status, 200) << store_list.body;
  EXPECT_EQ(store_list.body_json()["items"].size(), 1u);
  EXPECT_EQ(orders()
                .call("GET", "/orders?restaurantId=" + placed.restaurant.id, std::nullopt,
                      other_store.staff.token)
                .status,
            403);
  EXPECT_EQ(
      orders()
          .call("GET", "/orders?restaurantId=" + placed.restaurant.id, std::nullopt, stranger.token)
          .status,
      403);

  // The audience endpoint wants the service secret.
  EXPECT_EQ(orders().call("GET", "/internal/orders/" + id + "/audience").status, 401);
  EXPECT_EQ(orders()
                .call("GET", "/internal/orders/" + core::new_uuid_v7() + "/audience", std::nullopt,
                      std::nullopt,
                      {{"X-Service-Secret", std::string(OrdersTestServer::kTestServiceSecret)}})
                .status,
            404);
}

// Every transition a caller can ask for, by every kind of caller. Rejected calls leave the
// order as it was, so they all run against one CONFIRMED order. Each allowed transition
// gets an order of its own. CustomerCancelReleasesUntilCancelUntil covers cancellation by
// the customer.
TEST_P(OrderFlow, TransitionsByEveryRole) {
  auto placed = confirmed_order();
  const std::string id = placed.order["id"];
  const std::string code = placed.order["pickupCode"];
  const auto stranger = customer("stranger");
  const auto other_store = restaurant("Other");
  const auto courier_user = courier("carl");
  const auto admin = admin_token();
  const nlohmann::json reason = {{"reason", "oven broke"}};
  const nlohmann::json pickup = {{"pickupCode", code}};
  const nlohmann::json stars = {{"stars", 4}};

  struct RejectedCall {
    const char* action;
    std::string target;
    nlohmann::json body;
    std::optional<std::string> token;
    int status;
  };
  const std::vector<RejectedCall> rejected_calls = {
      {"cancel, anonymous", "/cancel", reason, std::nullopt, 401},
      {"cancel, other customer", "/cancel", reason, stranger.token, 403},
      {"cancel, other store", "/cancel", reason, other_store.staff.token, 403},
      {"cancel, unrelated courier", "/cancel", reason, courier_user.token, 403},
      {"cancel, own store without reason", "/cancel", nlohmann::json::object(),
       placed.restaurant.staff.token, 400},
      {"collect, anonymous", "/collect", pickup, std::nullopt, 401},
      {"collect, its customer", "/collect", pickup, placed.customer.token, 403},
      {"collect, other customer", "/collect", pickup, stranger.token, 403},
      {"collect, other store", "/collect", pickup, other_store.staff.token, 403},
      {"collect, unrelated courier", "/collect", pickup, courier_user.token, 403},
      {"rate, anonymous", "/rating", stars, std::nullopt, 401},
      {"rate, other customer", "/rating", stars, stranger.token, 403},
      {"rate, own store", "/rating", stars, placed.restaurant.staff.token, 403},
      {"rate, admin", "/rating", stars, admin, 403},
      {"rate, its customer before collection", "/rating", stars, placed.customer.token, 409},
  };
  for (const auto& call : rejected_calls) {
    auto response = post("/orders/" + id + call.target, call.body, call.token);
    EXPECT_EQ(response.status, call.status) << call.action << ": " << response.body;
  }
  EXPECT_EQ(get(id, placed.customer.token).body_json()["status"], "CONFIRMED");

  // Allowed: the store cancels with a reason, an admin cancels, an admin confirms
  // collection, and the customer then rates once.
  auto place_for = [&](const std::string& name) {
    auto response = place(customer(name), placed.offer_id);
    EXPECT_EQ(response.status, 201) << response.body;
    return response.body_json();
  };
  auto by_store = place_for("bo");
  auto store_cancel = post("/orders/" + by_store["id"].get<std::string>() + "/cancel", reason,
                           placed.restaurant.staff.token);
  ASSERT_EQ(store_cancel.status, 200) << store_cancel.body;
  EXPECT_EQ(store_cancel.body_json()["status"], "CANCELLED");
  EXPECT_EQ(store_cancel.body_json()["cancelledBy"], "STORE");

  auto by_admin = place_for("cy");
  auto admin_cancel =
      post("/orders/" + by_admin["id"].get<std::string>() + "/cancel", reason, admin);
  ASSERT_EQ(admin_cancel.status, 200) << admin_cancel.body;
  EXPECT_EQ(admin_cancel.body_json()["cancelledBy"], "ADMIN");

  auto admin_collect = post("/orders/" + id + "/collect", pickup, admin);
  ASSERT_EQ(admin_collect.status, 200) << admin_collect.body;
  EXPECT_EQ(admin_collect.body_json()["status"], "COLLECTED");
  auto rated = post("/orders/" + id + "/rating", stars, placed.customer.token);
  EXPECT_LT(rated.status, 300) << rated.body;
  auto rated_again = post("/orders/" + id + "/rating", stars, placed.customer.token);
  EXPECT_EQ(rated_again.status, 409) << rated_again.body;
}

TEST_P(OrderFlow, ListPagesAndFiltersByStatus) {
  auto store = restaurant("Bakery");
  auto buyer = customer("pager");
  auto offer = publish_offer(store, 10);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(place(buyer, offer).body_json()["id"]);
  }
  ASSERT_EQ(post("/orders/" + ids[0] + "/cancel", nlohmann::json::object(), buyer.token).status,
            200);

  std::vector<std::string> seen;
  std::string target = "/orders?first=2";
  for (int page = 0; page < 5; ++page) {
    auto response = orders().call("GET", target, std::nullopt, buyer.token);
    ASSERT_EQ(response.status, 200) << response.body;
    auto body = response.body_json();
    for (const auto& item : body["items"]) {
      seen.push_back(item["id"]);
    }
    if (response.body_json()["nextCursor"].is_null()) {
      break;
    }
    target = "/orders?first=2&after=" + response.body_json()["nextCursor"].get<std::string>();
  }
  std::vector<std::string> newest_first(ids.rbegin(), ids.rend());
  EXPECT_EQ(seen, newest_first);

  auto cancelled = orders().call("GET", "/orders?status=CANCELLED", std::nullopt, buyer.token);
  ASSERT_EQ(cancelled.status, 200);
  ASSERT_EQ(cancelled.body_json()["items"].size(), 1u);
  EXPECT_EQ(cancelled.body_json()["items"][0]["id"], ids[0]);
  EXPECT_EQ(orders().call("GET", "/orders?status=LOST", std::nullopt, buyer.token).status, 400);
}

TEST_P(OrderFlow, DeliveryOrderFollowsDelivery) {
  auto store = restaurant("Kitchen");
  auto buyer = customer("dora");
  auto rider = courier("rider");
  auto offer = publish_offer(store, 3);
  nlohmann::json address{
      {"address", "Skalitzer Str. 10, Berlin"}, {"latitude", 52.499}, {"longitude", 13.418}};
  auto placed = place(buyer, offer, 1, std::nullopt, "DELIVERY", address);
  ASSERT_EQ(placed.status, 201) << placed.body;
  auto order = placed.body_json();
  std::string id = order["id"];
  EXPECT_EQ(order["status"], "CONFIRMED");
  EXPECT_EQ(order["fulfilment"], "DELIVERY");
  EXPECT_EQ(order["deliveryAddress"]["address"], "Skalitzer Str. 10, Berlin");
  ASSERT_TRUE(order["deliveryId"].is_string()) << order.dump();
  std::string delivery_id = order["deliveryId"];

  auto admin = admin_token();
  auto assigned = offers_call("POST", "/deliveries/" + delivery_id + "/assign",
                              nlohmann::json{{"courierId", rider.id}}, admin);
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  auto picked = offers_call("POST", "/internal/deliveries/" + delivery_id + "/status",
                            nlohmann::json{{"status", "PICKED_UP"}});
  ASSERT_EQ(picked.status, 200) << picked.body;

  auto reconciler = make_reconciler();
  reconciler->run_once(core::now());
  auto out = orders().call("GET", "/orders/" + id, std::nullopt, rider.token);
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_EQ(out.body_json()["status"], "OUT_FOR_DELIVERY");
  EXPECT_EQ(out.body_json()["courierId"], rider.id);
  auto audience =
      orders().call("GET", "/internal/orders/" + id + "/audience", std::nullopt, std::nullopt,
                    {{"X-Service-Secret", std::string(OrdersTestServer::kTestServiceSecret)}});
  EXPECT_EQ(audience.body_json()["courierId"], rider.id);

  auto delivered = offers_call("POST", "/internal/deliveries/" + delivery_id + "/status",
                               nlohmann::json{{"status", "DELIVERED"}});
  ASSERT_EQ(delivered.status, 200) << delivered.body;
  reconciler->run_once(core::now());
  auto done = orders().call("GET", "/orders/" + id, std::nullopt, buyer.token).body_json();
  EXPECT_EQ(done["status"], "DELIVERED");
  EXPECT_TRUE(done["deliveredAt"].is_string());
  EXPECT_EQ(outbox_count("order.out_for_delivery"), 1);
  EXPECT_EQ(outbox_count("order.delivered"), 1);
  EXPECT_EQ(post("/orders/" + id + "/rating", {{"stars", 5}}, buyer.token).status, 201);
}

TEST_P(OrderFlow, DeliveryCreatedByReconcilerWhenOffersWasDown) {
  auto store = restaurant("Kitchen");
  auto buyer = customer("dan");
  auto offer = publish_offer(store, 3);
  nlohmann::json address{{"address", "Somewhere 1"}, {"latitude", 52.5}, {"longitude", 13.41}};
  auto placed = place(buyer, offer, 1, std::nullopt, "DELIVERY", address).body_json();
  std::string id = placed["id"];
  // Simulate a crash between confirmation and delivery creation.
  auto delivery_id = placed["deliveryId"].get<std::string>();
  orders_db().execute(
      "UPDATE orders SET delivery_id = NULL, delivery_status = NULL, delivery_required = TRUE "
      "WHERE id = $1",
      {id});
  stop_offers();
  auto reconciler = make_reconciler();
  EXPECT_EQ(reconciler->run_once(core::now()).deliveries_created, 0u);
  start_offers();
  EXPECT_EQ(reconciler->run_once(core::now()).deliveries_created, 1u);
  auto order = orders().call("GET", "/orders/" + id, std::nullopt, buyer.token).body_json();
  // The offers service keeps one delivery per order, so the retry found the first one.
  EXPECT_EQ(order["deliveryId"], delivery_id);
}

// A store may stock and offer only its own restaurant's products. The offers service reads
// the product's restaurant from the orders service.
TEST_P(OrderFlow, ForeignProductIsRejected) {
  auto owner = restaurant("Owner bakery");
  auto other = restaurant("Other bakery");
  std::string product = orders().create_product(owner.staff.token, owner.id, "Rye loaf")["id"];
  std::string expected = "product " + product + " belongs to restaurant " + owner.id +
                         ", not to restaurant " + other.id + "; use one of restaurant " + other.id +
                         "'s own products";
  nlohmann::json offer_body = surprise_bag_offer(2);
  offer_body["kind"] = "PRODUCT";
  offer_body["productId"] = product;

  for (const auto& token : {other.staff.token, admin_token()}) {
    auto stocked = offers_call("PUT", "/restaurants/" + other.id + "/inventory/" + product,
                               nlohmann::json{{"quantity", 5}}, token);
    EXPECT_EQ(stocked.status, 400) << stocked.body;
    EXPECT_EQ(problem_code(stocked), "VALIDATION_FAILED");
    EXPECT_EQ(stocked.body_json()["detail"], expected);
    ASSERT_EQ(stocked.body_json()["errors"].size(), 1u) << stocked.body;
    EXPECT_EQ(stocked.body_json()["errors"][0]["field"], "productId");
    EXPECT_EQ(stocked.body_json()["errors"][0]["message"], expected);

    auto offered = offers_call("POST", "/restaurants/" + other.id + "/offers", offer_body, token);
    EXPECT_EQ(offered.status, 400) << offered.body;
    EXPECT_EQ(offered.body_json()["detail"], expected);
    ASSERT_EQ(offered.body_json()["errors"].size(), 1u) << offered.body;
    EXPECT_EQ(offered.body_json()["errors"][0]["message"], expected);
  }

  // Nothing was written for the other restaurant.
  EXPECT_EQ(offers_call("GET", "/restaurants/" + other.id + "/inventory/" + product, std::nullopt,
                        other.staff.token)
                .status,
            404);
  auto listed =
      offers_call("GET", "/restaurants/" + other.id + "/offers", std::nullopt, other.staff.token);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_TRUE(listed.body_json()["items"].empty());

  // The owner stocks and offers it.
  auto stocked = offers_call("PUT", "/restaurants/" + owner.id + "/inventory/" + product,
                             nlohmann::json{{"quantity", 5}}, owner.staff.token);
  ASSERT_EQ(stocked.status, 200) << stocked.body;
  auto offered =
      offers_call("POST", "/restaurants/" + owner.id + "/offers", offer_body, owner.staff.token);
  ASSERT_EQ(offered.status, 201) << offered.body;
  EXPECT_EQ(offered.body_json()["status"], "ACTIVE");

  auto unknown =
      offers_call("PUT", "/restaurants/" + owner.id + "/inventory/" + core::new_uuid_v7(),
                  nlohmann::json{{"quantity", 5}}, owner.staff.token);
  EXPECT_EQ(unknown.status, 404) << unknown.body;
}

class RestaurantMove : public OrderFlow {
 protected:
  static constexpr double kBerlinLatitude = 52.5;  // where restaurant() puts restaurants
  static constexpr double kBerlinLongitude = 13.4;
  static constexpr double kSydneyLatitude = -33.86;
  static constexpr double kSydneyLongitude = 151.2;

  // Ids of the offers that a search within 1 km of the point finds, with their distances.
  std::map<std::string, double> offers_near(double latitude, double longitude) {
    auto response = offers_call("GET", "/offers?radiusKm=1&latitude=" + std::to_string(latitude) +
                                           "&longitude=" + std::to_string(longitude));
    EXPECT_EQ(response.status, 200) << response.body;
    auto body = response.body_json();
    std::map<std::string, double> found;
    for (const auto& item : body["items"]) {
      found[item["id"].get<std::string>()] = item["distanceKm"].get<double>();
    }
    return found;
  }

  http::Response move_to_sydney(const TestRestaurant& store) {
    return orders().call(
        "PATCH", "/restaurants/" + store.id,
        nlohmann::json{{"latitude", kSydneyLatitude}, {"longitude", kSydneyLongitude}},
        store.staff.token);
  }

  // Polls the search near Sydney until it finds `offer_id`, at most 10 s.
  bool found_near_sydney(const std::string& offer_id) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (offers_near(kSydneyLatitude, kSydneyLongitude).contains(offer_id)) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::int64_t waiting_restaurant_changes() {
    return orders_db().execute("SELECT COUNT(*) FROM restaurant_sync").one().get<std::int64_t>(0);
  }
};

TEST_P(RestaurantMove, OffersMoveWithRestaurant) {
  auto store = restaurant("Moving bakery");
  auto offer = publish_offer(store, 3);
  EXPECT_EQ(offers_near(kBerlinLatitude, kBerlinLongitude),
            (std::map<std::string, double>{{offer, 0.0}}));

  auto moved = move_to_sydney(store);
  ASSERT_EQ(moved.status, 200) << moved.body;
  ASSERT_TRUE(found_near_sydney(offer));
  EXPECT_EQ(offers_near(kSydneyLatitude, kSydneyLongitude),
            (std::map<std::string, double>{{offer, 0.0}}));
  EXPECT_TRUE(offers_near(kBerlinLatitude, kBerlinLongitude).empty());
  EXPECT_EQ(waiting_restaurant_changes(), 0);

  auto later = publish_offer(store, 1);
  auto published = offers_call("GET", "/offers/" + later);
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(published.body_json()["location"]["latitude"], kSydneyLatitude);
  EXPECT_EQ(published.body_json()["location"]["longitude"], kSydneyLongitude);
}

// The offers service is down when the restaurant moves. The change waits in the orders
// database, and a reconciler pass sends it once the offers service is back.
TEST_P(RestaurantMove, LostUpdateIsRetried) {
  auto store = restaurant("Moving cafe");
  auto offer = publish_offer(store, 3);

  stop_offers();
  auto moved = move_to_sydney(store);
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.body_json()["latitude"], kSydneyLatitude);
  EXPECT_EQ(waiting_restaurant_changes(), 1);
  start_offers();
  EXPECT_TRUE(offers_near(kBerlinLatitude, kBerlinLongitude).contains(offer));

  auto reconciler = make_reconciler();
  // The first failure delays the next attempt by 1 s.
  auto stats = reconciler->run_once(core::now() + std::chrono::seconds(2));
  EXPECT_EQ(stats.restaurants_synced, 1u);
  EXPECT_EQ(waiting_restaurant_changes(), 0);
  EXPECT_EQ(offers_near(kSydneyLatitude, kSydneyLongitude),
            (std::map<std::string, double>{{offer, 0.0}}));
  EXPECT_TRUE(offers_near(kBerlinLatitude, kBerlinLongitude).empty());
}

TEST_P(OrderFlow, DeliveryBeyondRangeIsRejected) {
  auto store = restaurant("Far bakery");
  auto buyer = customer("dora");
  auto offer = publish_offer(store, 3);

  nlohmann::json sydney{{"address", "Sydney"}, {"latitude", -33.86}, {"longitude", 151.2}};
  auto far = place(buyer, offer, 1, std::nullopt, "DELIVERY", sydney);
  ASSERT_EQ(far.status, 201) << far.body;
  EXPECT_EQ(far.body_json()["status"], "REJECTED");
  EXPECT_EQ(far.body_json()["rejection"]["code"], "OUT_OF_DELIVERY_RANGE");
  EXPECT_EQ(far.body_json()["rejection"]["message"],
            "the delivery address is 16094.1 km from Far bakery, farther than the maximum "
            "delivery distance of 15 km; choose an address within 15 km of the restaurant or "
            "collect the order in its pickup window");

  // 20.0 km north of the restaurant, just past the limit.
  nlohmann::json north{{"address", "Oranienburg"}, {"latitude", 52.68}, {"longitude", 13.4}};
  auto beyond = place(buyer, offer, 1, std::nullopt, "DELIVERY", north);
  ASSERT_EQ(beyond.status, 201) << beyond.body;
  EXPECT_EQ(beyond.body_json()["rejection"]["code"], "OUT_OF_DELIVERY_RANGE");

  EXPECT_EQ(offer_quantity_available(offer), 3);
  EXPECT_EQ(held_reservation_units(offers_db(), offer), 0);
  EXPECT_EQ(count_orders("CONFIRMED"), 0);
  EXPECT_EQ(count_orders("REJECTED"), 2);

  // 11.1 km is within the limit.
  nlohmann::json near{{"address", "Pankow"}, {"latitude", 52.6}, {"longitude", 13.4}};
  auto inside = place(buyer, offer, 1, std::nullopt, "DELIVERY", near);
  ASSERT_EQ(inside.status, 201) << inside.body;
  EXPECT_EQ(inside.body_json()["status"], "CONFIRMED");
  EXPECT_EQ(offer_quantity_available(offer), 2);
}

class ShortDeliveryRange : public OrderFlow {
 protected:
  std::map<std::string, std::string> orders_env() const override {
    return {{"MAX_DELIVERY_DISTANCE_KM", "5"}};
  }
};

TEST_P(ShortDeliveryRange, LimitComesFromSetting) {
  auto store = restaurant("Small bakery");
  auto offer = publish_offer(store, 3);
  nlohmann::json near{{"address", "Pankow"}, {"latitude", 52.6}, {"longitude", 13.4}};
  auto placed = place(customer("fay"), offer, 1, std::nullopt, "DELIVERY", near);
  ASSERT_EQ(placed.status, 201) << placed.body;
  EXPECT_EQ(placed.body_json()["rejection"]["code"], "OUT_OF_DELIVERY_RANGE");
  EXPECT_EQ(placed.body_json()["rejection"]["message"],
            "the delivery address is 11.1 km from Small bakery, farther than the maximum "
            "delivery distance of 5 km; choose an address within 5 km of the restaurant or "
            "collect the order in its pickup window");
  EXPECT_EQ(offer_quantity_available(offer), 3);
}

SURPLUS_DB_INSTANTIATE_ALL(OrderFlow);
SURPLUS_DB_INSTANTIATE_ALL(RestaurantMove);
SURPLUS_DB_INSTANTIATE_ALL(ShortDeliveryRange);

}  // namespace
}  // namespace surplus::orders::testing
