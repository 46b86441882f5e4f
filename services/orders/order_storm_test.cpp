// Concurrency and failure of the order flow through HTTP: the storm, concurrent retries
// with one key, the offers service stopping mid-flow, and two reconcilers at once.
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include <surplus/core/id.hpp>

#include "flow_test_support.hpp"

namespace surplus::orders::testing {
namespace {

constexpr int kStormUnits = 37;
constexpr int kStormCustomers = 200;
constexpr int kClientThreads = 32;

class OrderStorm : public OrderFlowTest {
 protected:
  std::vector<TestUser> customers(int count) {
    std::vector<TestUser> users(static_cast<std::size_t>(count));
    run_concurrently(count, 8, [&](int i) {
      users[static_cast<std::size_t>(i)] = customer("c" + std::to_string(i));
    });
    return users;
  }

  std::int64_t held_units(const std::string& offer_id) {
    return held_reservation_units(offers_db(), offer_id);
  }

  std::int64_t confirmed_units(const std::string& offer_id) {
    return orders_db()
        .execute(
            "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM orders "
            "WHERE offer_id = $1 AND status = 'CONFIRMED'",
            {offer_id})
        .one()
        .get<std::int64_t>(0);
  }
};

TEST_P(OrderStorm, StormSellsExactlyTheUnits) {
  auto store = restaurant("Storm bakery");
  auto offer = publish_offer(store, kStormUnits);
  auto buyers = customers(kStormCustomers);

  std::mutex mutex;
  std::map<std::string, int> outcomes;
  run_concurrently(kStormCustomers, kClientThreads, [&](int i) {
    auto response = place(buyers[static_cast<std::size_t>(i)], offer);
    std::string outcome = std::to_string(response.status);
    if (response.status == 201) {
      auto body = response.body_json();
      outcome = body["status"].get<std::string>();
      if (body["rejection"].is_object()) {
        outcome += "/" + body["rejection"]["code"].get<std::string>();
      }
    } else {
      outcome += " " + response.body;
    }
    std::lock_guard lock(mutex);
    ++outcomes[outcome];
  });

  EXPECT_EQ(outcomes["CONFIRMED"], kStormUnits);
  EXPECT_EQ(outcomes["REJECTED/SOLD_OUT"], kStormCustomers - kStormUnits);
  EXPECT_EQ(outcomes.size(), 2u) << "unexpected outcome: " << outcomes.rbegin()->first;
  EXPECT_EQ(count_orders("CONFIRMED"), kStormUnits);
  EXPECT_EQ(count_orders("REJECTED"), kStormCustomers - kStormUnits);
  EXPECT_EQ(count_orders("PENDING"), 0);
  EXPECT_EQ(offer_quantity_available(offer), 0);
  EXPECT_EQ(held_units(offer), kStormUnits);
  EXPECT_EQ(outbox_count("order.confirmed"), kStormUnits);
  EXPECT_EQ(outbox_count("order.rejected"), kStormCustomers - kStormUnits);
}

TEST_P(OrderStorm, ConcurrentSameKeyCreatesOneOrder) {
  auto store = restaurant("Bakery");
  auto offer = publish_offer(store, 10);
  auto buyer = customer("retry");
  std::string key = core::new_uuid_v7();

  std::mutex mutex;
  std::set<std::string> ids;
  std::map<int, int> statuses;
  run_concurrently(20, 20, [&](int) {
    auto response = place(buyer, offer, 2, key);
    std::lock_guard lock(mutex);
    ++statuses[response.status];
    if (response.status == 200 || response.status == 201) {
      ids.insert(response.body_json()["id"].get<std::string>());
      EXPECT_EQ(response.body_json()["status"], "CONFIRMED") << response.body;
    }
  });
  EXPECT_EQ(statuses[201], 1);
  EXPECT_EQ(statuses[200], 19);
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(count_orders("CONFIRMED"), 1);
  EXPECT_EQ(offer_quantity_available(offer), 8);
  EXPECT_EQ(outbox_count("order.created"), 1);
  EXPECT_EQ(outbox_count("order.confirmed"), 1);
}

TEST_P(OrderStorm, OffersDownThenReconcilersConfirm) {
  auto store = restaurant("Bakery");
  auto offer = publish_offer(store, 4);
  auto buyers = customers(6);
  stop_offers();

  std::vector<std::string> ids;
  for (const auto& buyer : buyers) {
    auto response = place(buyer, offer, 1, "key-" + buyer.id);
    ASSERT_EQ(response.status, 202) << response.body;
    EXPECT_EQ(response.body_json()["status"], "PENDING");
    ids.push_back(response.body_json()["id"]);
  }
  // A retry with the same key while offers is down returns the same PENDING order.
  auto retry = place(buyers[0], offer, 1, "key-" + buyers[0].id);
  ASSERT_EQ(retry.status, 202) << retry.body;
  EXPECT_EQ(retry.body_json()["id"], ids[0]);
  EXPECT_EQ(count_orders("PENDING"), 6);

  start_offers();
  auto first = make_reconciler();
  auto second = make_reconciler();
  ReconcileStats a;
  ReconcileStats b;
  std::thread one([&] { a = first->run_once(core::now()); });
  std::thread two([&] { b = second->run_once(core::now()); });
  one.join();
  two.join();

  // Each order was claimed by exactly one of the two.
  EXPECT_EQ(a.claimed + b.claimed, 6u);
  EXPECT_EQ(a.still_pending + b.still_pending, 0u);
  EXPECT_EQ(count_orders("PENDING"), 0);
  EXPECT_EQ(count_orders("CONFIRMED"), 4);
  EXPECT_EQ(count_orders("REJECTED"), 2);
  EXPECT_EQ(offer_quantity_available(offer), 0);
  EXPECT_EQ(held_units(offer), 4);
  EXPECT_EQ(confirmed_units(offer), 4);
  EXPECT_EQ(outbox_count("order.confirmed"), 4);
  EXPECT_EQ(outbox_count("order.rejected"), 2);

  // Another pass finds nothing to do.
  auto again = first->run_once(core::now());
  EXPECT_EQ(again.claimed, 0u);
}

TEST_P(OrderStorm, StormWithOffersStoppedMidway) {
  auto store = restaurant("Bakery");
  auto offer = publish_offer(store, 20);
  auto buyers = customers(60);

  std::atomic<int> answered{0};
  run_concurrently(60, 12, [&](int i) {
    if (i == 20) {
      stop_offers();  // the rest of the storm finds the offers service gone
    }
    auto response = place(buyers[static_cast<std::size_t>(i)], offer);
    EXPECT_TRUE(response.status == 201 || response.status == 202) << response.body;
    ++answered;
  });
  EXPECT_EQ(answered.load(), 60);
  EXPECT_GT(count_orders("PENDING"), 0);

  start_offers();
  auto reconciler = make_reconciler();
  auto stats = reconciler->run_once(core::now());
  EXPECT_EQ(stats.still_pending, 0u);
  EXPECT_EQ(stats.expired, 0u);
  EXPECT_EQ(count_orders("PENDING"), 0);
  EXPECT_EQ(count_orders("CONFIRMED"), 20);
  EXPECT_EQ(count_orders("REJECTED"), 40);
  EXPECT_EQ(orders_db()
                .execute("SELECT COUNT(*) FROM orders WHERE rejection_code = 'SOLD_OUT'")
                .one()
                .get<std::int64_t>(0),
            40);
  EXPECT_EQ(offer_quantity_available(offer), 0);
  EXPECT_EQ(held_units(offer), confirmed_units(offer));
}

TEST_P(OrderStorm, DeadlineRejectsAndReleases) {
  auto store = restaurant("Bakery");
  auto offer = publish_offer(store, 3);
  auto buyer = customer("late");
  stop_offers();
  auto response = place(buyer, offer);
  ASSERT_EQ(response.status, 202) << response.body;
  std::string id = response.body_json()["id"];

  auto reconciler = make_reconciler();
  auto stats = reconciler->run_once(core::now() + std::chrono::minutes(3));
  EXPECT_EQ(stats.expired, 1u);
  auto order = orders().call("GET", "/orders/" + id, std::nullopt, buyer.token).body_json();
  EXPECT_EQ(order["status"], "REJECTED");
  EXPECT_EQ(order["rejection"]["code"], "UNAVAILABLE");

  start_offers();
  EXPECT_EQ(reconciler->run_once(core::now()).released, 1u);
  // The release left a record, so a late reservation with this order id is refused.
  auto late =
      offers_call("PUT", "/internal/reservations/" + id,
                  nlohmann::json{{"offerId", offer}, {"customerId", buyer.id}, {"quantity", 1}});
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(offer_quantity_available(offer), 3);
  EXPECT_EQ(reconciler->run_once(core::now()).released, 0u);
}

SURPLUS_DB_INSTANTIATE_ALL(OrderStorm);

}  // namespace
}  // namespace surplus::orders::testing
