#pragma once

#include <optional>
#include <string>

#include <surplus/auth/request_auth.hpp>
#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>
#include <surplus/events/event.hpp>

#include "order.hpp"
#include "orders_config.hpp"

// The order flow across the orders and offers services. Every step is safe to repeat and
// to run concurrently with itself: calls to the offers service are idempotent by order id,
// and each status change is a conditional update that exactly one caller wins; only the
// winner writes the event.
namespace surplus::orders {

struct PlaceOrderInput {
  std::string offer_id;
  std::int64_t quantity = 1;
  Fulfilment fulfilment = Fulfilment::kPickup;
  std::optional<DeliveryAddress> delivery_address;

  // A digest of the normalised request; a repeated Idempotency-Key must come with the same.
  std::string fingerprint() const;
};

struct PlaceOrderResult {
  Order order;
  bool created = false;  // false when the key had been used before (a replay)
};

// Records a PENDING order with order.created (or finds the customer's order with this
// key), then completes it as complete_pending does. Throws CONFLICT when the key was used
// with a different request.
PlaceOrderResult place_order(OrdersApp& app, const std::string& customer_id,
                             const std::string& idempotency_key, const PlaceOrderInput& input);

// Reserves the order's units in the offers service and records the outcome: CONFIRMED
// with the price snapshot, or REJECTED with the refusal's code. A delivery order whose
// address is farther from the restaurant than MAX_DELIVERY_DISTANCE_KM is REJECTED with
// OUT_OF_DELIVERY_RANGE before anything is reserved. When the offers service does not
// respond, the order stays PENDING. Returns the order as stored afterwards.
Order complete_pending(OrdersApp& app, const Order& order);

// PENDING -> REJECTED with `code`, then releases whatever the offers service holds.
void reject_pending(OrdersApp& app, const std::string& order_id, const std::string& code,
                    const std::string& message);

// Releases the order's reservation and clears release_required once the offers service
// acknowledged it. Returns false when it did not answer.
bool release_reservation(OrdersApp& app, const std::string& order_id);

// Creates the delivery of a CONFIRMED delivery order that has none yet. Returns false
// when the offers service did not create it.
bool create_delivery_for(OrdersApp& app, const std::string& order_id);

// Reads the order's delivery from the offers service and moves the order along with it:
// PICKED_UP -> OUT_FOR_DELIVERY, DELIVERED -> DELIVERED, FAILED or CANCELLED after
// pick-up -> DELIVERY_FAILED, and before pick-up -> CANCELLED with the reservation
// released. A cancelled order's open delivery is cancelled. Returns false when the offers
// service did not answer.
bool follow_delivery(OrdersApp& app, const Order& order);

// CONFIRMED pickup orders whose pickup window has ended become NO_SHOW; returns how many.
std::size_t mark_no_shows(OrdersApp& app, core::Timestamp now);

// Who may see an order: its customer, the staff of its restaurant, its courier and
// admins. Throws UNAUTHENTICATED or FORBIDDEN otherwise.
enum class OrderViewer { kCustomer, kStaff, kCourier, kAdmin };
OrderViewer require_viewer(db::Session& session, const auth::Identity& identity,
                           const Order& order);

// POST /orders/{id}/cancel: the customer before cancelUntil, the restaurant's staff or an
// admin with a reason until the order is collected.
Order cancel_order(OrdersApp& app, const auth::Identity& identity, const std::string& order_id,
                   const std::optional<std::string>& reason);

// POST /orders/{id}/collect: the restaurant's staff or an admin with the pickup code.
// Wrong codes are counted per order; past the limit, RATE_LIMITED with Retry-After.
Order collect_order(OrdersApp& app, const auth::Identity& identity, const std::string& order_id,
                    const std::string& pickup_code);

// Builds the event `type` about `order`, with the order's API form (no pickup code) as data.
events::Event order_event(std::string type, const Order& order);

// Writes `type` for `order` (as stored now) to the outbox.
void write_order_event(db::Session& session, std::string type, const Order& order);

}  // namespace surplus::orders
