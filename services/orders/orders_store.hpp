#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>
#include <surplus/events/event.hpp>

#include "order.hpp"

// SQL for orders and their lines. Every function runs inside the caller's transaction,
// except insert_order_once and mark_confirmed, which run their own.
// Status changes are conditional updates on the expected current status, so of two
// concurrent attempts to move the same order exactly one succeeds.
namespace surplus::orders {

// Inserts `order` with its lines and the event `created` in a transaction of its own,
// unless the customer already has an order with this idempotency key. Returns false,
// having written nothing, when the key was taken. A concurrent insert with the same key
// waits for the first transaction (the PostgreSQL unique index or the SQLite write lock)
// and then returns false.
bool insert_order_once(db::Database& database, const Order& order, const events::Event& created);

std::optional<Order> find_order(db::Session& session, const std::string& id);
std::optional<Order> find_order_by_key(db::Session& session, const std::string& customer_id,
                                       const std::string& idempotency_key);

// What the offers service reported about the reserved units.
struct ReservationSnapshot {
  std::string restaurant_id;
  std::string title;
  core::Money unit_price;
  core::Money original_unit_price;
  core::Timestamp pickup_start;
  core::Timestamp pickup_end;
};

// `order` (PENDING) as it is once confirmed at `now` with the snapshot: cancelUntil
// becomes the pickup window's start, the lines get the title and prices.
Order confirmed_order(const Order& order, const ReservationSnapshot& snapshot, core::Timestamp now);

// PENDING -> CONFIRMED in a transaction of its own: stores `confirmed` (built by
// confirmed_order with `snapshot`) and writes `event`, with no read. Returns false, having
// written nothing, when the order was not PENDING.
bool mark_confirmed(db::Database& database, const Order& confirmed,
                    const ReservationSnapshot& snapshot, const events::Event& event);

// PENDING -> REJECTED; marks the reservation for release, because a concurrent attempt
// for the same order may have reserved units after this one was refused. Returns false
// when the order was not PENDING.
bool mark_rejected(db::Session& session, const std::string& order_id, const std::string& code,
                   const std::string& message, core::Timestamp now);

struct TransitionChange {
  std::optional<std::string> cancellation_reason;
  std::optional<std::string> cancelled_by;
  bool release_reservation = false;
  std::optional<std::string> delivery_status;
};

// `from` -> `to` (allowed by transition_allowed), setting the timestamp column of `to`.
// Returns false when the order's status was no longer `from`.
bool mark_transition(db::Session& session, const std::string& order_id, OrderStatus from,
                     OrderStatus to, const TransitionChange& change, core::Timestamp now);

struct OrderFilter {
  std::optional<std::string> customer_id;
  std::optional<std::string> restaurant_id;
  std::optional<OrderStatus> status;
};

// Orders matching `filter`, newest first (UUIDv7 ids sort by creation time), with ids
// below `before_id`, at most `limit`.
std::vector<Order> list_orders(db::Session& session, const OrderFilter& filter,
                               const std::optional<std::string>& before_id, std::size_t limit);

// PENDING orders created before `created_before` whose claim has expired or never
// existed, oldest first, at most `limit`.
std::vector<std::string> pending_candidates(db::Session& session, core::Timestamp created_before,
                                            core::Timestamp now, std::size_t limit);

// Claims a PENDING order until `until` unless another reconciler holds an unexpired claim.
// The conditional UPDATE runs under the row lock, so of several reconcilers that try at
// once exactly one gets true.
bool claim_pending(db::Session& session, const std::string& order_id, core::Timestamp now,
                   core::Timestamp until);

std::vector<std::string> orders_requiring_release(db::Session& session, std::size_t limit);
void clear_release_required(db::Session& session, const std::string& order_id);

// CONFIRMED delivery orders whose delivery was not created yet.
std::vector<std::string> orders_requiring_delivery(db::Session& session, std::size_t limit);
void record_delivery(db::Session& session, const std::string& order_id,
                     const std::string& delivery_id, const std::string& delivery_status,
                     const std::optional<std::string>& courier_id, core::Timestamp now);

// Delivery orders whose delivery may still change: CONFIRMED or OUT_FOR_DELIVERY with a
// delivery, and CANCELLED ones whose delivery has not been seen cancelled or finished.
std::vector<Order> orders_following_delivery(db::Session& session, std::size_t limit);

// CONFIRMED pickup orders whose pickup window ended before `now`.
std::vector<std::string> orders_past_pickup(db::Session& session, core::Timestamp now,
                                            std::size_t limit);

// Wrong pickup codes: the count in the window that started with the first failure.
struct CodeFailures {
  int failures = 0;
  std::optional<core::Timestamp> window_start;
};
CodeFailures code_failures(db::Session& session, const std::string& order_id);
void record_code_failure(db::Session& session, const std::string& order_id, int failures,
                         core::Timestamp window_start);

struct Rating {
  std::string order_id;
  std::string restaurant_id;
  std::string customer_id;
  int stars = 0;
  std::optional<std::string> comment;
  core::Timestamp created_at;
};
// Inserts the rating and adds it to the restaurant's count and sum. Returns false when
// the order already has a rating.
bool insert_rating(db::Session& session, const Rating& rating);
std::optional<Rating> find_rating(db::Session& session, const std::string& order_id);

}  // namespace surplus::orders
