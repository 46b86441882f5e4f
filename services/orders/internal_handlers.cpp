// Endpoints for the other services, authenticated with the shared service secret
// (X-Service-Secret), never with user tokens:
//   GET /internal/restaurants?ids=a,b   restaurants with their staff user ids
//   GET /internal/products?ids=a,b      products, inactive ones included
//   GET /internal/users?ids=a,b         public user fields
//   GET /internal/orders/{id}/audience  who hears of the order: {orderId, customerId,
//                                       restaurantId, courierId}; the ids are null while
//                                       unknown (restaurantId of an order rejected before
//                                       the offers service described the offer)
// Unknown ids are left out of "items"; callers compare against what they asked for.
#include <map>

#include <surplus/http/response.hpp>

#include "handler_support.hpp"
#include "orders_store.hpp"
#include "products_store.hpp"
#include "query_params.hpp"
#include "restaurants_store.hpp"
#include "routes.hpp"
#include "users_store.hpp"

namespace surplus::orders {
namespace {

constexpr std::size_t kMaxBatch = 100;

http::Response internal_restaurants(OrdersApp& app, http::Request& request) {
  app.service_secret.require(request);
  auto ids = query_id_list(request, "ids", kMaxBatch);
  std::vector<Restaurant> restaurants;
  std::map<std::string, std::vector<std::string>> staff;
  app.database.transaction(
      [&](db::Session& session) {
        staff.clear();
        for (auto& [restaurant_id, user_id] : staff_pairs(session, ids)) {
          staff[restaurant_id].push_back(user_id);
        }
        restaurants = find_restaurants(session, ids);
      },
      kReadOnly);

  // {"items": [restaurant_json with staffUserIds, ...]}, written directly because the
  // gateway requests the restaurants of every page of offers.
  core::JsonWriter writer;
  writer.begin_object();
  writer.key("items");
  writer.begin_array();
  for (const auto& restaurant : restaurants) {
    write_restaurant_json(writer, restaurant, &staff[restaurant.id]);
  }
  writer.end_array();
  writer.end_object();
  return http::Response::text(writer.take(), 200, "application/json");
}

http::Response internal_products(OrdersApp& app, http::Request& request) {
  app.service_secret.require(request);
  auto ids = query_id_list(request, "ids", kMaxBatch);
  auto products = app.database.transaction(
      [&](db::Session& session) { return find_products(session, ids); }, kReadOnly);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& product : products) {
    items.push_back(product_json(product));
  }
  return http::Response::json({{"items", std::move(items)}});
}

http::Response internal_users(OrdersApp& app, http::Request& request) {
  app.service_secret.require(request);
  auto ids = query_id_list(request, "ids", kMaxBatch);
  auto users = app.database.transaction(
      [&](db::Session& session) { return find_users_by_ids(session, ids); }, kReadOnly);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& user : users) {
    items.push_back(user_json(user));
  }
  return http::Response::json({{"items", std::move(items)}});
}

http::Response order_audience(OrdersApp& app, http::Request& request) {
  app.service_secret.require(request);
  auto id = path_id(request, "id", "order");
  auto order = app.database.transaction(
      [&](db::Session& session) { return find_order(session, id); }, kReadOnly);
  if (!order) {
    throw core::Error::not_found("order " + id);
  }
  auto nullable = [](const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json();
  };
  return http::Response::json({{"orderId", order->id},
                               {"customerId", order->customer_id},
                               {"restaurantId", nullable(order->restaurant_id)},
                               {"courierId", nullable(order->courier_id)}});
}

}  // namespace

void add_internal_routes(http::Router& router, std::shared_ptr<OrdersApp> app) {
  router.get("/internal/restaurants",
             [app](http::Request& r) { return internal_restaurants(*app, r); });
  router.get("/internal/products", [app](http::Request& r) { return internal_products(*app, r); });
  router.get("/internal/users", [app](http::Request& r) { return internal_users(*app, r); });
  router.get("/internal/orders/{id}/audience",
             [app](http::Request& r) { return order_audience(*app, r); });
}

}  // namespace surplus::orders
