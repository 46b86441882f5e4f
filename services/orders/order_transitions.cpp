// Changes after confirmation that people make (cancel, collect) or that time makes
// (NO_SHOW), and who may see an order.
#include <algorithm>
#include <cctype>

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "order_flow.hpp"
#include "orders_store.hpp"
#include "restaurants_store.hpp"

namespace surplus::orders {
namespace {

Order require_order(db::Session& session, const std::string& order_id) {
  auto order = find_order(session, order_id);
  if (!order) {
    throw core::Error::not_found("order " + order_id);
  }
  return *order;
}

bool is_restaurant_staff(db::Session& session, const auth::Identity& identity, const Order& order) {
  return identity.role == auth::Role::kStore && order.restaurant_id &&
         is_staff(session, *order.restaurant_id, identity.user_id);
}

bool codes_match(std::string given, const std::string& expected) {
  std::transform(given.begin(), given.end(), given.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return given.size() == expected.size() &&
         sodium_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

enum class CodeCheck { kAccepted, kWrong, kLimited };

struct CollectAttempt {
  CodeCheck check = CodeCheck::kWrong;
  std::chrono::seconds retry_after{0};
  std::optional<Order> order;
};

// Refuses collection when the order is not a CONFIRMED pickup order, counts a wrong
// code, or marks the order COLLECTED. A wrong code is committed before the caller
// throws, so the count survives the error response.
CollectAttempt attempt_collection(OrdersApp& app, db::Session& session,
                                  const auth::Identity& identity, const std::string& order_id,
                                  const std::string& pickup_code) {
  Order order = require_order(session, order_id);
  if (!identity.is_admin() && !is_restaurant_staff(session, identity, order)) {
    throw core::Error::forbidden("only the staff of the order's restaurant may confirm pickup");
  }
  require_transition(order.id, order.status, OrderStatus::kCollected);
  if (order.fulfilment != Fulfilment::kPickup) {
    throw core::Error::conflict("order " + order.id +
                                " is a DELIVERY order; it is handed to its courier");
  }
  auto now = core::now();
  auto window = app.config.pickup_code_failure_window;
  auto failures = code_failures(session, order.id);
  bool window_open = failures.window_start && *failures.window_start + window > now;
  int count = window_open ? failures.failures : 0;
  if (count >= app.config.pickup_code_max_failures) {
    auto wait = std::chrono::ceil<std::chrono::seconds>(*failures.window_start + window - now);
    return {CodeCheck::kLimited, wait, std::nullopt};
  }
  if (!codes_match(pickup_code, order.pickup_code)) {
    record_code_failure(session, order.id, count + 1, window_open ? *failures.window_start : now);
    return {CodeCheck::kWrong, std::chrono::seconds(0), std::nullopt};
  }
  if (!mark_transition(session, order.id, OrderStatus::kConfirmed, OrderStatus::kCollected, {},
                       now)) {
    throw core::Error::conflict("order " + order.id + " changed meanwhile; read it and retry");
  }
  auto collected = find_order(session, order.id);
  write_order_event(session, "order.collected", *collected);
  return {CodeCheck::kAccepted, std::chrono::seconds(0), collected};
}

}  // namespace

OrderViewer require_viewer(db::Session& session, const auth::Identity& identity,
                           const Order& order) {
  if (identity.is_anonymous()) {
    throw core::Error::unauthenticated();
  }
  if (identity.is_admin()) {
    return OrderViewer::kAdmin;
  }
  if (identity.user_id == order.customer_id) {
    return OrderViewer::kCustomer;
  }
  if (is_restaurant_staff(session, identity, order)) {
    return OrderViewer::kStaff;
  }
  if (identity.role == auth::Role::kCourier && order.courier_id == identity.user_id) {
    return OrderViewer::kCourier;
  }
  throw core::Error::forbidden(
      "only the order's customer, its restaurant's staff, its courier "
      "or an admin may see order " +
      order.id);
}

Order cancel_order(OrdersApp& app, const auth::Identity& identity, const std::string& order_id,
                   const std::optional<std::string>& reason) {
  bool repeated = false;
  auto cancelled = app.database.transaction([&](db::Session& session) {
    Order order = require_order(session, order_id);
    OrderViewer viewer = require_viewer(session, identity, order);
    // Cancelling is idempotent: a client that retries after losing the first reply gets
    // the cancelled order again, and no second event.
    if (order.status == OrderStatus::kCancelled && viewer != OrderViewer::kCourier) {
      repeated = true;
      return order;
    }
    auto now = core::now();
    TransitionChange change;
    change.release_reservation = true;
    change.cancellation_reason = reason;
    if (viewer == OrderViewer::kCustomer) {
      require_transition(order.id, order.status, OrderStatus::kCancelled);
      if (!order.cancel_until || now >= *order.cancel_until) {
        throw core::Error::conflict(
            "order " + order.id + " could be cancelled by its customer only until " +
            (order.cancel_until ? core::format_rfc3339(*order.cancel_until) : "confirmation") +
            "; ask the restaurant");
      }
      change.cancelled_by = "CUSTOMER";
    } else if (viewer == OrderViewer::kStaff || viewer == OrderViewer::kAdmin) {
      if (!reason) {
        throw core::Error::validation("reason", "is required when the restaurant cancels");
      }
      require_transition(order.id, order.status, OrderStatus::kCancelled);
      change.cancelled_by = viewer == OrderViewer::kAdmin ? "ADMIN" : "STORE";
    } else {
      throw core::Error::forbidden("a courier cannot cancel order " + order.id);
    }
    if (!mark_transition(session, order.id, order.status, OrderStatus::kCancelled, change, now)) {
      throw core::Error::conflict("order " + order.id + " changed meanwhile; read it and retry");
    }
    Order stored = *find_order(session, order.id);
    write_order_event(session, "order.cancelled", stored);
    return stored;
  });
  if (repeated) {
    // The release is idempotent too, so repeating it finishes one that failed the first time.
    if (cancelled.release_required && release_reservation(app, order_id)) {
      cancelled.release_required = false;
    }
    return cancelled;
  }
  spdlog::info("order {} cancelled by {} {}", order_id, cancelled.cancelled_by.value_or("?"),
               identity.user_id);
  if (release_reservation(app, order_id)) {
    cancelled.release_required = false;
  }
  if (cancelled.delivery_id) {
    follow_delivery(app, cancelled);
  }
  return cancelled;
}

Order collect_order(OrdersApp& app, const auth::Identity& identity, const std::string& order_id,
                    const std::string& pickup_code) {
  if (identity.is_anonymous()) {
    throw core::Error::unauthenticated();
  }
  auto attempt = app.database.transaction([&](db::Session& session) {
    return attempt_collection(app, session, identity, order_id, pickup_code);
  });
  switch (attempt.check) {
    case CodeCheck::kAccepted:
      spdlog::info("order {} collected, confirmed by {}", order_id, identity.user_id);
      return *attempt.order;
    case CodeCheck::kLimited:
      throw core::Error(core::ErrorCode::kRateLimited,
                        "too many wrong pickup codes for order " + order_id + "; try again in " +
                            std::to_string(attempt.retry_after.count()) + " seconds")
          .with_retry_after(attempt.retry_after);
    case CodeCheck::kWrong:
      break;
  }
  throw core::Error::validation("pickupCode", "does not match the order's pickup code");
}

std::size_t mark_no_shows(OrdersApp& app, core::Timestamp now) {
  auto ids = app.database.transaction(
      [&](db::Session& session) { return orders_past_pickup(session, now, 200); }, kReadOnly);
  std::size_t marked = 0;
  for (const auto& id : ids) {
    bool moved = app.database.transaction([&](db::Session& session) {
      if (!mark_transition(session, id, OrderStatus::kConfirmed, OrderStatus::kNoShow, {}, now)) {
        return false;
      }
      write_order_event(session, "order.no_show", *find_order(session, id));
      return true;
    });
    if (moved) {
      ++marked;
      spdlog::info("order {} not collected in its pickup window: NO_SHOW", id);
    }
  }
  return marked;
}

}  // namespace surplus::orders
