#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/geo.hpp>
#include <surplus/core/money.hpp>
#include <surplus/core/time.hpp>

// The order domain: statuses, the allowed transitions and the JSON form of an order.
namespace surplus::orders {

enum class OrderStatus {
  kPending,
  kConfirmed,
  kRejected,
  kCancelled,
  kCollected,
  kNoShow,
  kOutForDelivery,
  kDelivered,
  kDeliveryFailed,
};

inline constexpr std::size_t kOrderStatusCount = 9;

std::string_view order_status_name(OrderStatus status);  // "PENDING", "OUT_FOR_DELIVERY", ...
std::optional<OrderStatus> parse_order_status(std::string_view name);
std::vector<OrderStatus> all_order_statuses();
std::vector<std::string_view> order_status_names();

// Whether an order may move from `from` to `to`:
//   PENDING          -> CONFIRMED | REJECTED
//   CONFIRMED        -> CANCELLED | COLLECTED | NO_SHOW | OUT_FOR_DELIVERY
//   OUT_FOR_DELIVERY -> DELIVERED | DELIVERY_FAILED
// Every other pair, staying in place included, is refused.
bool transition_allowed(OrderStatus from, OrderStatus to);

// Throws core::Error CONFLICT naming the current status unless `from` -> `to` is allowed.
void require_transition(const std::string& order_id, OrderStatus from, OrderStatus to);

enum class Fulfilment { kPickup, kDelivery };
std::string_view fulfilment_name(Fulfilment fulfilment);  // "PICKUP", "DELIVERY"
std::optional<Fulfilment> parse_fulfilment(std::string_view name);

struct DeliveryAddress {
  std::string address;
  core::GeoPoint location;
};

// One offer of an order. Title and prices are empty until the offers service reserved
// the units and reported them.
struct OrderLine {
  std::string offer_id;
  std::int64_t quantity = 0;
  std::optional<std::string> title;
  std::optional<core::Money> unit_price;
  std::optional<core::Money> original_unit_price;
};

struct Order {
  std::string id;
  std::string customer_id;
  std::string idempotency_key;
  std::string request_hash;
  std::string offer_id;
  std::int64_t quantity = 0;
  std::optional<std::string> restaurant_id;
  OrderStatus status = OrderStatus::kPending;
  std::optional<std::string> rejection_code;
  std::optional<std::string> rejection_message;
  Fulfilment fulfilment = Fulfilment::kPickup;
  std::optional<DeliveryAddress> delivery_address;
  std::optional<core::Money> total;
  std::optional<core::Timestamp> pickup_start;
  std::optional<core::Timestamp> pickup_end;
  std::optional<core::Timestamp> cancel_until;
  std::string pickup_code;
  std::optional<std::string> cancellation_reason;
  std::optional<std::string> cancelled_by;
  std::optional<std::string> delivery_id;
  std::optional<std::string> delivery_status;
  std::optional<std::string> courier_id;
  bool release_required = false;
  bool delivery_required = false;
  core::Timestamp created_at;
  core::Timestamp updated_at;
  std::optional<core::Timestamp> confirmed_at;
  std::optional<core::Timestamp> rejected_at;
  std::optional<core::Timestamp> cancelled_at;
  std::optional<core::Timestamp> collected_at;
  std::optional<core::Timestamp> no_show_at;
  std::optional<core::Timestamp> out_for_delivery_at;
  std::optional<core::Timestamp> delivered_at;
  std::optional<core::Timestamp> delivery_failed_at;
  std::vector<OrderLine> lines;
};

// The API form of an order. The pickup code is included only when `with_pickup_code`
// (the caller is the order's customer) and the order has been confirmed.
nlohmann::json order_json(const Order& order, bool with_pickup_code);

// A new pickup code: 6 characters from a 32-letter alphabet without 0/O and 1/I, drawn
// from libsodium's random source (30 bits; wrong guesses are rate-limited per order).
std::string new_pickup_code();

// The event channels of an order: order:{id}, user:{customerId} and, once known,
// restaurant:{restaurantId}.
std::vector<std::string> order_channels(const Order& order);

}  // namespace surplus::orders
