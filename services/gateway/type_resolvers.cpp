// Resolvers of nested fields. Lookups by id go through the request's loaders, so a page of
// items makes one call per kind of entity. Lists under an item (a restaurant's offers) call
// their service once per item, because the services have no batch endpoint for them.
#include <surplus/http/url.hpp>

#include "connection.hpp"
#include "convert.hpp"
#include "resolvers.hpp"

namespace surplus::gateway {
namespace {

using graphql::FieldResult;
using graphql::ResolveInfo;

std::string member(const Json& parent, const std::string& name) {
  const auto found = parent.find(name);
  return found == parent.end() || !found->is_string() ? std::string() : found->get<std::string>();
}

GatewayResolver load_by(Loader& (RequestContext::*loader)(), std::string id_member) {
  return [loader, id_member = std::move(id_member)](RequestContext& context, const Json& parent,
                                                    const Json&, const ResolveInfo&) {
    return RequestContext::load((context.*loader)(), member(parent, id_member));
  };
}

std::string page_target(const std::string& path, const http::QueryParams& params,
                        const PageRequest& page) {
  std::string query = http::build_query(params);
  return path + "?" + query + (query.empty() ? "" : "&") + page.query();
}

FieldResult user_restaurants(RequestContext& context, const Json& parent, const Json&,
                             const ResolveInfo&) {
  std::vector<std::string> ids;
  if (parent.contains("restaurants") && parent["restaurants"].is_array()) {
    for (const auto& id : parent["restaurants"]) {
      if (id.is_string()) {
        ids.push_back(id.get<std::string>());
      }
    }
  }
  return RequestContext::load_many(context.restaurants(), ids);
}

FieldResult user_favorites(RequestContext& context, const Json&, const Json& arguments,
                           const ResolveInfo&) {
  const PageRequest page = page_request(arguments);
  auto call =
      context.start({Service::kOrders, "GET", page_target("/users/me/favourites", {}, page)});
  return when_done(std::move(call), [page](Json result) {
    return make_connection(std::move(result), page, restaurant_node);
  });
}

FieldResult restaurant_offers(RequestContext& context, const Json& parent, const Json& arguments,
                              const ResolveInfo&) {
  const PageRequest page = page_request(arguments);
  http::QueryParams params;
  if (arguments.contains("status") && arguments["status"].is_array()) {
    std::string statuses;
    for (const auto& status : arguments["status"]) {
      statuses += (statuses.empty() ? "" : ",") + status.get<std::string>();
    }
    if (!statuses.empty()) {
      params.emplace("status", statuses);
    }
  }
  const std::string path = "/restaurants/" + segment(member(parent, "id")) + "/offers";
  auto call = context.start({Service::kOffers, "GET", page_target(path, params, page)});
  return when_done(std::move(call),
                   [page](Json result) { return make_connection(std::move(result), page); });
}

FieldResult restaurant_products(RequestContext& context, const Json& parent, const Json& arguments,
                                const ResolveInfo&) {
  const PageRequest page = page_request(arguments);
  http::QueryParams params;
  if (arguments.value("includeInactive", false)) {
    params.emplace("includeInactive", "true");
  }
  const std::string path = "/restaurants/" + segment(member(parent, "id")) + "/products";
  auto call = context.start({Service::kOrders, "GET", page_target(path, params, page)});
  return when_done(std::move(call),
                   [page](Json result) { return make_connection(std::move(result), page); });
}

FieldResult restaurant_inventory(RequestContext& context, const Json& parent, const Json& arguments,
                                 const ResolveInfo&) {
  const PageRequest page = page_request(arguments);
  http::QueryParams params;
  if (arguments.contains("sort") && arguments["sort"].is_string()) {
    params.emplace("sort", enum_to_camel(arguments["sort"].get<std::string>()));
  }
  const std::string path = "/restaurants/" + segment(member(parent, "id")) + "/inventory";
  auto call = context.start({Service::kOffers, "GET", page_target(path, params, page)});
  return when_done(std::move(call),
                   [page](Json result) { return make_connection(std::move(result), page); });
}

FieldResult courier_deliveries(RequestContext& context, const Json& parent, const Json& arguments,
                               const ResolveInfo&) {
  const PageRequest page = page_request(arguments);
  http::QueryParams params;
  if (arguments.contains("status") && arguments["status"].is_string()) {
    params.emplace("status", arguments["status"].get<std::string>());
  }
  const std::string path = "/couriers/" + segment(member(parent, "id")) + "/deliveries";
  auto call = context.start({Service::kOffers, "GET", page_target(path, params, page)});
  return when_done(std::move(call),
                   [page](Json result) { return make_connection(std::move(result), page); });
}

FieldResult courier_route(RequestContext& context, const Json& parent, const Json&,
                          const ResolveInfo&) {
  const std::string path = "/couriers/" + segment(member(parent, "id")) + "/route";
  return when_done(context.start({Service::kOffers, "GET", path}));
}

// The order's delivery, read with the caller's token so the offers service decides
// whether the caller may see it (and its proof code).
FieldResult order_delivery(RequestContext& context, const Json& parent, const Json&,
                           const ResolveInfo&) {
  if (parent.contains("delivery") && parent["delivery"].is_object()) {
    return parent["delivery"];
  }
  std::string delivery_id = member(parent, "deliveryId");
  if (delivery_id.empty()) {
    return Json();
  }
  auto call = context.start({Service::kOffers, "GET", "/deliveries/" + segment(delivery_id)});
  return or_null_when_missing(std::move(call));
}

}  // namespace

void install_type_resolvers(graphql::Schema& schema) {
  schema.set_resolver("Offer", "restaurant",
                      guarded(load_by(&RequestContext::restaurants, "restaurantId")));
  schema.set_resolver("Offer", "product", guarded(load_by(&RequestContext::products, "productId")));
  schema.set_resolver("Product", "restaurant",
                      guarded(load_by(&RequestContext::restaurants, "restaurantId")));
  schema.set_resolver("InventoryItem", "product",
                      guarded(load_by(&RequestContext::products, "productId")));
  schema.set_resolver("User", "restaurants", guarded(user_restaurants));
  schema.set_resolver("User", "favorites", guarded(user_favorites));
  schema.set_resolver("Restaurant", "offers", guarded(restaurant_offers));
  schema.set_resolver("Restaurant", "products", guarded(restaurant_products));
  schema.set_resolver("Restaurant", "inventory", guarded(restaurant_inventory));
  schema.set_resolver("Courier", "deliveries", guarded(courier_deliveries));
  schema.set_resolver("Courier", "route", guarded(courier_route));
  schema.set_resolver("Delivery", "order", guarded(load_by(&RequestContext::orders, "orderId")));
  schema.set_resolver("Delivery", "restaurant",
                      guarded(load_by(&RequestContext::restaurants, "restaurantId")));
  schema.set_resolver("Delivery", "courier",
                      guarded(load_by(&RequestContext::couriers, "courierId")));
  schema.set_resolver("Order", "restaurant",
                      guarded(load_by(&RequestContext::restaurants, "restaurantId")));
  schema.set_resolver("Order", "delivery", guarded(order_delivery));
  schema.set_resolver("OrderLine", "offer", guarded(load_by(&RequestContext::offers, "offerId")));
}

}  // namespace surplus::gateway
