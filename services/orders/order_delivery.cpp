// Delivery orders: the delivery is created in the offers service once the order is
// CONFIRMED, and the order follows the delivery's status.
//
// The orders service polls the offers service (the reconciler calls follow_delivery for
// every open delivery order) rather than being called back. Polling needs nothing from
// the offers service beyond its existing GET /internal/orders/{id}/delivery, keeps
// working when either service was down while the delivery moved, and never depends on a
// callback that might be lost; the cost is a delay of up to one reconciler interval.
#include <spdlog/spdlog.h>

#include "offers_client.hpp"
#include "order_flow.hpp"
#include "orders_store.hpp"
#include "restaurants_store.hpp"

namespace surplus::orders {
namespace {

struct Move {
  OrderStatus from;
  OrderStatus to;
  const char* event;
};

// The order moves that a delivery status implies for an order in `status`; empty when
// there is nothing to do.
std::vector<Move> moves_for(OrderStatus status, const std::string& delivery_status) {
  bool confirmed = status == OrderStatus::kConfirmed;
  bool out = status == OrderStatus::kOutForDelivery;
  if (delivery_status == "PICKED_UP" && confirmed) {
    return {{OrderStatus::kConfirmed, OrderStatus::kOutForDelivery, "order.out_for_delivery"}};
  }
  if (delivery_status == "DELIVERED") {
    if (confirmed) {
      return {{OrderStatus::kConfirmed, OrderStatus::kOutForDelivery, "order.out_for_delivery"},
              {OrderStatus::kOutForDelivery, OrderStatus::kDelivered, "order.delivered"}};
    }
    if (out) {
      return {{OrderStatus::kOutForDelivery, OrderStatus::kDelivered, "order.delivered"}};
    }
  }
  if (delivery_status == "FAILED" || delivery_status == "CANCELLED") {
    if (out) {
      return {
          {OrderStatus::kOutForDelivery, OrderStatus::kDeliveryFailed, "order.delivery_failed"}};
    }
    if (confirmed) {
      return {{OrderStatus::kConfirmed, OrderStatus::kCancelled, "order.cancelled"}};
    }
  }
  return {};
}

void apply_delivery(OrdersApp& app, const Order& order, const DeliveryInfo& delivery) {
  bool release = app.database.transaction([&](db::Session& session) {
    auto now = core::now();
    record_delivery(session, order.id, delivery.id, delivery.status, delivery.courier_id, now);
    bool released = false;
    for (const auto& move : moves_for(order.status, delivery.status)) {
      TransitionChange change;
      if (move.to == OrderStatus::kCancelled) {
        // The courier never had the food, so the units go back to the offer.
        change.cancelled_by = "DELIVERY";
        change.cancellation_reason =
            "delivery " + delivery.status + ": " + delivery.failure_reason.value_or("no reason");
        change.release_reservation = true;
        released = true;
      }
      if (!mark_transition(session, order.id, move.from, move.to, change, now)) {
        break;
      }
      write_order_event(session, move.event, *find_order(session, order.id));
    }
    return released;
  });
  if (release) {
    release_reservation(app, order.id);
  }
}

}  // namespace

bool create_delivery_for(OrdersApp& app, const std::string& order_id) {
  auto [order, restaurant] = app.database.transaction(
      [&](db::Session& session) {
        auto found = find_order(session, order_id);
        std::optional<Restaurant> place;
        if (found && found->restaurant_id) {
          place = find_restaurant(session, *found->restaurant_id);
        }
        return std::pair{found, place};
      },
      kReadOnly);
  if (!order || order->status != OrderStatus::kConfirmed || !order->delivery_required ||
      order->delivery_id || !order->delivery_address) {
    return true;
  }
  if (!restaurant) {
    spdlog::error("delivery of order {} not created: restaurant {} is unknown here", order_id,
                  order->restaurant_id.value_or("(none)"));
    return false;
  }
  auto result = app.offers->create_delivery(*order, {restaurant->latitude, restaurant->longitude});
  if (result.outcome != CallOutcome::kDone) {
    // NOTE: a refusal (a 4xx other than 401 and 429) is retried on every reconciler pass
    // like an outage, because no order state records it; the order stays CONFIRMED.
    spdlog::warn("delivery of order {} not created yet: {}", order_id, result.message);
    return false;
  }
  spdlog::info("delivery {} created for order {}", result.delivery->id, order_id);
  apply_delivery(app, *order, *result.delivery);
  return true;
}

bool follow_delivery(OrdersApp& app, const Order& order) {
  if (order.status == OrderStatus::kCancelled && order.delivery_id) {
    auto result = app.offers->cancel_delivery(
        *order.delivery_id, "order cancelled: " + order.cancellation_reason.value_or("no reason"));
    if (result.outcome == CallOutcome::kUnavailable) {
      return false;
    }
    // A refusal means the delivery already finished or was cancelled; read where it is.
  }
  auto result = app.offers->delivery_of(order.id);
  if (result.outcome != CallOutcome::kDone) {
    return result.outcome == CallOutcome::kRefused;
  }
  if (result.delivery->status != order.delivery_status.value_or("") ||
      result.delivery->courier_id != order.courier_id ||
      !moves_for(order.status, result.delivery->status).empty()) {
    apply_delivery(app, order, *result.delivery);
  }
  return true;
}

}  // namespace surplus::orders
