#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <surplus/db/database.hpp>

#include "actor.hpp"
#include "delivery.hpp"
#include "restaurant_directory.hpp"

// The delivery life cycle. Each operation checks who may do it, runs in one transaction
// and writes delivery.assigned or delivery.status_changed to the outbox in it.
namespace surplus::offers {

struct DeliverySettings {
  // Automatic assignment ignores couriers whose last location is older than this, because
  // "nearest" means nothing for a courier who stopped reporting.
  std::chrono::seconds courier_location_max_age{15 * 60};
};

struct DeliveryRequest {
  std::string order_id;
  std::string restaurant_id;
  std::string customer_id;
  std::optional<core::GeoPoint> pickup;  // the restaurant's location when absent
  core::GeoPoint dropoff;
  std::string dropoff_address;
  bool assign_nearest = true;  // assign the nearest AVAILABLE courier when there is one
};

struct CreateDeliveryOutcome {
  Delivery delivery;
  bool created = false;  // false when the order already had its delivery
};

// Creates the order's delivery, or returns the existing one unchanged (idempotent by
// order id). Only an admin or another service may. When requested and a fresh AVAILABLE
// courier exists, the nearest one to the pickup is assigned in the same transaction.
CreateDeliveryOutcome create_delivery(db::Database& database, RestaurantDirectory& directory,
                                      const Actor& actor, const DeliveryRequest& request,
                                      const DeliverySettings& settings, core::Timestamp now);

// Assigns `courier_id`, or the AVAILABLE courier nearest to the pickup when absent, to a
// PENDING or ASSIGNED delivery. Only an admin or another service may. Throws NOT_FOUND
// for an unknown delivery or courier, CONFLICT for an OFFLINE courier, no courier to pick,
// or a delivery past ASSIGNED.
Delivery assign_delivery(db::Database& database, const Actor& actor, const std::string& delivery_id,
                         const std::optional<std::string>& courier_id,
                         const DeliverySettings& settings, core::Timestamp now);

// Moves a delivery forward. PICKED_UP, DELIVERED and FAILED are for its courier or an
// admin; CANCELLED is for an admin or another service. DELIVERED by the courier needs the
// customer's proof code (FORBIDDEN when it does not match); FAILED needs a reason.
// Throws CONFLICT for a move is_allowed_transition does not allow.
Delivery change_delivery_status(db::Database& database, const Actor& actor,
                                const std::string& delivery_id, DeliveryStatus to,
                                const std::optional<std::string>& reason,
                                const std::optional<std::string>& proof_code, core::Timestamp now);

struct VisibleDelivery {
  Delivery delivery;
  bool with_proof_code = false;
};

// A delivery for its courier, customer, restaurant staff, an admin or a service;
// NOT_FOUND for anyone else. The proof code is for the customer, admins and services.
VisibleDelivery get_delivery(db::Database& database, const Actor& actor,
                             const std::string& delivery_id);

}  // namespace surplus::offers
