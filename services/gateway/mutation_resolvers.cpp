// Resolvers of the Mutation type. Each waits for its service before returning, because
// mutation fields run one after another in document order (GraphQL specification,
// section 6.2.2).
#include "convert.hpp"
#include "resolvers.hpp"

namespace surplus::gateway {
namespace {

using graphql::FieldResult;
using graphql::ResolveInfo;

Json geo_fields(const Json& point) {
  return {{"latitude", point["latitude"]}, {"longitude", point["longitude"]}};
}

FieldResult register_user(RequestContext& context, const Json&, const Json& arguments,
                          const ResolveInfo&) {
  Json body = without_nulls(arguments["input"]);
  ServiceCall call(Service::kOrders, "POST", "/auth/register", body);
  call.forward_client_ip = true;
  return context.call(call);
}

FieldResult login(RequestContext& context, const Json&, const Json& arguments, const ResolveInfo&) {
  Json body = {{"email", arguments["email"]}, {"password", arguments["password"]}};
  ServiceCall call(Service::kOrders, "POST", "/auth/login", body);
  call.forward_client_ip = true;
  return context.call(call);
}

FieldResult refresh_token(RequestContext& context, const Json&, const Json& arguments,
                          const ResolveInfo&) {
  Json body = {{"refreshToken", arguments["refreshToken"]}};
  ServiceCall call(Service::kOrders, "POST", "/auth/refresh", body);
  call.forward_client_ip = true;
  return context.call(call);
}

FieldResult logout(RequestContext& context, const Json&, const Json& arguments,
                   const ResolveInfo&) {
  Json body = {{"refreshToken", arguments["refreshToken"]}};
  context.call({Service::kOrders, "POST", "/auth/logout", body});
  return Json(true);
}

// The orders service's restaurant fields for an input of the schema.
Json restaurant_body(const Json& input) {
  Json body = without_nulls(input);
  body.erase("location");
  if (input.contains("location") && input["location"].is_object()) {
    body.update(geo_fields(input["location"]));
  }
  if (body.contains("category")) {
    body["category"] = enum_to_lower(body["category"].get<std::string>());
  }
  return body;
}

FieldResult create_restaurant(RequestContext& context, const Json&, const Json& arguments,
                              const ResolveInfo&) {
  Json body = restaurant_body(arguments["input"]);
  return restaurant_node(context.call({Service::kOrders, "POST", "/restaurants", body}));
}

FieldResult update_restaurant(RequestContext& context, const Json&, const Json& arguments,
                              const ResolveInfo&) {
  Json body = restaurant_body(arguments["input"]);
  const std::string path = "/restaurants/" + segment(string_argument(arguments, "id"));
  return restaurant_node(context.call({Service::kOrders, "PATCH", path, body}));
}

FieldResult create_product(RequestContext& context, const Json&, const Json& arguments,
                           const ResolveInfo&) {
  Json body = without_nulls(arguments["input"]);
  const std::string path =
      "/restaurants/" + segment(string_argument(arguments, "restaurantId")) + "/products";
  return context.call({Service::kOrders, "POST", path, body});
}

FieldResult set_inventory(RequestContext& context, const Json&, const Json& arguments,
                          const ResolveInfo&) {
  const Json& input = arguments["input"];
  Json body = without_nulls(input);
  body.erase("restaurantId");
  body.erase("productId");
  const std::string path = "/restaurants/" + segment(input["restaurantId"].get<std::string>()) +
                           "/inventory/" + segment(input["productId"].get<std::string>());
  return context.call({Service::kOffers, "PUT", path, body});
}

FieldResult publish_offer(RequestContext& context, const Json&, const Json& arguments,
                          const ResolveInfo&) {
  const Json& input = arguments["input"];
  Json body = without_nulls(input);
  body.erase("restaurantId");
  body.erase("draft");
  body.erase("idempotencyKey");
  body["publish"] = !input.value("draft", false);
  const std::string path =
      "/restaurants/" + segment(input["restaurantId"].get<std::string>()) + "/offers";
  ServiceCall call{Service::kOffers, "POST", path, body};
  if (input.contains("idempotencyKey") && !input["idempotencyKey"].is_null()) {
    call.idempotency_key = idempotency_key(input["idempotencyKey"]);
  }
  return context.call(call);
}

FieldResult publish_draft_offer(RequestContext& context, const Json&, const Json& arguments,
                                const ResolveInfo&) {
  const std::string path = "/offers/" + segment(string_argument(arguments, "id")) + "/publish";
  return context.call({Service::kOffers, "POST", path});
}

FieldResult update_offer(RequestContext& context, const Json&, const Json& arguments,
                         const ResolveInfo&) {
  const std::string path = "/offers/" + segment(string_argument(arguments, "id"));
  return context.call({Service::kOffers, "PATCH", path, without_nulls(arguments["input"])});
}

FieldResult cancel_offer(RequestContext& context, const Json&, const Json& arguments,
                         const ResolveInfo&) {
  const std::string path = "/offers/" + segment(string_argument(arguments, "id")) + "/cancel";
  return context.call({Service::kOffers, "POST", path});
}

FieldResult place_order(RequestContext& context, const Json&, const Json& arguments,
                        const ResolveInfo&) {
  const Json& input = arguments["input"];
  Json body = {{"offerId", input["offerId"]},
               {"quantity", input["quantity"]},
               {"fulfilment", input.value("fulfilment", std::string("PICKUP"))}};
  if (input.contains("deliveryAddress") && input["deliveryAddress"].is_object()) {
    const Json& address = input["deliveryAddress"];
    body["deliveryAddress"] = geo_fields(address["location"]);
    body["deliveryAddress"]["address"] = address["address"];
  }
  ServiceCall call{Service::kOrders, "POST", "/orders", body};
  call.idempotency_key = idempotency_key(input["idempotencyKey"]);
  return order_node(context.call(call));
}

FieldResult cancel_order(RequestContext& context, const Json&, const Json& arguments,
                         const ResolveInfo&) {
  const std::string path = "/orders/" + segment(string_argument(arguments, "id")) + "/cancel";
  Json body = Json::object();
  if (!string_argument(arguments, "reason").empty()) {
    body["reason"] = arguments["reason"];
  }
  return order_node(context.call({Service::kOrders, "POST", path, body}));
}

FieldResult confirm_pickup(RequestContext& context, const Json&, const Json& arguments,
                           const ResolveInfo&) {
  const std::string path = "/orders/" + segment(string_argument(arguments, "orderId")) + "/collect";
  Json body = {{"pickupCode", arguments["pickupCode"]}};
  return order_node(context.call({Service::kOrders, "POST", path, body}));
}

FieldResult rate_order(RequestContext& context, const Json&, const Json& arguments,
                       const ResolveInfo&) {
  const Json& input = arguments["input"];
  const std::string path = "/orders/" + segment(input["orderId"].get<std::string>()) + "/rating";
  Json body = without_nulls(input);
  body.erase("orderId");
  return context.call({Service::kOrders, "POST", path, body});
}

FieldResult add_favorite(RequestContext& context, const Json&, const Json& arguments,
                         const ResolveInfo&) {
  const std::string id = segment(string_argument(arguments, "restaurantId"));
  context.call({Service::kOrders, "PUT", "/users/me/favourites/" + id});
  return restaurant_node(context.call({Service::kOrders, "GET", "/restaurants/" + id}));
}

FieldResult remove_favorite(RequestContext& context, const Json&, const Json& arguments,
                            const ResolveInfo&) {
  const std::string id = segment(string_argument(arguments, "restaurantId"));
  context.call({Service::kOrders, "DELETE", "/users/me/favourites/" + id});
  return Json(true);
}

FieldResult register_courier(RequestContext& context, const Json&, const Json& arguments,
                             const ResolveInfo&) {
  return context.call({Service::kOffers, "POST", "/couriers", without_nulls(arguments["input"])});
}

FieldResult update_courier_status(RequestContext& context, const Json&, const Json& arguments,
                                  const ResolveInfo&) {
  const Json& input = arguments["input"];
  Json body = without_nulls(input);
  body.erase("courierId");
  const std::string path = "/couriers/" + segment(input["courierId"].get<std::string>());
  return context.call({Service::kOffers, "PATCH", path, body});
}

FieldResult update_courier_location(RequestContext& context, const Json&, const Json& arguments,
                                    const ResolveInfo&) {
  const std::string path =
      "/couriers/" + segment(string_argument(arguments, "courierId")) + "/location";
  return context.call({Service::kOffers, "PUT", path, geo_fields(arguments["location"])});
}

FieldResult assign_delivery(RequestContext& context, const Json&, const Json& arguments,
                            const ResolveInfo&) {
  const std::string path =
      "/deliveries/" + segment(string_argument(arguments, "deliveryId")) + "/assign";
  Json body = Json::object();
  if (!string_argument(arguments, "courierId").empty()) {
    body["courierId"] = arguments["courierId"];
  }
  return context.call({Service::kOffers, "POST", path, body});
}

FieldResult update_delivery_status(RequestContext& context, const Json&, const Json& arguments,
                                   const ResolveInfo&) {
  const Json& input = arguments["input"];
  Json body = without_nulls(input);
  body.erase("deliveryId");
  const std::string path =
      "/deliveries/" + segment(input["deliveryId"].get<std::string>()) + "/status";
  return context.call({Service::kOffers, "POST", path, body});
}

}  // namespace

void install_mutation_resolvers(graphql::Schema& schema) {
  schema.set_resolver("Mutation", "register", guarded(register_user));
  schema.set_resolver("Mutation", "login", guarded(login));
  schema.set_resolver("Mutation", "refreshToken", guarded(refresh_token));
  schema.set_resolver("Mutation", "logout", guarded(logout));
  schema.set_resolver("Mutation", "createRestaurant", guarded(create_restaurant));
  schema.set_resolver("Mutation", "updateRestaurant", guarded(update_restaurant));
  schema.set_resolver("Mutation", "createProduct", guarded(create_product));
  schema.set_resolver("Mutation", "setInventory", guarded(set_inventory));
  schema.set_resolver("Mutation", "publishOffer", guarded(publish_offer));
  schema.set_resolver("Mutation", "publishDraftOffer", guarded(publish_draft_offer));
  schema.set_resolver("Mutation", "updateOffer", guarded(update_offer));
  schema.set_resolver("Mutation", "cancelOffer", guarded(cancel_offer));
  schema.set_resolver("Mutation", "placeOrder", guarded(place_order));
  schema.set_resolver("Mutation", "cancelOrder", guarded(cancel_order));
  schema.set_resolver("Mutation", "confirmPickup", guarded(confirm_pickup));
  schema.set_resolver("Mutation", "rateOrder", guarded(rate_order));
  schema.set_resolver("Mutation", "addFavorite", guarded(add_favorite));
  schema.set_resolver("Mutation", "removeFavorite", guarded(remove_favorite));
  schema.set_resolver("Mutation", "registerCourier", guarded(register_courier));
  schema.set_resolver("Mutation", "updateCourierStatus", guarded(update_courier_status));
  schema.set_resolver("Mutation", "updateCourierLocation", guarded(update_courier_location));
  schema.set_resolver("Mutation", "assignDelivery", guarded(assign_delivery));
  schema.set_resolver("Mutation", "updateDeliveryStatus", guarded(update_delivery_status));
}

}  // namespace surplus::gateway
