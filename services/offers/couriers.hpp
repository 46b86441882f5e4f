#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/geo.hpp>
#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>

#include "vehicle.hpp"

// Couriers: COURIER users of the orders service who deliver; the courier id is the user id.
namespace surplus::offers {

// OFFLINE: not working. AVAILABLE: may be given deliveries, and is the only status that
// automatic assignment picks. BUSY: working, keeps its deliveries, gets no new ones
// automatically. The courier (or an admin) sets it.
enum class CourierStatus { kOffline, kAvailable, kBusy };

std::string_view courier_status_name(CourierStatus status);  // "OFFLINE", ...
std::optional<CourierStatus> parse_courier_status(std::string_view name);

struct Courier {
  std::string id;
  std::string name;
  Vehicle vehicle = Vehicle::kBike;
  CourierStatus status = CourierStatus::kOffline;
  std::optional<core::GeoPoint> location;  // last reported
  std::optional<core::Timestamp> location_at;
  core::Timestamp created_at;
  core::Timestamp updated_at;
};

nlohmann::json courier_json(const Courier& courier);

// Every function below runs inside the caller's transaction.

// Inserts the courier, or updates name and vehicle when it exists. Returns the stored
// courier and whether it was new.
std::pair<Courier, bool> upsert_courier(db::Session& session, const Courier& courier);

std::optional<Courier> find_courier(db::Session& session, std::string_view id);

// Sets the status and/or vehicle; returns the updated courier, or nullopt when unknown.
std::optional<Courier> update_courier(db::Session& session, std::string_view id,
                                      std::optional<CourierStatus> status,
                                      std::optional<Vehicle> vehicle, core::Timestamp now);

// Records the courier's location and writes courier.location to the channels courier:{id}
// and order:{order} of each of its open deliveries. Returns nullopt when unknown.
std::optional<Courier> record_courier_location(db::Session& session, std::string_view id,
                                               core::GeoPoint location, core::Timestamp now);

// Couriers ordered by id after `after_id`; `status` filters when given.
std::vector<Courier> list_couriers(db::Session& session, std::optional<CourierStatus> status,
                                   const std::optional<std::string>& after_id, std::size_t limit);

// The AVAILABLE courier nearest to `point` whose location was reported at or after
// `fresh_since`, with its distance in km; nullopt when there is none.
std::optional<std::pair<Courier, double>> nearest_available_courier(db::Session& session,
                                                                    core::GeoPoint point,
                                                                    core::Timestamp fresh_since);

}  // namespace surplus::offers
