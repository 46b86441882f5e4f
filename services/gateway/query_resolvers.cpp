// Resolvers of the Query type: each starts its service call at once and returns a
// deferred value, so independent root fields wait for their services concurrently.
#include <surplus/http/url.hpp>

#include "connection.hpp"
#include "convert.hpp"
#include "resolvers.hpp"

namespace surplus::gateway {
namespace {

using graphql::FieldResult;
using graphql::ResolveInfo;

std::string number_text(const Json& value) {
  return value.dump();
}

// `path?query&first=..&after=..` for a connection field.
std::string page_target(const std::string& path, http::QueryParams params,
                        const PageRequest& page) {
  std::string query = http::build_query(params);
  return path + "?" + query + (query.empty() ? "" : "&") + page.query();
}

FieldResult me(RequestContext& context, const Json&, const Json&, const ResolveInfo&) {
  if (!context.caller().authorization) {
    return Json();
  }
  return when_done(context.start({Service::kOrders, "GET", "/users/me"}));
}

void add_offer_filter(http::QueryParams& params, const Json& filter) {
  if (!filter.is_object()) {
    return;
  }
  if (filter.contains("category") && filter["category"].is_string()) {
    params.emplace("category", filter["category"].get<std::string>());
  }
  if (filter.contains("dietaryTags") && filter["dietaryTags"].is_array()) {
    std::string tags;
    for (const auto& tag : filter["dietaryTags"]) {
      tags += (tags.empty() ? "" : ",") + tag.get<std::string>();
    }
    if (!tags.empty()) {
      params.emplace("dietaryTags", tags);
    }
  }
  if (filter.contains("maxPrice") && filter["maxPrice"].is_object()) {
    params.emplace("maxPrice", number_text(filter["maxPrice"]["amount"]));
    params.emplace("currency", filter["maxPrice"]["currency"].get<std::string>());
  }
  for (const char* name : {"pickupFrom", "pickupTo"}) {
    if (filter.contains(name) && filter[name].is_string()) {
      params.emplace(name, filter[name].get<std::string>());
    }
  }
  if (filter.value("inStock", false)) {
    params.emplace("inStock", "true");
  }
}

FieldResult offers(RequestContext& context, const Json&, const Json& arguments,
                   const ResolveInfo&) {
  const PageRequest page = page_request(arguments);
  http::QueryParams params;
  params.emplace("latitude", number_text(arguments["near"]["latitude"]));
  params.emplace("longitude", number_text(arguments["near"]["longitude"]));
  if (arguments.contains("radiusKm") && !arguments["radiusKm"].is_null()) {
    params.emplace("radiusKm", number_text(arguments["radiusKm"]));
  }
  if (arguments.contains("sort") && arguments["sort"].is_string()) {
    params.emplace("sort", enum_to_camel(arguments["sort"].get<std::string>()));
  }
  add_offer_filter(params, arguments.value("filter", Json()));
  auto call = context.start({Service::kOffers, "GET", page_target("/offers", params, page)});
  return when_done(std::move(call),
                   [page](Json result) { return make_connection(std::move(result), page); });
}

FieldResult offer(RequestContext& context, const Json&, const Json& arguments, const ResolveInfo&) {
  const std::string id = string_argument(arguments, "id");
  return or_null_when_missing(context.start({Service::kOffers, "GET", "/offers/" + segment(id)}));
}

FieldResult restaurants(RequestContext& context, const Json&, const Json& arguments,
                        const ResolveInfo&) {
  const PageRequest page = page_request(arguments);
  http::QueryParams params;
  if (arguments.contains("near") && arguments["near"].is_object()) {
    params.emplace("latitude", number_text(arguments["near"]["latitude"]));
    params.emplace("longitude", number_text(arguments["near"]["longitude"]));
    if (arguments.contains("radiusKm") && !arguments["radiusKm"].is_null()) {
      params.emplace("radiusKm", number_text(arguments["radiusKm"]));
    }
  }
  if (arguments.contains("category") && arguments["category"].is_string()) {
    params.emplace("category", enum_to_lower(arguments["category"].get<std::string>()));
  }
  auto call = context.start({Service::kOrders, "GET", page_target("/restaurants", params, page)});
  return when_done(std::move(call), [page](Json result) {
    return make_connection(std::move(result), page, restaurant_node);
  });
}

FieldResult restaurant(RequestContext& context, const Json&, const Json& arguments,
                       const ResolveInfo&) {
  const std::string id = string_argument(arguments, "id");
  return or_null_when_missing(
      context.start({Service::kOrders, "GET", "/restaurants/" + segment(id)}), restaurant_node);
}

FieldResult product(RequestContext& context, const Json&, const Json& arguments,
                    const ResolveInfo&) {
  const std::string id = string_argument(arguments, "id");
  return or_null_when_missing(context.start({Service::kOrders, "GET", "/products/" + segment(id)}));
}

FieldResult orders(RequestContext& context, const Json&, const Json& arguments,
                   const ResolveInfo&) {
  const PageRequest page = page_request(arguments);
  http::QueryParams params;
  if (arguments.contains("status") && arguments["status"].is_string()) {
    params.emplace("status", arguments["status"].get<std::string>());
  }
  if (arguments.contains("restaurantId") && arguments["restaurantId"].is_string()) {
    params.emplace("restaurantId", arguments["restaurantId"].get<std::string>());
  }
  auto call = context.start({Service::kOrders, "GET", page_target("/orders", params, page)});
  return when_done(std::move(call), [page](Json result) {
    return make_connection(std::move(result), page, order_node);
  });
}

FieldResult order(RequestContext& context, const Json&, const Json& arguments, const ResolveInfo&) {
  const std::string id = string_argument(arguments, "id");
  return or_null_when_missing(context.start({Service::kOrders, "GET", "/orders/" + segment(id)}),
                              order_node);
}

FieldResult couriers(RequestContext& context, const Json&, const Json& arguments,
                     const ResolveInfo&) {
  const PageRequest page = page_request(arguments);
  http::QueryParams params;
  if (arguments.contains("status") && arguments["status"].is_string()) {
    params.emplace("status", arguments["status"].get<std::string>());
  }
  auto call = context.start({Service::kOffers, "GET", page_target("/couriers", params, page)});
  return when_done(std::move(call),
                   [page](Json result) { return make_connection(std::move(result), page); });
}

FieldResult courier(RequestContext& context, const Json&, const Json& arguments,
                    const ResolveInfo&) {
  const std::string id = string_argument(arguments, "id");
  return or_null_when_missing(context.start({Service::kOffers, "GET", "/couriers/" + segment(id)}));
}

FieldResult deliveries(RequestContext& context, const Json&, const Json& arguments,
                       const ResolveInfo&) {
  const PageRequest page = page_request(arguments);
  http::QueryParams params;
  if (arguments.contains("status") && arguments["status"].is_string()) {
    params.emplace("status", arguments["status"].get<std::string>());
  }
  if (arguments.contains("courierId") && arguments["courierId"].is_string()) {
    params.emplace("courierId", arguments["courierId"].get<std::string>());
  }
  auto call = context.start({Service::kOffers, "GET", page_target("/deliveries", params, page)});
  return when_done(std::move(call),
                   [page](Json result) { return make_connection(std::move(result), page); });
}

FieldResult delivery(RequestContext& context, const Json&, const Json& arguments,
                     const ResolveInfo&) {
  const std::string id = string_argument(arguments, "id");
  return or_null_when_missing(
      context.start({Service::kOffers, "GET", "/deliveries/" + segment(id)}));
}

FieldResult route(RequestContext& context, const Json&, const Json& arguments, const ResolveInfo&) {
  const std::string id = string_argument(arguments, "courierId");
  return or_null_when_missing(
      context.start({Service::kOffers, "GET", "/couriers/" + segment(id) + "/route"}));
}

}  // namespace

void install_query_resolvers(graphql::Schema& schema) {
  schema.set_resolver("Query", "me", guarded(me));
  schema.set_resolver("Query", "offers", guarded(offers));
  schema.set_resolver("Query", "offer", guarded(offer));
  schema.set_resolver("Query", "restaurants", guarded(restaurants));
  schema.set_resolver("Query", "restaurant", guarded(restaurant));
  schema.set_resolver("Query", "product", guarded(product));
  schema.set_resolver("Query", "orders", guarded(orders));
  schema.set_resolver("Query", "order", guarded(order));
  schema.set_resolver("Query", "couriers", guarded(couriers));
  schema.set_resolver("Query", "courier", guarded(courier));
  schema.set_resolver("Query", "deliveries", guarded(deliveries));
  schema.set_resolver("Query", "delivery", guarded(delivery));
  schema.set_resolver("Query", "route", guarded(route));
}

}  // namespace surplus::gateway
