// Couriers over HTTP:
//   POST   /couriers                          COURIER user (itself), admin (any, by courierId)
//   GET    /couriers                          admin; ?status=
//   GET    /couriers/{courierId}              the courier, admin, and the customer and store
//                                             of a delivery it is carrying
//   PATCH  /couriers/{courierId}              the courier, admin: {status, vehicle}
//   PUT    /couriers/{courierId}/location     the courier: {latitude, longitude}
//   GET    /couriers/{courierId}/route        the courier, admin
//   GET    /couriers/{courierId}/deliveries   the courier, admin; ?status=
#include <surplus/core/error.hpp>

#include "courier_operations.hpp"
#include "deliveries_store.hpp"
#include "handler_support.hpp"
#include "json_fields.hpp"
#include "pagination.hpp"
#include "read_only.hpp"
#include "routes.hpp"

namespace surplus::offers {
namespace {

constexpr std::size_t kMaxNameBytes = 100;

std::optional<std::string> after_id(const PageRequest& page) {
  if (!page.after) {
    return std::nullopt;
  }
  if (!page.after->contains("id") || !(*page.after)["id"].is_string()) {
    throw core::Error::validation("after", "is not a cursor of this list; start without it");
  }
  return (*page.after)["id"].get<std::string>();
}

std::optional<Vehicle> read_vehicle(FieldReader& fields, bool required) {
  auto name = fields.one_of("vehicle", required, {"BIKE", "SCOOTER", "CAR", "ON_FOOT"});
  return name ? parse_vehicle(*name) : std::nullopt;
}

http::Response register_one(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  FieldReader fields(request.json(), {"courierId", "name", "vehicle"});
  CourierRegistration registration;
  registration.courier_id = fields.uuid("courierId", false);
  auto name = fields.text("name", true, kMaxNameBytes);
  auto vehicle = read_vehicle(fields, true);
  fields.finish();
  registration.name = *name;
  registration.vehicle = *vehicle;
  auto [courier, is_new] = register_courier(app.database, actor, registration, core::now());
  return http::Response::json(courier_json(courier), is_new ? 201 : 200);
}

http::Response list(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  if (actor.identity.is_anonymous()) {
    throw core::Error::unauthenticated();
  }
  if (!actor.is_admin()) {
    throw core::Error::forbidden("only an admin may list couriers");
  }

  std::optional<CourierStatus> status;
  if (auto name = query_text(request, "status")) {
    status = parse_courier_status(*name);
    if (!status) {
      throw core::Error::validation("status", "expected OFFLINE, AVAILABLE or BUSY");
    }
  }

  auto page = read_page_request(request);
  auto couriers = app.database.transaction(
      [&](db::Session& session) {
        return list_couriers(session, status, after_id(page), page.first + 1);
      },
      read_only());

  std::optional<nlohmann::json> next;
  if (couriers.size() > page.first) {
    couriers.resize(page.first);
    next = nlohmann::json{{"id", couriers.back().id}};
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& courier : couriers) {
    items.push_back(courier_json(courier));
  }
  return http::Response::json(page_json(std::move(items), next));
}

http::Response get_one(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  return http::Response::json(
      courier_json(get_courier(app.database, actor, path_id(request, "courierId", "courier"))));
}

http::Response update(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  std::string courier_id = path_id(request, "courierId", "courier");
  FieldReader fields(request.json(), {"status", "vehicle"});
  auto status_name = fields.one_of("status", false, {"OFFLINE", "AVAILABLE", "BUSY"});
  auto vehicle = read_vehicle(fields, false);
  if (!status_name && !vehicle && fields.ok()) {
    fields.fail("status", "give status, vehicle or both");
  }
  fields.finish();
  std::optional<CourierStatus> status;
  if (status_name) {
    status = parse_courier_status(*status_name);
  }
  return http::Response::json(courier_json(
      update_courier_settings(app.database, actor, courier_id, status, vehicle, core::now())));
}

http::Response location(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  std::string courier_id = path_id(request, "courierId", "courier");
  FieldReader fields(request.json(), {"latitude", "longitude"});
  auto latitude = fields.number("latitude", true, -90, 90);
  auto longitude = fields.number("longitude", true, -180, 180);
  fields.finish();
  core::GeoPoint point{*latitude, *longitude};
  return http::Response::json(
      courier_json(report_location(app.database, actor, courier_id, point, core::now())));
}

http::Response route(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  auto now = core::now();
  auto planned = courier_route(app.database, actor, path_id(request, "courierId", "courier"), now,
                               app.config.route_stop_dwell);
  return http::Response::json(courier_route_json(planned, now));
}

http::Response deliveries(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  std::string courier_id = path_id(request, "courierId", "courier");
  get_courier(app.database, actor, courier_id);  // checks who may see it

  std::optional<DeliveryStatus> status;
  if (auto name = query_text(request, "status")) {
    status = parse_delivery_status(*name);
    if (!status) {
      throw core::Error::validation(
          "status", "expected PENDING, ASSIGNED, PICKED_UP, DELIVERED, FAILED or CANCELLED");
    }
  }

  auto page = read_page_request(request);
  auto found = app.database.transaction(
      [&](db::Session& session) {
        return list_deliveries(session, courier_id, status, after_id(page), page.first + 1);
      },
      read_only());

  std::optional<nlohmann::json> next;
  if (found.size() > page.first) {
    found.resize(page.first);
    next = nlohmann::json{{"id", found.back().id}};
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& delivery : found) {
    items.push_back(delivery_json(delivery, actor.is_admin()));
  }
  return http::Response::json(page_json(std::move(items), next));
}

}  // namespace

std::vector<Route> courier_routes() {
  return {
      {"POST", "/couriers", register_one},
      {"GET", "/couriers", list},
      {"GET", "/couriers/{courierId}", get_one},
      {"PATCH", "/couriers/{courierId}", update},
      {"PUT", "/couriers/{courierId}/location", location},
      {"GET", "/couriers/{courierId}/route", route},
      {"GET", "/couriers/{courierId}/deliveries", deliveries},
  };
}

}  // namespace surplus::offers
