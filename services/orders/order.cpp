#include "order.hpp"

#include <array>

#include <sodium.h>

#include <surplus/core/error.hpp>

namespace surplus::orders {
namespace {

constexpr std::array<std::pair<OrderStatus, std::string_view>, kOrderStatusCount> kStatusNames{{
    {OrderStatus::kPending, "PENDING"},
    {OrderStatus::kConfirmed, "CONFIRMED"},
    {OrderStatus::kRejected, "REJECTED"},
    {OrderStatus::kCancelled, "CANCELLED"},
    {OrderStatus::kCollected, "COLLECTED"},
    {OrderStatus::kNoShow, "NO_SHOW"},
    {OrderStatus::kOutForDelivery, "OUT_FOR_DELIVERY"},
    {OrderStatus::kDelivered, "DELIVERED"},
    {OrderStatus::kDeliveryFailed, "DELIVERY_FAILED"},
}};

// Without 0/O and 1/I, so a code read aloud or typed from a phone screen is not misread.
constexpr std::string_view kPickupCodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr std::size_t kPickupCodeLength = 6;

nlohmann::json time_json(const std::optional<core::Timestamp>& time) {
  return time ? nlohmann::json(core::format_rfc3339(*time)) : nlohmann::json();
}

template <class T>
nlohmann::json optional_json(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

nlohmann::json line_json(const OrderLine& line) {
  return {{"offerId", line.offer_id},
          {"quantity", line.quantity},
          {"title", optional_json(line.title)},
          {"unitPrice", optional_json(line.unit_price)},
          {"originalUnitPrice", optional_json(line.original_unit_price)}};
}

}  // namespace

std::string_view order_status_name(OrderStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) {
      return name;
    }
  }
  return "UNKNOWN";
}

std::optional<OrderStatus> parse_order_status(std::string_view name) {
  for (const auto& [value, known] : kStatusNames) {
    if (known == name) {
      return value;
    }
  }
  return std::nullopt;
}

std::vector<OrderStatus> all_order_statuses() {
  std::vector<OrderStatus> statuses;
  for (const auto& entry : kStatusNames) {
    statuses.push_back(entry.first);
  }
  return statuses;
}

std::vector<std::string_view> order_status_names() {
  std::vector<std::string_view> names;
  for (const auto& entry : kStatusNames) {
    names.push_back(entry.second);
  }
  return names;
}

bool transition_allowed(OrderStatus from, OrderStatus to) {
  switch (from) {
    case OrderStatus::kPending:
      return to == OrderStatus::kConfirmed || to == OrderStatus::kRejected;
    case OrderStatus::kConfirmed:
      return to == OrderStatus::kCancelled || to == OrderStatus::kCollected ||
             to == OrderStatus::kNoShow || to == OrderStatus::kOutForDelivery;
    case OrderStatus::kOutForDelivery:
      return to == OrderStatus::kDelivered || to == OrderStatus::kDeliveryFailed;
    default:
      return false;
  }
}

void require_transition(const std::string& order_id, OrderStatus from, OrderStatus to) {
  if (!transition_allowed(from, to)) {
    throw core::Error::conflict("order " + order_id + " is " +
                                std::string(order_status_name(from)) + " and cannot become " +
                                std::string(order_status_name(to)));
  }
}

std::string_view fulfilment_name(Fulfilment fulfilment) {
  return fulfilment == Fulfilment::kPickup ? "PICKUP" : "DELIVERY";
}

std::optional<Fulfilment> parse_fulfilment(std::string_view name) {
  if (name == "PICKUP") {
    return Fulfilment::kPickup;
  }
  if (name == "DELIVERY") {
    return Fulfilment::kDelivery;
  }
  return std::nullopt;
}

nlohmann::json order_json(const Order& order, bool with_pickup_code) {
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& line : order.lines) {
    lines.push_back(line_json(line));
  }
  nlohmann::json rejection;
  if (order.rejection_code) {
    rejection = {{"code", *order.rejection_code},
                 {"message", order.rejection_message.value_or("")}};
  }
  nlohmann::json address;
  if (order.delivery_address) {
    address = {{"address", order.delivery_address->address},
               {"latitude", order.delivery_address->location.latitude},
               {"longitude", order.delivery_address->location.longitude}};
  }
  nlohmann::json pickup_window;
  if (order.pickup_start && order.pickup_end) {
    pickup_window = {{"start", core::format_rfc3339(*order.pickup_start)},
                     {"end", core::format_rfc3339(*order.pickup_end)}};
  }
  bool code_visible = with_pickup_code && order.status != OrderStatus::kPending &&
                      order.status != OrderStatus::kRejected;
  return {
      {"id", order.id},
      {"customerId", order.customer_id},
      {"restaurantId", optional_json(order.restaurant_id)},
      {"offerId", order.offer_id},
      {"quantity", order.quantity},
      {"status", order_status_name(order.status)},
      {"rejection", rejection},
      {"fulfilment", fulfilment_name(order.fulfilment)},
      {"deliveryAddress", address},
      {"lines", lines},
      {"total", optional_json(order.total)},
      {"pickupWindow", pickup_window},
      {"cancelUntil", time_json(order.cancel_until)},
      {"pickupCode", code_visible ? nlohmann::json(order.pickup_code) : nlohmann::json()},
      {"cancellationReason", optional_json(order.cancellation_reason)},
      {"cancelledBy", optional_json(order.cancelled_by)},
      {"deliveryId", optional_json(order.delivery_id)},
      {"deliveryStatus", optional_json(order.delivery_status)},
      {"courierId", optional_json(order.courier_id)},
      {"createdAt", core::format_rfc3339(order.created_at)},
      {"updatedAt", core::format_rfc3339(order.updated_at)},
      {"confirmedAt", time_json(order.confirmed_at)},
      {"rejectedAt", time_json(order.rejected_at)},
      {"cancelledAt", time_json(order.cancelled_at)},
      {"collectedAt", time_json(order.collected_at)},
      {"noShowAt", time_json(order.no_show_at)},
      {"outForDeliveryAt", time_json(order.out_for_delivery_at)},
      {"deliveredAt", time_json(order.delivered_at)},
      {"deliveryFailedAt", time_json(order.delivery_failed_at)},
  };
}

std::string new_pickup_code() {
  std::string code;
  code.reserve(kPickupCodeLength);
  for (std::size_t i = 0; i < kPickupCodeLength; ++i) {
    code.push_back(kPickupCodeAlphabet[randombytes_uniform(kPickupCodeAlphabet.size())]);
  }
  return code;
}

std::vector<std::string> order_channels(const Order& order) {
  std::vector<std::string> channels{"order:" + order.id, "user:" + order.customer_id};
  if (order.restaurant_id) {
    channels.push_back("restaurant:" + *order.restaurant_id);
  }
  return channels;
}

}  // namespace surplus::orders
