// A customer's favourite restaurants:
//   GET    /users/me/favourites                   CUSTOMER
//   PUT    /users/me/favourites/{restaurantId}    CUSTOMER; idempotent
//   DELETE /users/me/favourites/{restaurantId}    CUSTOMER; idempotent
#include <surplus/http/response.hpp>

#include "favourites_store.hpp"
#include "handler_support.hpp"
#include "pagination.hpp"
#include "routes.hpp"

namespace surplus::orders {
namespace {

auth::Identity customer(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auth::require_role(identity, {auth::Role::kCustomer});
  return identity;
}

http::Response list_favourites_handler(OrdersApp& app, http::Request& request) {
  auto identity = customer(app, request);
  auto page = read_page_request(request);
  std::optional<std::pair<std::int64_t, std::string>> after;
  if (page.after) {
    auto at = page.after->find("at");
    auto id = page.after->find("id");
    if (at == page.after->end() || !at->is_number_integer() || id == page.after->end() ||
        !id->is_string()) {
      throw core::Error::validation("after", "is not a cursor of the favourites list");
    }
    after = std::pair{at->get<std::int64_t>(), id->get<std::string>()};
  }
  auto favourites = app.database.transaction(
      [&](db::Session& session) {
        return list_favourites(session, identity.user_id, after, page.first + 1);
      },
      kReadOnly);
  bool more = favourites.size() > page.first;
  if (more) {
    favourites.resize(page.first);
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& favourite : favourites) {
    auto json = restaurant_json(favourite.restaurant);
    json["favouritedAt"] = core::format_rfc3339(favourite.added_at);
    items.push_back(std::move(json));
  }
  std::optional<nlohmann::json> next;
  if (more) {
    next = nlohmann::json{{"at", core::to_unix_micros(favourites.back().added_at)},
                          {"id", favourites.back().restaurant.id}};
  }
  return http::Response::json(page_json(std::move(items), next));
}

http::Response add_favourite_handler(OrdersApp& app, http::Request& request) {
  auto identity = customer(app, request);
  auto restaurant_id = path_id(request, "restaurantId", "restaurant");
  app.database.transaction([&](db::Session& session) {
    if (!find_restaurant(session, restaurant_id)) {
      throw core::Error::not_found("restaurant " + restaurant_id);
    }
    add_favourite(session, identity.user_id, restaurant_id, core::now());
  });
  return http::Response::no_content();
}

http::Response remove_favourite_handler(OrdersApp& app, http::Request& request) {
  auto identity = customer(app, request);
  auto restaurant_id = path_id(request, "restaurantId", "restaurant");
  app.database.transaction(
      [&](db::Session& session) { remove_favourite(session, identity.user_id, restaurant_id); });
  return http::Response::no_content();
}

}  // namespace

void add_favourite_routes(http::Router& router, std::shared_ptr<OrdersApp> app) {
  router.get("/users/me/favourites",
             [app](http::Request& r) { return list_favourites_handler(*app, r); });
  router.put("/users/me/favourites/{restaurantId}",
             [app](http::Request& r) { return add_favourite_handler(*app, r); });
  router.del("/users/me/favourites/{restaurantId}",
             [app](http::Request& r) { return remove_favourite_handler(*app, r); });
}

}  // namespace surplus::orders
