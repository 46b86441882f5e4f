#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/db/database.hpp>

#include "actor.hpp"
#include "couriers.hpp"
#include "delivery.hpp"
#include "route_planner.hpp"

// Courier profiles, status, location and route. A courier acts on its own profile; an
// admin (or another service) on any. Throws UNAUTHENTICATED for an anonymous actor,
// FORBIDDEN for someone else's profile, NOT_FOUND for an unknown courier.
namespace surplus::offers {

struct CourierRegistration {
  std::optional<std::string> courier_id;  // admins register a COURIER user by id
  std::string name;
  Vehicle vehicle = Vehicle::kBike;
};

// Registers the calling COURIER user (or, for an admin, registration.courier_id) as a
// courier, OFFLINE until it sets another status. Registering again updates name and vehicle.
// Returns the courier and whether it was new.
std::pair<Courier, bool> register_courier(db::Database& database, const Actor& actor,
                                          const CourierRegistration& registration,
                                          core::Timestamp now);

// The courier, for itself, an admin, and the customer or store staff of a delivery that it
// has assigned or picked up. Throws UNAUTHENTICATED, FORBIDDEN or NOT_FOUND.
Courier get_courier(db::Database& database, const Actor& actor, const std::string& courier_id);

Courier update_courier_settings(db::Database& database, const Actor& actor,
                                const std::string& courier_id, std::optional<CourierStatus> status,
                                std::optional<Vehicle> vehicle, core::Timestamp now);

// Records where the courier is and writes courier.location. Only the courier itself.
Courier report_location(db::Database& database, const Actor& actor, const std::string& courier_id,
                        core::GeoPoint location, core::Timestamp now);

struct CourierRoute {
  Courier courier;
  core::GeoPoint start;
  bool started_from_courier = true;  // false: the courier has not reported a location yet
  std::vector<Delivery> deliveries;  // the open deliveries, indexed by the plan's stops
  RoutePlan plan;
};

// Plans the route through the courier's open deliveries from its last location (or, before
// the first report, from the first open delivery's next stop), departing `now`.
CourierRoute courier_route(db::Database& database, const Actor& actor,
                           const std::string& courier_id, core::Timestamp now,
                           std::chrono::seconds dwell);

nlohmann::json courier_route_json(const CourierRoute& route, core::Timestamp now);

}  // namespace surplus::offers
