#include "courier_operations.hpp"

#include <map>

#include <surplus/core/error.hpp>
#include <surplus/core/geo.hpp>

#include "deliveries_store.hpp"
#include "read_only.hpp"

namespace surplus::offers {
namespace {

void require_self_or_admin(const Actor& actor, const std::string& courier_id) {
  if (actor.identity.is_anonymous() && !actor.service) {
    throw core::Error::unauthenticated();
  }
  if (!actor.is_admin() &&
      !(actor.identity.role == auth::Role::kCourier && actor.is_user(courier_id))) {
    throw core::Error::forbidden("only courier " + courier_id + " or an admin may do this");
  }
}

// Whether `actor` is the customer, or staff of the restaurant, of a delivery that the courier
// has assigned or picked up. They need its name, vehicle and position until the delivery ends.
bool awaits_delivery_from(db::Session& session, const Actor& actor, const std::string& courier_id) {
  for (const Delivery& delivery : open_deliveries(session, courier_id)) {
    if (actor.is_user(delivery.customer_id) ||
        (actor.identity.role == auth::Role::kStore &&
         actor.identity.is_staff_of(delivery.restaurant_id))) {
      return true;
    }
  }
  return false;
}

Courier require_courier(std::optional<Courier> courier, const std::string& courier_id) {
  if (!courier) {
    throw core::Error::not_found("courier " + courier_id);
  }
  return *courier;
}

nlohmann::json point_json(core::GeoPoint point) {
  return {{"latitude", point.latitude}, {"longitude", point.longitude}};
}

}  // namespace

std::pair<Courier, bool> register_courier(db::Database& database, const Actor& actor,
                                          const CourierRegistration& registration,
                                          core::Timestamp now) {
  if (actor.identity.is_anonymous() && !actor.service) {
    throw core::Error::unauthenticated();
  }
  std::string courier_id;
  if (actor.is_admin()) {
    if (!registration.courier_id) {
      throw core::Error::validation("courierId", "is required when an admin registers a courier");
    }
    courier_id = *registration.courier_id;
  } else if (actor.identity.role == auth::Role::kCourier) {
    if (registration.courier_id && *registration.courier_id != actor.identity.user_id) {
      throw core::Error::forbidden("a courier may only register itself");
    }
    courier_id = actor.identity.user_id;
  } else {
    throw core::Error::forbidden("only COURIER users (or an admin) may register couriers");
  }
  Courier courier{courier_id,
                  registration.name,
                  registration.vehicle,
                  CourierStatus::kOffline,
                  std::nullopt,
                  std::nullopt,
                  now,
                  now};
  return database.transaction(
      [&](db::Session& session) { return upsert_courier(session, courier); });
}

Courier get_own_courier(db::Database& database, const Actor& actor, const std::string& courier_id) {
  require_self_or_admin(actor, courier_id);
  return require_courier(
      database.transaction([&](db::Session& session) { return find_courier(session, courier_id); },
                           read_only()),
      courier_id);
}

Courier get_courier(db::Database& database, const Actor& actor, const std::string& courier_id) {
  if (actor.identity.is_anonymous() && !actor.service) {
    throw core::Error::unauthenticated();
  }
  const bool self_or_admin = actor.is_admin() || (actor.identity.role == auth::Role::kCourier &&
                                                  actor.is_user(courier_id));
  auto courier = database.transaction(
      [&](db::Session& session) {
        if (!self_or_admin && !awaits_delivery_from(session, actor, courier_id)) {
          throw core::Error::forbidden(
              "only courier " + courier_id +
              ", an admin, or the customer or store of a delivery it is carrying may read it");
        }
        return find_courier(session, courier_id);
      },
      read_only());
  return require_courier(std::move(courier), courier_id);
}

Courier update_courier_settings(db::Database& database, const Actor& actor,
                                const std::string& courier_id, std::optional<CourierStatus> status,
                                std::optional<Vehicle> vehicle, core::Timestamp now) {
  require_self_or_admin(actor, courier_id);
  return require_courier(database.transaction([&](db::Session& session) {
    return update_courier(session, courier_id, status, vehicle, now);
  }),
                         courier_id);
}

Courier report_location(db::Database& database, const Actor& actor, const std::string& courier_id,
                        core::GeoPoint location, core::Timestamp now) {
  if (actor.identity.is_anonymous() && !actor.service) {
    throw core::Error::unauthenticated();
  }
  if (!(actor.identity.role == auth::Role::kCourier && actor.is_user(courier_id))) {
    throw core::Error::forbidden("only courier " + courier_id + " may report its location");
  }
  return require_courier(database.transaction([&](db::Session& session) {
    return record_courier_location(session, courier_id, location, now);
  }),
                         courier_id);
}

CourierRoute courier_route(db::Database& database, const Actor& actor,
                           const std::string& courier_id, core::Timestamp now,
                           std::chrono::seconds dwell) {
  require_self_or_admin(actor, courier_id);
  CourierRoute route;
  database.transaction(
      [&](db::Session& session) {
        route.courier = require_courier(find_courier(session, courier_id), courier_id);
        route.deliveries = open_deliveries(session, courier_id);
      },
      read_only());

  std::vector<RouteDelivery> stops;
  for (const auto& delivery : route.deliveries) {
    stops.push_back({delivery.id, delivery.pickup, delivery.dropoff,
                     delivery.status == DeliveryStatus::kPickedUp});
  }
  if (route.courier.location) {
    route.start = *route.courier.location;
  } else if (!route.deliveries.empty()) {
    const auto& first = route.deliveries.front();
    route.start = first.status == DeliveryStatus::kPickedUp ? first.dropoff : first.pickup;
    route.started_from_courier = false;
  } else {
    route.started_from_courier = false;
  }
  route.plan = plan_route(route.start, stops, {route.courier.vehicle, now, dwell});
  return route;
}

nlohmann::json courier_route_json(const CourierRoute& route, core::Timestamp now) {
  std::map<std::string, const Delivery*> by_id;
  for (const auto& delivery : route.deliveries) {
    by_id[delivery.id] = &delivery;
  }
  nlohmann::json stops = nlohmann::json::array();
  for (const auto& stop : route.plan.stops) {
    const Delivery* delivery = by_id.at(stop.delivery_id);
    stops.push_back({{"deliveryId", stop.delivery_id},
                     {"orderId", delivery->order_id},
                     {"kind", stop.kind == StopKind::kPickup ? "PICKUP" : "DROPOFF"},
                     {"location", point_json(stop.location)},
                     {"legKm", core::round_to_metres(stop.leg_km)},
                     {"cumulativeKm", core::round_to_metres(stop.cumulative_km)},
                     {"eta", core::format_rfc3339(stop.eta)}});
  }
  return {
      {"courierId", route.courier.id},
      {"vehicle", vehicle_name(route.courier.vehicle)},
      {"start", route.deliveries.empty() && !route.started_from_courier ? nlohmann::json()
                                                                        : point_json(route.start)},
      {"startedFromCourierLocation", route.started_from_courier},
      {"computedAt", core::format_rfc3339(now)},
      {"totalKm", core::round_to_metres(route.plan.total_km)},
      {"finishAt", core::format_rfc3339(route.plan.finish)},
      {"stops", std::move(stops)}};
}

}  // namespace surplus::offers
