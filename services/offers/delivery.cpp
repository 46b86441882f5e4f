#include "delivery.hpp"

#include <array>
#include <random>
#include <utility>

#include <fmt/format.h>

namespace surplus::offers {
namespace {

constexpr std::array<std::pair<DeliveryStatus, std::string_view>, 6> kStatuses{{
    {DeliveryStatus::kPending, "PENDING"},
    {DeliveryStatus::kAssigned, "ASSIGNED"},
    {DeliveryStatus::kPickedUp, "PICKED_UP"},
    {DeliveryStatus::kDelivered, "DELIVERED"},
    {DeliveryStatus::kFailed, "FAILED"},
    {DeliveryStatus::kCancelled, "CANCELLED"},
}};

constexpr std::array<std::pair<DeliveryStatus, DeliveryStatus>, 8> kTransitions{{
    {DeliveryStatus::kPending, DeliveryStatus::kAssigned},
    {DeliveryStatus::kPending, DeliveryStatus::kCancelled},
    {DeliveryStatus::kAssigned, DeliveryStatus::kAssigned},
    {DeliveryStatus::kAssigned, DeliveryStatus::kPickedUp},
    {DeliveryStatus::kAssigned, DeliveryStatus::kFailed},
    {DeliveryStatus::kAssigned, DeliveryStatus::kCancelled},
    {DeliveryStatus::kPickedUp, DeliveryStatus::kDelivered},
    {DeliveryStatus::kPickedUp, DeliveryStatus::kFailed},
}};

nlohmann::json point_json(core::GeoPoint point) {
  return {{"latitude", point.latitude}, {"longitude", point.longitude}};
}

nlohmann::json time_json(const std::optional<core::Timestamp>& time) {
  return time ? nlohmann::json(core::format_rfc3339(*time)) : nlohmann::json();
}

}  // namespace

std::string_view delivery_status_name(DeliveryStatus status) {
  for (const auto& [entry, name] : kStatuses) {
    if (entry == status) {
      return name;
    }
  }
  return "PENDING";
}

std::optional<DeliveryStatus> parse_delivery_status(std::string_view name) {
  for (const auto& [entry, entry_name] : kStatuses) {
    if (entry_name == name) {
      return entry;
    }
  }
  return std::nullopt;
}

bool is_allowed_transition(DeliveryStatus from, DeliveryStatus to) {
  for (const auto& [allowed_from, allowed_to] : kTransitions) {
    if (allowed_from == from && allowed_to == to) {
      return true;
    }
  }
  return false;
}

bool is_open(DeliveryStatus status) {
  return status == DeliveryStatus::kAssigned || status == DeliveryStatus::kPickedUp;
}

nlohmann::json delivery_json(const Delivery& delivery, bool with_proof_code) {
  nlohmann::json json{
      {"id", delivery.id},
      {"orderId", delivery.order_id},
      {"restaurantId", delivery.restaurant_id},
      {"customerId", delivery.customer_id},
      {"courierId", delivery.courier_id ? nlohmann::json(*delivery.courier_id) : nullptr},
      {"status", delivery_status_name(delivery.status)},
      {"pickup", point_json(delivery.pickup)},
      {"dropoff", point_json(delivery.dropoff)},
      {"dropoffAddress", delivery.dropoff_address},
      {"failureReason",
       delivery.failure_reason ? nlohmann::json(*delivery.failure_reason) : nullptr},
      {"createdAt", core::format_rfc3339(delivery.created_at)},
      {"updatedAt", core::format_rfc3339(delivery.updated_at)},
      {"assignedAt", time_json(delivery.assigned_at)},
      {"pickedUpAt", time_json(delivery.picked_up_at)},
      {"finishedAt", time_json(delivery.finished_at)},
  };
  if (with_proof_code) {
    json["proofCode"] = delivery.proof_code;
  }
  return json;
}

std::vector<std::string> delivery_channels(const Delivery& delivery) {
  std::vector<std::string> channels{"order:" + delivery.order_id,
                                    "restaurant:" + delivery.restaurant_id};
  if (delivery.courier_id) {
    channels.push_back("courier:" + *delivery.courier_id);
  }
  return channels;
}

std::string new_proof_code() {
  // std::random_device reads the kernel's random source on Linux (libstdc++).
  std::random_device source;
  std::uniform_int_distribution<int> digits(0, 999999);
  return fmt::format("{:06d}", digits(source));
}

}  // namespace surplus::offers
