// Endpoints for the other Surplus services, authenticated with the service secret in
// X-Service-Secret and never with user tokens:
//   PUT     /internal/reservations/{reservationId}   {offerId, customerId, quantity}
//   GET     /internal/reservations/{reservationId}
//   DELETE  /internal/reservations/{reservationId}   release, idempotent
//   PUT     /internal/restaurants/{restaurantId}     {name, latitude, longitude, updatedAt}
//   POST    /internal/deliveries                     as POST /deliveries
//   GET     /internal/orders/{orderId}/delivery
//   POST    /internal/deliveries/{deliveryId}/status as POST /deliveries/{id}/status
#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>

#include "deliveries_store.hpp"
#include "delivery_handlers.hpp"
#include "handler_support.hpp"
#include "json_fields.hpp"
#include "offer_input.hpp"
#include "read_only.hpp"
#include "reservations.hpp"
#include "routes.hpp"

namespace surplus::offers {
namespace {

// The orders service accepts restaurant names of up to 120 characters, which take up to
// 480 bytes in UTF-8. A smaller limit here rejected the copy of a valid name, and the
// orders service retried it without end.
constexpr std::size_t kMaxNameBytes = 480;

// The reservation id of the path; callers choose it (the order id), so a malformed one is
// a bad request rather than an unknown resource.
std::string reservation_id(const http::Request& request) {
  const std::string& id = request.path_param("reservationId");
  if (!core::is_uuid(id)) {
    throw core::Error::validation("reservationId", "expected a UUID, such as the order id");
  }
  return id;
}

nlohmann::json reserve_json(const ReserveOutcome& outcome) {
  nlohmann::json json = reservation_json(outcome.reservation);
  json["offer"] = offer_json(outcome.offer);
  return json;
}

http::Response reserve_units(OffersApp& app, http::Request& request) {
  service_actor(app, request);
  std::string id = reservation_id(request);
  FieldReader fields(request.json(), {"offerId", "customerId", "quantity"});
  auto offer_id = fields.uuid("offerId", true);
  auto customer_id = fields.uuid("customerId", true);
  auto quantity = fields.integer("quantity", true, 1, kMaxQuantity);
  fields.finish();
  auto outcome = reserve(app.database, {id, *offer_id, *customer_id, *quantity}, core::now());
  return http::Response::json(reserve_json(outcome), outcome.created ? 201 : 200);
}

http::Response get_reservation(OffersApp& app, http::Request& request) {
  service_actor(app, request);
  std::string id = reservation_id(request);
  auto reservation = app.database.transaction(
      [&](db::Session& session) { return find_reservation(session, id); }, read_only());
  if (!reservation) {
    throw core::Error::not_found("reservation " + id);
  }
  return http::Response::json(reservation_json(*reservation));
}

http::Response release_units(OffersApp& app, http::Request& request) {
  service_actor(app, request);
  auto outcome = release(app.database, reservation_id(request), core::now());
  nlohmann::json json = reservation_json(outcome.reservation);
  json["quantityReleased"] = outcome.quantity_released;
  json["releasedNow"] = outcome.released_now;
  return http::Response::json(json);
}

http::Response put_restaurant(OffersApp& app, http::Request& request) {
  service_actor(app, request);
  std::string restaurant_id = path_id(request, "restaurantId", "restaurant");
  FieldReader fields(request.json(), {"name", "latitude", "longitude", "updatedAt"});
  auto name = fields.text("name", true, kMaxNameBytes);
  auto latitude = fields.number("latitude", true, -90, 90);
  auto longitude = fields.number("longitude", true, -180, 180);
  // The orders service's updatedAt of the restaurant. A copy older than the stored one is
  // acknowledged but not applied.
  auto source_updated_at = fields.timestamp("updatedAt", false);
  fields.finish();
  RestaurantLocation restaurant{
      restaurant_id, *name, {*latitude, *longitude}, core::now(), source_updated_at};
  return http::Response::json(restaurant_location_json(app.directory.store(restaurant)));
}

http::Response create_delivery_for_order(OffersApp& app, http::Request& request) {
  return create_delivery_response(app, service_actor(app, request), request);
}

http::Response delivery_of_order(OffersApp& app, http::Request& request) {
  service_actor(app, request);
  std::string order_id = path_id(request, "orderId", "order");
  auto delivery = app.database.transaction(
      [&](db::Session& session) { return find_delivery_by_order(session, order_id); }, read_only());
  if (!delivery) {
    throw core::Error::not_found("delivery of order " + order_id);
  }
  return http::Response::json(delivery_json(*delivery, true));
}

http::Response change_status_for_service(OffersApp& app, http::Request& request) {
  return change_status_response(app, service_actor(app, request), request);
}

}  // namespace

std::vector<Route> internal_routes() {
  return {
      {"PUT", "/internal/reservations/{reservationId}", reserve_units},
      {"GET", "/internal/reservations/{reservationId}", get_reservation},
      {"DELETE", "/internal/reservations/{reservationId}", release_units},
      {"PUT", "/internal/restaurants/{restaurantId}", put_restaurant},
      {"POST", "/internal/deliveries", create_delivery_for_order},
      {"GET", "/internal/orders/{orderId}/delivery", delivery_of_order},
      {"POST", "/internal/deliveries/{deliveryId}/status", change_status_for_service},
  };
}

}  // namespace surplus::offers
