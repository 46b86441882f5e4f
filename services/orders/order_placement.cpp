// Placing an order and completing a PENDING one: the first half of the order flow.
#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <surplus/core/id.hpp>
#include <surplus/events/outbox.hpp>

#include "offers_client.hpp"
#include "order_flow.hpp"
#include "orders_store.hpp"
#include "restaurants_store.hpp"

namespace surplus::orders {
namespace {

Order new_pending_order(const std::string& customer_id, const std::string& idempotency_key,
                        const PlaceOrderInput& input, core::Timestamp now) {
  Order order;
  order.id = core::new_uuid_v7();
  order.customer_id = customer_id;
  order.idempotency_key = idempotency_key;
  order.request_hash = input.fingerprint();
  order.offer_id = input.offer_id;
  order.quantity = input.quantity;
  order.status = OrderStatus::kPending;
  order.fulfilment = input.fulfilment;
  order.delivery_address = input.delivery_address;
  order.pickup_code = new_pickup_code();
  order.created_at = now;
  order.updated_at = now;
  order.lines.push_back(OrderLine{input.offer_id, input.quantity, {}, {}, {}});
  return order;
}

// Inserts `order` unless the customer already used its key, else reads the order that
// has it. The insert waited for the transaction that took the key to commit, so the read
// finds that order.
std::pair<Order, bool> insert_or_find(OrdersApp& app, const Order& order) {
  if (insert_order_once(app.database, order, order_event("order.created", order))) {
    return {order, true};
  }
  auto existing = app.database.transaction(
      [&](db::Session& session) {
        return find_order_by_key(session, order.customer_id, order.idempotency_key);
      },
      kReadOnly);
  if (!existing) {
    throw core::Error::internal("idempotency key of customer " + order.customer_id +
                                " conflicted on insert but no order has it");
  }
  return {*existing, false};
}

Order load_order(OrdersApp& app, const std::string& order_id) {
  auto order = app.database.transaction(
      [&](db::Session& session) { return find_order(session, order_id); }, kReadOnly);
  if (!order) {
    throw core::Error::internal("order " + order_id + " vanished");
  }
  return *order;
}

// Records the reservation as CONFIRMED with one write and no read back: the event and the
// response come from the order as confirmed_order builds it, which is what the UPDATE
// stores.
Order confirm(OrdersApp& app, const Order& order, const ReservationSnapshot& snapshot) {
  Order confirmed = confirmed_order(order, snapshot, core::now());
  auto event = order_event("order.confirmed", confirmed);
  bool confirmed_now = mark_confirmed(app.database, confirmed, snapshot, event);
  if (confirmed_now) {
    spdlog::info("order {} confirmed: {} x offer {}", order.id, order.quantity, order.offer_id);
    if (confirmed.fulfilment == Fulfilment::kDelivery) {
      create_delivery_for(app, order.id);
      return load_order(app, order.id);
    }
    return confirmed;
  }
  Order stored = load_order(app, order.id);
  if (stored.release_required) {
    // Another attempt rejected the order while this one reserved: give the units back.
    release_reservation(app, order.id);
  }
  return stored;
}

enum class RangeCheck { kInRange, kRejected, kNoResponse };

// Rejects a delivery order whose address is farther from the restaurant than
// MAX_DELIVERY_DISTANCE_KM with OUT_OF_DELIVERY_RANGE, before any units are reserved. The
// offers service returns which restaurant sells the offer. The restaurant's location is
// this service's own, which is also where the delivery starts.
RangeCheck check_delivery_range(OrdersApp& app, const Order& order) {
  auto result = app.offers->offer_place(order.offer_id);
  if (result.outcome == CallOutcome::kUnavailable) {
    spdlog::warn("order {} stays PENDING: the offers service at {} did not describe offer {}: {}",
                 order.id, app.offers->base_url(), order.offer_id, result.message);
    return RangeCheck::kNoResponse;
  }

  if (result.outcome == CallOutcome::kRefused) {
    return RangeCheck::kInRange;  // the reservation rejects an unknown offer itself
  }

  auto restaurant = app.database.transaction(
      [&](db::Session& session) { return find_restaurant(session, result.place->restaurant_id); },
      kReadOnly);
  std::optional<core::GeoPoint> pickup = result.place->location;
  std::string restaurant_name = result.place->restaurant_id;
  if (restaurant) {
    pickup = core::GeoPoint{restaurant->latitude, restaurant->longitude};
    restaurant_name = restaurant->name;
  }
  if (!pickup) {
    spdlog::error("order {}: offer {} has no location, so its delivery distance is unchecked",
                  order.id, order.offer_id);
    return RangeCheck::kInRange;
  }

  double distance_km = core::haversine_km(*pickup, order.delivery_address->location);
  auto limit_km = app.config.max_delivery_distance_km;
  if (distance_km <= static_cast<double>(limit_km)) {
    return RangeCheck::kInRange;
  }
  reject_pending(app, order.id, "OUT_OF_DELIVERY_RANGE",
                 fmt::format("the delivery address is {:.1f} km from {}, farther than the "
                             "maximum delivery distance of {} km; choose an address within {} km "
                             "of the restaurant or collect the order in its pickup window",
                             distance_km, restaurant_name, limit_km, limit_km));
  return RangeCheck::kRejected;
}

}  // namespace

std::string PlaceOrderInput::fingerprint() const {
  nlohmann::json canonical{{"offerId", offer_id},
                           {"quantity", quantity},
                           {"fulfilment", fulfilment_name(fulfilment)},
                           {"deliveryAddress", nullptr}};
  if (delivery_address) {
    canonical["deliveryAddress"] = {{"address", delivery_address->address},
                                    {"latitude", delivery_address->location.latitude},
                                    {"longitude", delivery_address->location.longitude}};
  }
  std::string text = canonical.dump();
  std::array<unsigned char, 16> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr, 0);
  std::array<char, 33> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

events::Event order_event(std::string type, const Order& order) {
  return events::make_event(std::move(type), order_channels(order), order_json(order, false));
}

void write_order_event(db::Session& session, std::string type, const Order& order) {
  events::write_to_outbox(session, order_event(std::move(type), order));
}

PlaceOrderResult place_order(OrdersApp& app, const std::string& customer_id,
                             const std::string& idempotency_key, const PlaceOrderInput& input) {
  Order fresh = new_pending_order(customer_id, idempotency_key, input, core::now());
  auto [order, created] = insert_or_find(app, fresh);
  if (!created && order.request_hash != fresh.request_hash) {
    throw core::Error::conflict("Idempotency-Key " + idempotency_key +
                                " was already used for a different order request; send a new "
                                "key for a new order");
  }
  if (created) {
    spdlog::debug("order {} recorded as PENDING for customer {}", order.id, customer_id);
  }
  if (order.status == OrderStatus::kPending) {
    order = complete_pending(app, order);
  }
  return {std::move(order), created};
}

Order complete_pending(OrdersApp& app, const Order& order) {
  if (order.fulfilment == Fulfilment::kDelivery && order.delivery_address &&
      check_delivery_range(app, order) != RangeCheck::kInRange) {
    return load_order(app, order.id);
  }
  auto result = app.offers->reserve(order);
  switch (result.outcome) {
    case CallOutcome::kDone:
      return confirm(app, order, *result.snapshot);
    case CallOutcome::kRefused:
      reject_pending(app, order.id, result.code, result.message);
      return load_order(app, order.id);
    case CallOutcome::kUnavailable:
      spdlog::warn("order {} stays PENDING: the offers service at {} did not respond: {}", order.id,
                   app.offers->base_url(), result.message);
      break;
  }
  return load_order(app, order.id);
}

void reject_pending(OrdersApp& app, const std::string& order_id, const std::string& code,
                    const std::string& message) {
  bool rejected = app.database.transaction([&](db::Session& session) {
    if (!mark_rejected(session, order_id, code, message, core::now())) {
      return false;
    }
    write_order_event(session, "order.rejected", *find_order(session, order_id));
    return true;
  });
  if (rejected) {
    spdlog::info("order {} rejected: {} {}", order_id, code, message);
    // Nothing is held after a refusal, unless a concurrent attempt for the same order got
    // the units. Releasing covers that case. A release of an unknown id also makes the
    // offers service reject a late reservation with this id.
    release_reservation(app, order_id);
  }
}

bool release_reservation(OrdersApp& app, const std::string& order_id) {
  if (app.offers->release(order_id) != CallOutcome::kDone) {
    return false;
  }
  app.database.transaction(
      [&](db::Session& session) { clear_release_required(session, order_id); });
  return true;
}

}  // namespace surplus::orders
