#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/geo.hpp>
#include <surplus/core/time.hpp>

namespace surplus::offers {

// PENDING: created, no courier yet. ASSIGNED: a courier is on the way to the restaurant.
// PICKED_UP: the courier has the food. DELIVERED, FAILED (with a reason) and CANCELLED
// are final.
enum class DeliveryStatus { kPending, kAssigned, kPickedUp, kDelivered, kFailed, kCancelled };

std::string_view delivery_status_name(DeliveryStatus status);  // "PENDING", ...
std::optional<DeliveryStatus> parse_delivery_status(std::string_view name);

// Whether a delivery may move from `from` to `to`; every allowed move is forward:
//   PENDING -> ASSIGNED, PENDING -> CANCELLED
//   ASSIGNED -> ASSIGNED (another courier), ASSIGNED -> PICKED_UP, ASSIGNED -> FAILED,
//   ASSIGNED -> CANCELLED
//   PICKED_UP -> DELIVERED, PICKED_UP -> FAILED
bool is_allowed_transition(DeliveryStatus from, DeliveryStatus to);

// Whether the delivery is on a courier's route (ASSIGNED or PICKED_UP).
bool is_open(DeliveryStatus status);

struct Delivery {
  std::string id;
  std::string order_id;
  std::string restaurant_id;
  std::string customer_id;
  std::optional<std::string> courier_id;
  DeliveryStatus status = DeliveryStatus::kPending;
  core::GeoPoint pickup;
  core::GeoPoint dropoff;
  std::string dropoff_address;
  std::string proof_code;  // six digits the customer gives the courier
  std::optional<std::string> failure_reason;
  core::Timestamp created_at;
  core::Timestamp updated_at;
  std::optional<core::Timestamp> assigned_at;
  std::optional<core::Timestamp> picked_up_at;
  std::optional<core::Timestamp> finished_at;
};

// The wire form. The proof code is included only when `with_proof_code`, which is for
// the customer, an admin and the orders service, never for the courier.
nlohmann::json delivery_json(const Delivery& delivery, bool with_proof_code);

// Channels of a delivery's events: order:{order}, restaurant:{restaurant} and, once
// assigned, courier:{courier}.
std::vector<std::string> delivery_channels(const Delivery& delivery);

// A new random six-digit proof-of-delivery code.
std::string new_proof_code();

}  // namespace surplus::offers
