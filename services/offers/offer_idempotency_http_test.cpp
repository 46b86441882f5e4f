// POST /restaurants/{restaurantId}/offers with an Idempotency-Key: a retry returns the
// offer that the first request created, on SQLite and PostgreSQL, also when the retries
// arrive at the same time.
#include <barrier>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/core/id.hpp>

#include "http_test_support.hpp"

namespace surplus::offers {
namespace {

class OfferIdempotencyTest : public testing::OffersHttpTest {
 protected:
  void SetUp() override {
    OffersHttpTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    restaurant_ = add_restaurant();
    staff_ = as(auth::Role::kStore, core::new_uuid_v7(), {restaurant_});
  }

  http::Response create(const std::string& key, const nlohmann::json& body,
                        const std::string& restaurant = {}) {
    const std::string target = restaurant.empty() ? restaurant_ : restaurant;
    auto request =
        http::ClientRequest::json("POST", url("/restaurants/" + target + "/offers"), body);
    request.headers.set("Authorization", "Bearer " + *staff_.token);
    request.headers.set("Idempotency-Key", key);
    return client().send(std::move(request));
  }

  std::int64_t offers_of_restaurant() {
    return db()
        .execute("SELECT COUNT(*) FROM offers WHERE restaurant_id = $1", {restaurant_})
        .one()
        .get<std::int64_t>(0);
  }

  std::string restaurant_;
  testing::Credentials staff_;
};

TEST_P(OfferIdempotencyTest, RetryReturnsTheFirstOffer) {
  auto body = testing::bag_request(5);
  body["publish"] = true;
  const auto first = create("publish-1", body);
  ASSERT_EQ(first.status, 201) << first.body;
  // The same fields in another order are the same request.
  const auto again = create("publish-1", nlohmann::json::parse(body.dump(2)));

  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body_json()["id"], first.body_json()["id"]);
  EXPECT_EQ(again.body_json()["status"], "ACTIVE");
  EXPECT_EQ(offers_of_restaurant(), 1);
  EXPECT_EQ(outbox_count("offer.published"), 1);
}

TEST_P(OfferIdempotencyTest, SameKeyWithOtherFieldsIsConflict) {
  ASSERT_EQ(create("draft-1", testing::bag_request(5)).status, 201);
  const auto other = create("draft-1", testing::bag_request(6));

  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_EQ(problem_code(other), "CONFLICT");
  EXPECT_NE(other.body.find("draft-1"), std::string::npos) << other.body;
  EXPECT_EQ(offers_of_restaurant(), 1);
}

TEST_P(OfferIdempotencyTest, KeysBelongToTheirRestaurant) {
  const std::string second = add_restaurant();
  staff_ = as(auth::Role::kStore, core::new_uuid_v7(), {restaurant_, second});
  const auto first = create("shared-key", testing::bag_request(5));
  const auto second_offer = create("shared-key", testing::bag_request(5), second);

  EXPECT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(second_offer.status, 201) << second_offer.body;
  EXPECT_NE(first.body_json()["id"], second_offer.body_json()["id"]);
}

TEST_P(OfferIdempotencyTest, MalformedKeyIsRejected) {
  for (const std::string& key :
       std::vector<std::string>{"with space", std::string(201, 'k'), "t\xC3\xA9"}) {
    const auto response = create(key, testing::bag_request(5));
    EXPECT_EQ(response.status, 400) << key;
    EXPECT_NE(response.body.find("Idempotency-Key"), std::string::npos) << response.body;
  }
  EXPECT_EQ(offers_of_restaurant(), 0);
}

TEST_P(OfferIdempotencyTest, ConcurrentRetriesCreateOneOffer) {
  constexpr int kClients = 12;
  auto body = testing::bag_request(5);
  body["publish"] = true;
  std::barrier start(kClients);
  std::mutex mutex;
  std::multiset<int> statuses;
  std::set<std::string> ids;
  std::vector<std::thread> threads;
  for (int client = 0; client < kClients; ++client) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      const auto response = create("concurrent-1", body);
      const std::lock_guard lock(mutex);
      statuses.insert(response.status);
      if (response.status == 200 || response.status == 201) {
        ids.insert(response.body_json()["id"].get<std::string>());
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  EXPECT_EQ(statuses.count(201), 1u);
  EXPECT_EQ(statuses.count(200), static_cast<std::size_t>(kClients - 1));
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(offers_of_restaurant(), 1);
  EXPECT_EQ(outbox_count("offer.published"), 1);
}

SURPLUS_DB_INSTANTIATE_ALL(OfferIdempotencyTest);

}  // namespace
}  // namespace surplus::offers
