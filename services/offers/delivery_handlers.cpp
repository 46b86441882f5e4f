// Deliveries over HTTP:
//   POST  /deliveries                         admin (the orders service uses the internal route)
//   GET   /deliveries                         admin; ?status=&courierId=
//   GET   /deliveries/{deliveryId}            its courier, customer, restaurant staff, admin
//   POST  /deliveries/{deliveryId}/assign     admin: {courierId} or {} for the nearest
//   POST  /deliveries/{deliveryId}/status     its courier or admin; admin or service to cancel:
//                                             {status, reason, proofCode}
#include "delivery_handlers.hpp"

#include <surplus/core/error.hpp>

#include "deliveries_store.hpp"
#include "delivery_operations.hpp"
#include "handler_support.hpp"
#include "json_fields.hpp"
#include "pagination.hpp"
#include "read_only.hpp"
#include "routes.hpp"

namespace surplus::offers {
namespace {

constexpr std::size_t kMaxAddressBytes = 300;
constexpr std::size_t kMaxReasonBytes = 500;

http::Response list(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  if (actor.identity.is_anonymous()) {
    throw core::Error::unauthenticated();
  }
  if (!actor.is_admin()) {
    throw core::Error::forbidden("only an admin may list all deliveries");
  }

  std::optional<DeliveryStatus> status;
  if (auto name = query_text(request, "status")) {
    status = parse_delivery_status(*name);
    if (!status) {
      throw core::Error::validation(
          "status", "expected PENDING, ASSIGNED, PICKED_UP, DELIVERED, FAILED or CANCELLED");
    }
  }
  std::optional<std::string> courier_id = query_text(request, "courierId");

  auto page = read_page_request(request);
  std::optional<std::string> after;
  if (page.after) {
    if (!page.after->contains("id") || !(*page.after)["id"].is_string()) {
      throw core::Error::validation("after", "is not a cursor of this list; start without it");
    }
    after = (*page.after)["id"].get<std::string>();
  }
  auto found = app.database.transaction(
      [&](db::Session& session) {
        return list_deliveries(session, courier_id, status, after, page.first + 1);
      },
      read_only());

  std::optional<nlohmann::json> next;
  if (found.size() > page.first) {
    found.resize(page.first);
    next = nlohmann::json{{"id", found.back().id}};
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& delivery : found) {
    items.push_back(delivery_json(delivery, true));
  }
  return http::Response::json(page_json(std::move(items), next));
}

http::Response create_as_user(OffersApp& app, http::Request& request) {
  return create_delivery_response(app, user_actor(app, request), request);
}

http::Response get_one(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  auto visible = get_delivery(app.database, actor, path_id(request, "deliveryId", "delivery"));
  return http::Response::json(delivery_json(visible.delivery, visible.with_proof_code));
}

http::Response assign(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  std::string delivery_id = path_id(request, "deliveryId", "delivery");
  std::optional<std::string> courier_id;
  if (!request.body.empty()) {
    FieldReader fields(request.json(), {"courierId"});
    courier_id = fields.uuid("courierId", false);
    fields.finish();
  }
  Delivery delivery = assign_delivery(app.database, actor, delivery_id, courier_id,
                                      app.config.delivery, core::now());
  return http::Response::json(delivery_json(delivery, true));
}

http::Response change_status_as_user(OffersApp& app, http::Request& request) {
  return change_status_response(app, user_actor(app, request), request);
}

}  // namespace

http::Response create_delivery_response(OffersApp& app, const Actor& actor,
                                        http::Request& request) {
  FieldReader fields(request.json(), {"orderId", "restaurantId", "customerId", "pickup", "dropoff",
                                      "dropoffAddress", "assignNearest"});
  DeliveryRequest delivery_request;
  auto order_id = fields.uuid("orderId", true);
  auto restaurant_id = fields.uuid("restaurantId", true);
  auto customer_id = fields.uuid("customerId", true);
  delivery_request.pickup = fields.point("pickup", false);
  auto dropoff = fields.point("dropoff", true);
  auto address = fields.text("dropoffAddress", true, kMaxAddressBytes);
  delivery_request.assign_nearest = fields.boolean("assignNearest").value_or(true);
  fields.finish();
  delivery_request.order_id = *order_id;
  delivery_request.restaurant_id = *restaurant_id;
  delivery_request.customer_id = *customer_id;
  delivery_request.dropoff = *dropoff;
  delivery_request.dropoff_address = *address;
  auto outcome = create_delivery(app.database, app.directory, actor, delivery_request,
                                 app.config.delivery, core::now());
  return http::Response::json(delivery_json(outcome.delivery, true), outcome.created ? 201 : 200);
}

http::Response change_status_response(OffersApp& app, const Actor& actor, http::Request& request) {
  std::string delivery_id = path_id(request, "deliveryId", "delivery");
  FieldReader fields(request.json(), {"status", "reason", "proofCode"});
  auto status_name =
      fields.one_of("status", true, {"PICKED_UP", "DELIVERED", "FAILED", "CANCELLED"});
  auto reason = fields.text("reason", false, kMaxReasonBytes);
  auto proof_code = fields.text("proofCode", false, 6);
  fields.finish();
  auto status = parse_delivery_status(*status_name);
  Delivery delivery = change_delivery_status(app.database, actor, delivery_id, *status, reason,
                                             proof_code, core::now());
  return http::Response::json(delivery_json(delivery, actor.is_admin()));
}

std::vector<Route> delivery_routes() {
  return {
      {"POST", "/deliveries", create_as_user},
      {"GET", "/deliveries", list},
      {"GET", "/deliveries/{deliveryId}", get_one},
      {"POST", "/deliveries/{deliveryId}/assign", assign},
      {"POST", "/deliveries/{deliveryId}/status", change_status_as_user},
  };
}

}  // namespace surplus::offers
