#include "reservations.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>

#include "offer_operations.hpp"
#include "offers_store.hpp"
#include "offers_test_support.hpp"

namespace surplus::offers {
namespace {

using testing::bag_request;

class ReservationsTest : public testing::OffersDatabaseTest {
 protected:
  Offer offer_with(int quantity, int max_per_customer) {
    auto request = bag_request(quantity);
    request["maxPerCustomer"] = max_per_customer;
    return publish(add_restaurant(), request);
  }

  Offer reload(const std::string& id) {
    return db().transaction([&](db::Session& session) { return *find_offer(session, id); });
  }

  core::ErrorCode reserve_error(const ReservationRequest& request) {
    try {
      reserve(db(), request, core::now());
    } catch (const core::Error& error) {
      return error.code();
    }
    ADD_FAILURE() << "reservation " << request.reservation_id << " did not fail";
    return core::ErrorCode::kInternal;
  }
};

ReservationRequest request_for(const Offer& offer, std::int64_t quantity,
                               std::string customer = core::new_uuid_v7()) {
  return {core::new_uuid_v7(), offer.id, std::move(customer), quantity};
}

TEST_P(ReservationsTest, TakesUnitsAndSnapshotsPrice) {
  Offer offer = offer_with(5, 5);
  auto outcome = reserve(db(), request_for(offer, 2), core::now());
  EXPECT_TRUE(outcome.created);
  EXPECT_EQ(outcome.reservation.status, ReservationStatus::kHeld);
  EXPECT_EQ(outcome.reservation.quantity, 2);
  ASSERT_TRUE(outcome.reservation.unit_price.has_value());
  EXPECT_EQ(outcome.reservation.unit_price->amount, 300);
  EXPECT_EQ(outcome.reservation.unit_price->currency, "EUR");
  EXPECT_EQ(outcome.offer.quantity_available, 3);
  EXPECT_EQ(reload(offer.id).quantity_available, 3);
  EXPECT_EQ(outbox_count("offer.updated"), 1);
}

TEST_P(ReservationsTest, RepeatReturnsSameReservation) {
  Offer offer = offer_with(5, 5);
  auto request = request_for(offer, 2);
  auto first = reserve(db(), request, core::now());
  auto second = reserve(db(), request, core::now());
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.reservation.id, first.reservation.id);
  EXPECT_EQ(second.reservation.quantity, 2);
  EXPECT_EQ(reload(offer.id).quantity_available, 3);
}

TEST_P(ReservationsTest, ReusedIdWithOtherQuantityConflicts) {
  Offer offer = offer_with(5, 5);
  auto request = request_for(offer, 2);
  reserve(db(), request, core::now());
  request.quantity = 1;
  EXPECT_EQ(reserve_error(request), core::ErrorCode::kConflict);
  EXPECT_EQ(reload(offer.id).quantity_available, 3);
}

TEST_P(ReservationsTest, LastUnitMarksSoldOut) {
  Offer offer = offer_with(3, 3);
  reserve(db(), request_for(offer, 1), core::now());
  auto last = reserve(db(), request_for(offer, 2), core::now());
  EXPECT_EQ(last.offer.status, OfferStatus::kSoldOut);
  EXPECT_EQ(last.offer.quantity_available, 0);
  EXPECT_EQ(outbox_count("offer.sold_out"), 1);
  auto events = outbox_events("offer.sold_out");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["data"]["offerId"], offer.id);
  EXPECT_EQ(events[0]["channels"][0], "offers");
  EXPECT_EQ(events[0]["channels"][1], "restaurant:" + offer.restaurant_id + ":offers");
  EXPECT_EQ(events[0]["channels"][2], "restaurant:" + offer.restaurant_id);
}

TEST_P(ReservationsTest, SoldOutRejectsFurtherRequests) {
  Offer offer = offer_with(1, 1);
  reserve(db(), request_for(offer, 1), core::now());
  EXPECT_EQ(reserve_error(request_for(offer, 1)), core::ErrorCode::kSoldOut);
  EXPECT_EQ(reload(offer.id).quantity_available, 0);
}

TEST_P(ReservationsTest, MoreThanLeftIsSoldOut) {
  Offer offer = offer_with(3, 3);
  EXPECT_EQ(reserve_error(request_for(offer, 4)), core::ErrorCode::kSoldOut);
  EXPECT_EQ(reload(offer.id).quantity_available, 3);
}

TEST_P(ReservationsTest, PerCustomerMaximumHolds) {
  Offer offer = offer_with(10, 2);
  std::string customer = core::new_uuid_v7();
  reserve(db(), request_for(offer, 1, customer), core::now());
  reserve(db(), request_for(offer, 1, customer), core::now());
  EXPECT_EQ(reserve_error(request_for(offer, 1, customer)), core::ErrorCode::kLimitExceeded);
  EXPECT_EQ(reserve_error(request_for(offer, 3)), core::ErrorCode::kLimitExceeded);
  EXPECT_EQ(reload(offer.id).quantity_available, 8);
  // Another customer is not affected.
  reserve(db(), request_for(offer, 2), core::now());
  EXPECT_EQ(reload(offer.id).quantity_available, 6);
}

TEST_P(ReservationsTest, DraftIsNotActive) {
  std::string restaurant = add_restaurant();
  Offer draft = create_offer(db(), directory(), testing::staff_of(restaurant), restaurant,
                             parse_offer_input(bag_request(), true), core::now());
  EXPECT_EQ(reserve_error(request_for(draft, 1)), core::ErrorCode::kOfferNotActive);
}

TEST_P(ReservationsTest, EndedWindowIsNotActive) {
  Offer offer = offer_with(5, 5);
  auto after_end = offer.pickup.end + std::chrono::seconds(1);
  try {
    reserve(db(), request_for(offer, 1), after_end);
    ADD_FAILURE() << "reserved after the pickup window";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kOfferNotActive);
  }
}

TEST_P(ReservationsTest, UnknownOfferIsNotFound) {
  Offer unknown;
  unknown.id = core::new_uuid_v7();
  EXPECT_EQ(reserve_error(request_for(unknown, 1)), core::ErrorCode::kNotFound);
}

TEST_P(ReservationsTest, ReleaseReturnsUnitsOnce) {
  Offer offer = offer_with(2, 2);
  auto request = request_for(offer, 2);
  reserve(db(), request, core::now());
  ASSERT_EQ(reload(offer.id).status, OfferStatus::kSoldOut);

  auto first = release(db(), request.reservation_id, core::now());
  EXPECT_TRUE(first.released_now);
  EXPECT_EQ(first.quantity_released, 2);
  EXPECT_EQ(first.reservation.status, ReservationStatus::kReleased);
  Offer after = reload(offer.id);
  EXPECT_EQ(after.quantity_available, 2);
  EXPECT_EQ(after.status, OfferStatus::kActive);

  auto second = release(db(), request.reservation_id, core::now());
  EXPECT_FALSE(second.released_now);
  EXPECT_EQ(second.quantity_released, 2);
  EXPECT_EQ(reload(offer.id).quantity_available, 2);
}

TEST_P(ReservationsTest, ReservingReleasedIdConflicts) {
  Offer offer = offer_with(5, 5);
  auto request = request_for(offer, 1);
  reserve(db(), request, core::now());
  release(db(), request.reservation_id, core::now());
  EXPECT_EQ(reserve_error(request), core::ErrorCode::kConflict);
  EXPECT_EQ(reload(offer.id).quantity_available, 5);
}

TEST_P(ReservationsTest, ReleaseBeforeReserveBlocksLateReservation) {
  Offer offer = offer_with(5, 5);
  auto request = request_for(offer, 1);
  auto released = release(db(), request.reservation_id, core::now());
  EXPECT_EQ(released.quantity_released, 0);
  EXPECT_FALSE(released.reservation.offer_id.has_value());
  EXPECT_EQ(reserve_error(request), core::ErrorCode::kConflict);
  EXPECT_EQ(reload(offer.id).quantity_available, 5);
}

TEST_P(ReservationsTest, ReleaseAfterCancelDropsBagUnits) {
  std::string restaurant = add_restaurant();
  Offer offer = publish(restaurant, bag_request(4));
  auto request = request_for(offer, 1);
  reserve(db(), request, core::now());
  cancel_offer(db(), testing::staff_of(restaurant), offer.id, core::now());
  auto released = release(db(), request.reservation_id, core::now());
  EXPECT_EQ(released.quantity_released, 1);
  Offer after = reload(offer.id);
  EXPECT_EQ(after.status, OfferStatus::kCancelled);
  EXPECT_EQ(after.quantity_available, 3);
}

// Many threads, each with its own reservation id, never take more units than exist.
TEST_P(ReservationsTest, ConcurrentRequestsNeverOversell) {
  constexpr int kUnits = 7;
  constexpr int kThreads = 8;
  constexpr int kRequestsPerThread = 4;
  Offer offer = offer_with(kUnits, 1);
  std::atomic<int> reserved{0};
  std::atomic<int> sold_out{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kRequestsPerThread; ++i) {
        try {
          reserve(db(), request_for(offer, 1), core::now());
          ++reserved;
        } catch (const core::Error& error) {
          (error.code() == core::ErrorCode::kSoldOut ? sold_out : other)++;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(reserved.load(), kUnits);
  EXPECT_EQ(sold_out.load(), kThreads * kRequestsPerThread - kUnits);
  EXPECT_EQ(other.load(), 0);
  Offer after = reload(offer.id);
  EXPECT_EQ(after.quantity_available, 0);
  EXPECT_EQ(after.status, OfferStatus::kSoldOut);
  EXPECT_EQ(outbox_count("offer.sold_out"), 1);
  auto held = db().execute(
      "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM reservations "
      "WHERE offer_id = $1 AND status = 'HELD'",
      {offer.id});
  EXPECT_EQ(held.one().get<std::int64_t>(0), kUnits);
}

// A retry that waits on the offer's row lock while its first attempt takes the last unit
// must return that attempt's reservation. The first attempt is played by an open
// transaction that keeps the lock until the retry is seen waiting.
TEST_P(ReservationsTest, RetryBlockedBehindItsFirstAttemptSeesIt) {
  if (dialect() != db::Dialect::kPostgres) {
    GTEST_SKIP() << "SQLite writers queue at BEGIN IMMEDIATE, so the retry never waits "
                    "inside its transaction";
  }
  Offer offer = offer_with(1, 1);
  ReservationRequest request = request_for(offer, 1);
  std::promise<void> locked;
  std::promise<void> commit;
  std::thread first([&] {
    db().transaction([&](db::Session& session) {
      session.execute("UPDATE offers SET quantity_available = 0, status = 'SOLD_OUT' WHERE id = $1",
                      {offer.id});
      session.execute(
          "INSERT INTO reservations (id, offer_id, customer_id, quantity, unit_price_amount, "
          "currency, status, created_at) VALUES ($1, $2, $3, 1, 300, 'EUR', 'HELD', $4)",
          {request.reservation_id, offer.id, request.customer_id,
           core::to_unix_micros(core::now())});
      locked.set_value();
      commit.get_future().wait();
    });
  });
  locked.get_future().wait();
  auto retry = std::async(std::launch::async, [&] { return reserve(db(), request, core::now()); });

  // Bounded wait until the retry's UPDATE blocks on the lock the first attempt holds.
  bool waiting = false;
  for (int i = 0; i < 200 && !waiting; ++i) {
    waiting = db().execute(
                      "SELECT count(*) FROM pg_stat_activity "
                      "WHERE wait_event_type = 'Lock' AND datname = current_database()")
                  .one()
                  .get<std::int64_t>(0) > 0;
    if (!waiting) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  commit.set_value();
  first.join();
  ASSERT_TRUE(waiting) << "the retry never waited for the offer's row lock";

  ReserveOutcome outcome = retry.get();
  EXPECT_FALSE(outcome.created);
  EXPECT_EQ(outcome.reservation.id, request.reservation_id);
  EXPECT_EQ(outcome.reservation.quantity, 1);
  EXPECT_EQ(reload(offer.id).quantity_available, 0);
}

SURPLUS_DB_INSTANTIATE_ALL(ReservationsTest);

}  // namespace
}  // namespace surplus::offers
