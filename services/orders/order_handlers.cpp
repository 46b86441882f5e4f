// Orders:
//   POST /orders                  CUSTOMER; header Idempotency-Key; {offerId, quantity,
//                                 fulfilment, deliveryAddress?}; 201 new, 200 replay,
//                                 202 while PENDING
//   GET  /orders                  the caller's orders; ?restaurantId= for its staff and
//                                 admins; admins without it see every order; ?status=
//   GET  /orders/{id}             its customer, restaurant staff, courier, admin
//   POST /orders/{id}/cancel      {reason?}; customer until cancelUntil, staff with reason
//   POST /orders/{id}/collect     {pickupCode}; the restaurant's staff
//   POST /orders/{id}/rating      {stars, comment?}; the customer, once, after collection
//                                 or delivery
#include <cmath>

#include <spdlog/spdlog.h>

#include <surplus/core/id.hpp>
#include <surplus/core/idempotency_key.hpp>
#include <surplus/http/response.hpp>

#include "handler_support.hpp"
#include "order_flow.hpp"
#include "orders_store.hpp"
#include "pagination.hpp"
#include "query_params.hpp"
#include "routes.hpp"
#include "validation.hpp"

namespace surplus::orders {
namespace {

constexpr std::int64_t kMaxQuantity = 100;
constexpr TextRule kAddressRule{.max_length = 300};
constexpr TextRule kReasonRule{.max_length = 500, .multiline = true};
constexpr TextRule kCommentRule{.min_length = 0, .max_length = 2000, .multiline = true};

std::string idempotency_key(const http::Request& request) {
  auto key = request.header("Idempotency-Key");
  if (!key || key->empty()) {
    throw core::Error::validation("Idempotency-Key",
                                  "the header is required; send a new random value per order");
  }
  if (!core::is_idempotency_key(*key)) {
    throw core::Error::validation("Idempotency-Key",
                                  "must be 1-200 printable ASCII characters without spaces");
  }
  return std::string(*key);
}

std::optional<DeliveryAddress> read_delivery_address(FieldReader& fields,
                                                     const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("deliveryAddress") || body["deliveryAddress"].is_null()) {
    return std::nullopt;
  }
  const auto& value = body["deliveryAddress"];
  if (!value.is_object()) {
    fields.problem("deliveryAddress", "must be {\"address\", \"latitude\", \"longitude\"}");
    return std::nullopt;
  }
  FieldReader address(value, {"address", "latitude", "longitude"});
  DeliveryAddress result;
  result.address = address.text("address", kAddressRule);
  result.location.latitude = address.number("latitude", -90, 90);
  result.location.longitude = address.number("longitude", -180, 180);
  try {
    address.finish();
  } catch (const core::Error& error) {
    for (const auto& problem : error.fields()) {
      fields.problem("deliveryAddress." + problem.value("field", ""), problem.value("message", ""));
    }
    return std::nullopt;
  }
  return result;
}

PlaceOrderInput read_place_order(const nlohmann::json& body) {
  FieldReader fields(body, {"offerId", "quantity", "fulfilment", "deliveryAddress"});
  PlaceOrderInput input;
  input.offer_id = ascii_lower(fields.text("offerId", {.max_length = 36}));
  if (fields.has("offerId") && !core::is_uuid(input.offer_id)) {
    fields.problem("offerId", "must be the UUID of an offer");
  }
  double quantity = fields.number("quantity", 1, kMaxQuantity);
  if (quantity != std::floor(quantity)) {
    fields.problem("quantity",
                   "must be a whole number from 1 to 100, got " + body.at("quantity").dump());
  }
  input.quantity = static_cast<std::int64_t>(quantity);
  auto fulfilment = fields.one_of("fulfilment", {"PICKUP", "DELIVERY"});
  input.fulfilment = parse_fulfilment(fulfilment).value_or(Fulfilment::kPickup);
  input.delivery_address = read_delivery_address(fields, body);
  if (fulfilment == "DELIVERY" && !input.delivery_address && !fields.has("deliveryAddress")) {
    fields.problem("deliveryAddress", "is required for DELIVERY orders");
  }
  if (fulfilment == "PICKUP" && input.delivery_address) {
    fields.problem("deliveryAddress", "must be absent for PICKUP orders");
  }
  fields.finish();
  return input;
}

int place_status(const PlaceOrderResult& result) {
  if (result.order.status == OrderStatus::kPending) {
    return 202;
  }
  return result.created ? 201 : 200;
}

http::Response place_order_handler(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auth::require_role(identity, {auth::Role::kCustomer});
  auto key = idempotency_key(request);
  auto input = read_place_order(request.json());
  auto result = place_order(app, identity.user_id, key, input);
  auto response = http::Response::json(order_json(result.order, true), place_status(result));
  response.headers.set("Location", "/orders/" + result.order.id);
  return response;
}

http::Response get_order_handler(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auto id = path_id(request, "id", "order");
  auto [order, viewer] = app.database.transaction(
      [&](db::Session& session) {
        auto found = find_order(session, id);
        if (!found) {
          throw core::Error::not_found("order " + id);
        }
        return std::pair{*found, require_viewer(session, identity, *found)};
      },
      kReadOnly);
  return http::Response::json(order_json(order, viewer == OrderViewer::kCustomer));
}

OrderFilter list_filter(db::Session& session, const auth::Identity& identity,
                        const std::optional<std::string>& restaurant_id) {
  OrderFilter filter;
  if (restaurant_id) {
    require_restaurant_manager(session, identity, *restaurant_id);
    filter.restaurant_id = restaurant_id;
  } else if (!identity.is_admin()) {
    filter.customer_id = identity.user_id;
  }
  return filter;
}

http::Response list_orders_handler(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auto page = read_page_request(request);
  std::optional<std::string> restaurant_id;
  if (auto value = request.query_param("restaurantId")) {
    require_uuid("restaurantId", *value);
    restaurant_id = ascii_lower(*value);
  }
  auto status_name = query_one_of(request, "status", order_status_names());
  std::optional<std::string> before;
  if (page.after) {
    auto id = page.after->find("id");
    if (id == page.after->end() || !id->is_string() || !core::is_uuid(id->get<std::string>())) {
      throw core::Error::validation("after", "is not a cursor of this order list");
    }
    before = id->get<std::string>();
  }
  auto orders = app.database.transaction(
      [&](db::Session& session) {
        auto filter = list_filter(session, identity, restaurant_id);
        if (status_name) {
          filter.status = parse_order_status(*status_name);
        }
        return list_orders(session, filter, before, page.first + 1);
      },
      kReadOnly);
  std::optional<nlohmann::json> next;
  if (orders.size() > page.first) {
    orders.resize(page.first);
    next = nlohmann::json{{"id", orders.back().id}};
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& order : orders) {
    items.push_back(order_json(order, order.customer_id == identity.user_id));
  }
  return http::Response::json(page_json(std::move(items), next));
}

http::Response cancel_order_handler(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auto id = path_id(request, "id", "order");
  std::optional<std::string> reason;
  if (!request.body.empty()) {
    FieldReader fields(request.json(), {"reason"});
    reason = fields.optional_text("reason", kReasonRule);
    fields.finish();
  }
  auto order = cancel_order(app, identity, id, reason);
  return http::Response::json(order_json(order, identity.user_id == order.customer_id));
}

http::Response collect_order_handler(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auto id = path_id(request, "id", "order");
  FieldReader fields(request.json(), {"pickupCode"});
  auto code = fields.text("pickupCode", {.max_length = 16});
  fields.finish();
  return http::Response::json(order_json(collect_order(app, identity, id, code), false));
}

nlohmann::json rating_json(const Rating& rating) {
  return {{"orderId", rating.order_id},
          {"restaurantId", rating.restaurant_id},
          {"stars", rating.stars},
          {"comment", rating.comment ? nlohmann::json(*rating.comment) : nlohmann::json()},
          {"createdAt", core::format_rfc3339(rating.created_at)}};
}

http::Response rate_order_handler(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auto id = path_id(request, "id", "order");
  FieldReader fields(request.json(), {"stars", "comment"});
  double stars = fields.number("stars", 1, 5);
  if (stars != std::floor(stars)) {
    fields.problem("stars", "must be a whole number from 1 to 5");
  }
  auto comment = fields.optional_text("comment", kCommentRule);
  fields.finish();

  auto rating = app.database.transaction([&](db::Session& session) {
    auto order = find_order(session, id);
    if (!order) {
      throw core::Error::not_found("order " + id);
    }
    if (require_viewer(session, identity, *order) != OrderViewer::kCustomer) {
      throw core::Error::forbidden("only the order's customer may rate it");
    }
    if (order->status != OrderStatus::kCollected && order->status != OrderStatus::kDelivered) {
      throw core::Error::conflict("order " + id + " is " +
                                  std::string(order_status_name(order->status)) +
                                  "; only COLLECTED or DELIVERED orders can be rated");
    }
    Rating stored{
        id, *order->restaurant_id, identity.user_id, static_cast<int>(stars), comment, core::now()};
    if (!insert_rating(session, stored)) {
      throw core::Error::conflict("order " + id + " has already been rated");
    }
    return stored;
  });
  spdlog::info("order {} rated {} stars", id, rating.stars);
  return http::Response::json(rating_json(rating), 201);
}

}  // namespace

void add_order_routes(http::Router& router, std::shared_ptr<OrdersApp> app) {
  router.post("/orders", [app](http::Request& r) { return place_order_handler(*app, r); });
  router.get("/orders", [app](http::Request& r) { return list_orders_handler(*app, r); });
  router.get("/orders/{id}", [app](http::Request& r) { return get_order_handler(*app, r); });
  router.post("/orders/{id}/cancel",
              [app](http::Request& r) { return cancel_order_handler(*app, r); });
  router.post("/orders/{id}/collect",
              [app](http::Request& r) { return collect_order_handler(*app, r); });
  router.post("/orders/{id}/rating",
              [app](http::Request& r) { return rate_order_handler(*app, r); });
}

}  // namespace surplus::orders
