// The oversell tests: many clients reserve units of one offer at the same time through
// PUT /internal/reservations/{id} of a running server, and exactly the units that exist
// are sold, on SQLite and PostgreSQL.
#include <atomic>
#include <barrier>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include <surplus/core/id.hpp>

#include "http_test_support.hpp"
#include "offers_store.hpp"

namespace surplus::offers {
namespace {

constexpr int kUnits = 37;
constexpr int kRequests = 200;
constexpr int kClientThreads = 40;

class OversellTest : public testing::OffersHttpTest {
 protected:
  // A published offer of kUnits units, at most one per customer.
  std::string offer_id() {
    auto request = testing::bag_request(kUnits);
    request["maxPerCustomer"] = 1;
    return publish(add_restaurant(), request).id;
  }

  http::Response reserve_one(const std::string& offer, const std::string& reservation,
                             const std::string& customer) {
    return call("PUT", "/internal/reservations/" + reservation, as_service(),
                nlohmann::json{{"offerId", offer}, {"customerId", customer}, {"quantity", 1}});
  }

  void expect_final_state(const std::string& offer) {
    auto stored =
        db().transaction([&](db::Session& session) { return find_offer(session, offer); });
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->quantity_available, 0);
    EXPECT_EQ(stored->status, OfferStatus::kSoldOut);
    auto held = db().execute(
        "SELECT COUNT(*), CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM reservations "
        "WHERE offer_id = $1 AND status = 'HELD'",
        {offer});
    EXPECT_EQ(held.one().get<std::int64_t>(0), kUnits);
    EXPECT_EQ(held.one().get<std::int64_t>(1), kUnits);
    EXPECT_EQ(outbox_count("offer.sold_out"), 1);

    auto response = call("GET", "/offers/" + offer);
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(response.body_json()["quantityAvailable"], 0);
    EXPECT_EQ(response.body_json()["status"], "SOLD_OUT");
  }
};

TEST_P(OversellTest, ExactlyAvailableUnitsSold) {
  std::string offer = offer_id();
  std::atomic<int> next{0};
  std::atomic<int> created{0};
  std::atomic<int> sold_out{0};
  std::mutex mutex;
  std::vector<std::string> unexpected;
  std::barrier start(kClientThreads);

  std::vector<std::thread> threads;
  for (int t = 0; t < kClientThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      while (next.fetch_add(1) < kRequests) {
        auto response = reserve_one(offer, core::new_uuid_v7(), core::new_uuid_v7());
        if (response.status == 201) {
          ++created;
        } else if (response.status == 409 && problem_code(response) == "SOLD_OUT") {
          ++sold_out;
        } else {
          std::lock_guard lock(mutex);
          unexpected.push_back(std::to_string(response.status) + " " + response.body);
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  EXPECT_EQ(created.load(), kUnits);
  EXPECT_EQ(sold_out.load(), kRequests - kUnits);
  EXPECT_TRUE(unexpected.empty()) << unexpected.size() << " unexpected responses, first: "
                                  << (unexpected.empty() ? "" : unexpected.front());
  expect_final_state(offer);
}

// Each reservation id is sent one to three times, the repeats shuffled among all requests
// as a client would retry after a timeout. Every id gets the same outcome each time.
// Retries race with their first attempt for the last units; a retry that loses the row
// lock must still get the first attempt's reservation, never SOLD_OUT.
TEST_P(OversellTest, RetriedIdsKeepTheirOutcome) {
  std::string offer = offer_id();
  struct Attempt {
    int id_index;
  };
  std::vector<std::string> ids;
  std::vector<std::string> customers;
  std::vector<Attempt> attempts;
  std::mt19937 random(2026);
  std::uniform_int_distribution<int> copies(1, 3);
  for (int i = 0; i < kRequests; ++i) {
    ids.push_back(core::new_uuid_v7());
    customers.push_back(core::new_uuid_v7());
    for (int c = copies(random); c > 0; --c) {
      attempts.push_back({i});
    }
  }
  std::shuffle(attempts.begin(), attempts.end(), random);

  std::mutex mutex;
  std::map<int, std::vector<int>> statuses;  // id index -> statuses received
  std::vector<std::string> unexpected;
  std::atomic<std::size_t> next{0};
  std::barrier start(kClientThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kClientThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (std::size_t a = next.fetch_add(1); a < attempts.size(); a = next.fetch_add(1)) {
        int index = attempts[a].id_index;
        auto response = reserve_one(offer, ids[index], customers[index]);
        std::lock_guard lock(mutex);
        bool expected_kind = response.status == 201 || response.status == 200 ||
                             (response.status == 409 && problem_code(response) == "SOLD_OUT");
        if (!expected_kind) {
          unexpected.push_back(std::to_string(response.status) + " " + response.body);
        }
        statuses[index].push_back(response.status);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  int reserved_ids = 0;
  int sold_out_ids = 0;
  int created_responses = 0;
  for (const auto& [index, received] : statuses) {
    bool success = received.front() == 201 || received.front() == 200;
    for (int status : received) {
      EXPECT_EQ(status == 201 || status == 200, success) << "reservation " << ids[index];
      created_responses += status == 201 ? 1 : 0;
    }
    (success ? reserved_ids : sold_out_ids)++;
  }
  EXPECT_EQ(statuses.size(), static_cast<std::size_t>(kRequests));
  EXPECT_EQ(reserved_ids, kUnits);
  EXPECT_EQ(sold_out_ids, kRequests - kUnits);
  // Each reserved id was created once; its repeats returned 200 with the same reservation.
  EXPECT_EQ(created_responses, kUnits);
  EXPECT_TRUE(unexpected.empty()) << unexpected.size() << " unexpected responses, first: "
                                  << (unexpected.empty() ? "" : unexpected.front());
  expect_final_state(offer);
}

SURPLUS_DB_INSTANTIATE_ALL(OversellTest);

}  // namespace
}  // namespace surplus::offers
