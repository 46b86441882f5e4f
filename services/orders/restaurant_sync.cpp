#include "restaurant_sync.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include <spdlog/spdlog.h>

#include <surplus/core/error.hpp>

#include "offers_client.hpp"

namespace surplus::orders {
namespace {

constexpr std::chrono::seconds kMaxRetryDelay{300};

struct WaitingChange {
  std::int64_t version = 0;
  std::int64_t attempts = 0;
  std::optional<Restaurant> restaurant;
};

// 1 s after the first failure, doubling up to kMaxRetryDelay.
std::chrono::seconds retry_delay(std::int64_t failures) {
  auto doublings = std::clamp<std::int64_t>(failures - 1, 0, 16);
  return std::min(std::chrono::seconds(std::int64_t{1} << doublings), kMaxRetryDelay);
}

std::optional<WaitingChange> find_waiting_change(OrdersApp& app, const std::string& restaurant_id) {
  return app.database.transaction(
      [&](db::Session& session) -> std::optional<WaitingChange> {
        auto row = session
                       .execute(
                           "SELECT version, attempts FROM restaurant_sync "
                           "WHERE restaurant_id = $1",
                           {restaurant_id})
                       .maybe_one();
        if (!row) {
          return std::nullopt;
        }
        return WaitingChange{row->get<std::int64_t>(0), row->get<std::int64_t>(1),
                             find_restaurant(session, restaurant_id)};
      },
      kReadOnly);
}

}  // namespace

void request_restaurant_sync(db::Session& session, const Restaurant& restaurant,
                             core::Timestamp now) {
  session.execute(
      "INSERT INTO restaurant_sync (restaurant_id, version, attempts, next_attempt_at) "
      "VALUES ($1, $2, 0, $3) ON CONFLICT (restaurant_id) DO UPDATE SET "
      "version = excluded.version, attempts = 0, next_attempt_at = excluded.next_attempt_at, "
      "last_error = NULL",
      {restaurant.id, core::to_unix_micros(restaurant.updated_at), core::to_unix_micros(now)});
}

bool push_restaurant(OrdersApp& app, const std::string& restaurant_id, core::Timestamp now) {
  auto waiting = find_waiting_change(app, restaurant_id);
  if (!waiting) {
    return true;
  }
  if (!waiting->restaurant) {
    return true;  // deleting a restaurant deletes its row too (ON DELETE CASCADE)
  }

  const Restaurant& restaurant = *waiting->restaurant;
  auto sent_version = core::to_unix_micros(restaurant.updated_at);
  auto result = app.offers->put_restaurant(restaurant);
  if (result.outcome == CallOutcome::kDone) {
    // A change committed after the read above has a higher version and stays waiting.
    bool arrived = app.database.transaction([&](db::Session& session) {
      return !session
                  .execute(
                      "DELETE FROM restaurant_sync WHERE restaurant_id = $1 AND version <= $2 "
                      "RETURNING restaurant_id",
                      {restaurant_id, sent_version})
                  .empty();
    });
    if (waiting->attempts > 0) {
      spdlog::info("restaurant {}: the offers service has its location after {} failed attempts",
                   restaurant_id, waiting->attempts);
    }
    return arrived;
  }

  auto failures = waiting->attempts + 1;
  auto next_attempt =
      now + std::chrono::duration_cast<std::chrono::microseconds>(retry_delay(failures));
  app.database.transaction([&](db::Session& session) {
    session.execute(
        "UPDATE restaurant_sync SET attempts = $3, next_attempt_at = $4, last_error = $5 "
        "WHERE restaurant_id = $1 AND version = $2",
        {restaurant_id, waiting->version, failures, core::to_unix_micros(next_attempt),
         result.message});
  });
  // The first failure and then every 10th, so a long outage does not flood the log.
  if (failures % 10 == 1) {
    spdlog::warn(
        "restaurant {}: sending its location to the offers service at {} failed ({} attempts, "
        "next in {} s): {}",
        restaurant_id, app.offers->base_url(), failures, retry_delay(failures).count(),
        result.message);
  }
  return false;
}

void push_restaurant_after_commit(OrdersApp& app, const std::string& restaurant_id) {
  try {
    push_restaurant(app, restaurant_id, core::now());
  } catch (const core::Error& error) {
    spdlog::warn(
        "restaurant {}: sending its location to the offers service failed: {} {}; "
        "the reconciler retries",
        restaurant_id, error.message(), error.detail());
  }
}

std::vector<std::string> restaurants_due_for_sync(db::Session& session, core::Timestamp now,
                                                  std::size_t limit) {
  std::vector<std::string> ids;
  for (const auto& row :
       session.execute("SELECT restaurant_id FROM restaurant_sync WHERE next_attempt_at <= $1 "
                       "ORDER BY next_attempt_at, restaurant_id LIMIT $2",
                       {core::to_unix_micros(now), static_cast<std::int64_t>(limit)})) {
    ids.push_back(row.get<std::string>(0));
  }
  return ids;
}

}  // namespace surplus::orders
