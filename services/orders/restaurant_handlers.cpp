// Restaurants and their staff:
//   POST   /restaurants                        STORE (becomes staff) or ADMIN
//   GET    /restaurants                        anyone; ?latitude&longitude&radiusKm for nearby
//   GET    /restaurants/{id}                   anyone
//   PATCH  /restaurants/{id}                   its staff or ADMIN
//   GET    /restaurants/{id}/staff             its staff or ADMIN
//   POST   /restaurants/{id}/staff             its staff or ADMIN; adds a STORE account
//   DELETE /restaurants/{id}/staff/{userId}    its staff or ADMIN
#include <spdlog/spdlog.h>

#include <surplus/core/id.hpp>
#include <surplus/http/response.hpp>

#include "handler_support.hpp"
#include "pagination.hpp"
#include "query_params.hpp"
#include "restaurant_sync.hpp"
#include "routes.hpp"
#include "users_store.hpp"
#include "validation.hpp"

namespace surplus::orders {
namespace {

constexpr double kDefaultRadiusKm = 5;
constexpr double kMaxRadiusKm = 50;

constexpr TextRule kNameRule{.max_length = 120};
constexpr TextRule kDescriptionRule{.min_length = 0, .max_length = 2000, .multiline = true};
constexpr TextRule kAddressRule{.max_length = 300};
constexpr TextRule kPhoneRule{.max_length = 32};
constexpr TextRule kTimeZoneRule{.max_length = 64};

std::optional<std::string> read_phone(FieldReader& fields) {
  auto phone = fields.optional_text("phone", kPhoneRule);
  if (phone && !is_valid_phone(*phone)) {
    fields.problem("phone", "must be 3-32 digits, spaces and + ( ) - /, e.g. +49 30 1234567");
    return std::nullopt;
  }
  return phone;
}

std::optional<std::string> read_time_zone(FieldReader& fields) {
  auto zone = fields.optional_text("timeZone", kTimeZoneRule);
  if (zone && !is_valid_time_zone(*zone)) {
    fields.problem("timeZone", "must be an IANA time zone name such as Europe/Berlin or UTC");
    return std::nullopt;
  }
  return zone;
}

const std::initializer_list<std::string_view> kRestaurantFields = {
    "name", "description", "category", "address", "latitude", "longitude", "phone", "timeZone"};

http::Response create_restaurant(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auth::require_role(identity, {auth::Role::kStore, auth::Role::kAdmin});

  auto body = request.json();
  FieldReader fields(body, kRestaurantFields);
  auto now = core::now();
  Restaurant restaurant;
  restaurant.id = core::new_uuid_v7();
  restaurant.name = fields.text("name", kNameRule);
  restaurant.description = fields.optional_text("description", kDescriptionRule).value_or("");
  restaurant.category = fields.one_of("category", kRestaurantCategories);
  restaurant.address = fields.text("address", kAddressRule);
  restaurant.latitude = fields.number("latitude", -90, 90);
  restaurant.longitude = fields.number("longitude", -180, 180);
  restaurant.phone = read_phone(fields);
  restaurant.time_zone = read_time_zone(fields).value_or("UTC");
  restaurant.created_by = identity.user_id;
  restaurant.created_at = now;
  restaurant.updated_at = now;
  fields.finish();

  app.database.transaction([&](db::Session& session) {
    insert_restaurant(session, restaurant);
    request_restaurant_sync(session, restaurant, now);
    if (identity.role == auth::Role::kStore) {
      add_staff(session, restaurant.id, identity.user_id, identity.user_id, now);
    }
  });
  spdlog::info("restaurant {} created by user {}", restaurant.id, identity.user_id);
  push_restaurant_after_commit(app, restaurant.id);
  return http::Response::json(restaurant_json(restaurant), 201);
}

http::Response update_restaurant_handler(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auto id = path_id(request, "id", "restaurant");
  auto body = request.json();
  FieldReader fields(body, kRestaurantFields);
  auto name = fields.optional_text("name", kNameRule);
  auto description = fields.optional_text("description", kDescriptionRule);
  auto category = fields.optional_one_of("category", kRestaurantCategories);
  auto address = fields.optional_text("address", kAddressRule);
  auto latitude = fields.optional_number("latitude", -90, 90);
  auto longitude = fields.optional_number("longitude", -180, 180);
  auto phone = read_phone(fields);
  bool clear_phone = body.is_object() && body.contains("phone") && body["phone"].is_null();
  auto time_zone = read_time_zone(fields);
  fields.finish();

  bool sync_needed = false;
  auto restaurant = app.database.transaction([&](db::Session& session) {
    Restaurant current = require_restaurant_manager(session, identity, id);
    sync_needed = (name && *name != current.name) || (latitude && *latitude != current.latitude) ||
                  (longitude && *longitude != current.longitude);
    current.name = name.value_or(current.name);
    current.description = description.value_or(current.description);
    current.category = category.value_or(current.category);
    current.address = address.value_or(current.address);
    current.latitude = latitude.value_or(current.latitude);
    current.longitude = longitude.value_or(current.longitude);
    if (phone || clear_phone) {
      current.phone = phone;
    }
    current.time_zone = time_zone.value_or(current.time_zone);
    current.updated_at = core::now();
    update_restaurant(session, current);
    if (sync_needed) {
      request_restaurant_sync(session, current, current.updated_at);
    }
    return current;
  });
  if (sync_needed) {
    spdlog::info("restaurant {} renamed or moved by user {}", id, identity.user_id);
    push_restaurant_after_commit(app, id);
  }
  return http::Response::json(restaurant_json(restaurant));
}

http::Response get_restaurant(OrdersApp& app, http::Request& request) {
  identity_of(app, request);  // an invalid token is reported even on public reads
  auto id = path_id(request, "id", "restaurant");
  auto restaurant = app.database.transaction(
      [&](db::Session& session) { return find_restaurant(session, id); }, kReadOnly);
  if (!restaurant) {
    throw core::Error::not_found("restaurant " + id);
  }
  return http::Response::json(restaurant_json(*restaurant));
}

nlohmann::json nearby_page(OrdersApp& app, const PageRequest& page, core::GeoPoint center,
                           double radius_km, const std::optional<std::string>& category) {
  std::optional<NearbyCursor> after;
  if (page.after) {
    auto distance = page.after->find("d");
    auto id = page.after->find("id");
    if (distance == page.after->end() || !distance->is_number() || id == page.after->end() ||
        !id->is_string()) {
      throw core::Error::validation("after", "is not a cursor of a nearby search");
    }
    after = NearbyCursor{distance->get<double>(), id->get<std::string>()};
  }
  auto nearby = app.database.transaction(
      [&](db::Session& session) {
        return restaurants_near(session, center, radius_km, category, after, page.first + 1);
      },
      kReadOnly);
  bool more = nearby.size() > page.first;
  if (more) {
    nearby.resize(page.first);
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : nearby) {
    items.push_back(restaurant_json(item.restaurant, item.distance_km));
  }
  std::optional<nlohmann::json> next;
  if (more) {
    next = nlohmann::json{{"d", nearby.back().distance_km}, {"id", nearby.back().restaurant.id}};
  }
  return page_json(std::move(items), next);
}

nlohmann::json plain_page(OrdersApp& app, const PageRequest& page,
                          const std::optional<std::string>& category) {
  std::optional<std::string> after_id;
  if (page.after) {
    auto id = page.after->find("id");
    if (id == page.after->end() || !id->is_string() || page.after->contains("d")) {
      throw core::Error::validation("after", "is not a cursor of this restaurant list");
    }
    after_id = id->get<std::string>();
  }
  auto restaurants = app.database.transaction(
      [&](db::Session& session) {
        return list_restaurants(session, category, after_id, page.first + 1);
      },
      kReadOnly);
  bool more = restaurants.size() > page.first;
  if (more) {
    restaurants.resize(page.first);
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& restaurant : restaurants) {
    items.push_back(restaurant_json(restaurant));
  }
  std::optional<nlohmann::json> next;
  if (more) {
    next = nlohmann::json{{"id", restaurants.back().id}};
  }
  return page_json(std::move(items), next);
}

http::Response list_restaurants_handler(OrdersApp& app, http::Request& request) {
  identity_of(app, request);
  auto page = read_page_request(request);
  auto category = query_one_of(request, "category", kRestaurantCategories);
  auto latitude = query_number(request, "latitude", -90, 90);
  auto longitude = query_number(request, "longitude", -180, 180);
  auto radius = query_number(request, "radiusKm", 0, kMaxRadiusKm);
  if (latitude.has_value() != longitude.has_value()) {
    throw core::Error::validation(latitude ? "longitude" : "latitude",
                                  "latitude and longitude must be given together");
  }
  if (radius && !latitude) {
    throw core::Error::validation("radiusKm", "needs latitude and longitude");
  }
  if (latitude) {
    return http::Response::json(nearby_page(app, page, {*latitude, *longitude},
                                            radius.value_or(kDefaultRadiusKm), category));
  }
  return http::Response::json(plain_page(app, page, category));
}

http::Response list_staff_handler(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auto id = path_id(request, "id", "restaurant");
  auto staff = app.database.transaction(
      [&](db::Session& session) {
        require_restaurant_manager(session, identity, id);
        return list_staff(session, id);
      },
      kReadOnly);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& member : staff) {
    items.push_back(staff_json(member));
  }
  return http::Response::json({{"items", std::move(items)}});
}

http::Response add_staff_handler(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auto id = path_id(request, "id", "restaurant");
  FieldReader fields(request.json(), {"email"});
  auto email = fields.text("email", {.max_length = 254});
  fields.finish();

  auto member = app.database.transaction([&](db::Session& session) {
    require_restaurant_manager(session, identity, id);
    auto user = find_user_by_email(session, ascii_lower(email));
    if (!user) {
      throw core::Error::not_found("an account with this e-mail address");
    }
    if (user->role != auth::Role::kStore) {
      throw core::Error::validation("email", "belongs to an account whose role is not STORE");
    }
    auto now = core::now();
    add_staff(session, id, user->id, identity.user_id, now);
    for (auto& staff_member : list_staff(session, id)) {
      if (staff_member.user_id == user->id) {
        return staff_member;
      }
    }
    throw core::Error::internal("staff member vanished after insert");
  });
  spdlog::info("user {} added to the staff of restaurant {} by user {}", member.user_id, id,
               identity.user_id);
  return http::Response::json(staff_json(member));
}

http::Response remove_staff_handler(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auto id = path_id(request, "id", "restaurant");
  auto user_id = path_id(request, "userId", "staff member");
  app.database.transaction([&](db::Session& session) {
    require_restaurant_manager(session, identity, id);
    auto staff = list_staff(session, id);
    bool member = std::any_of(staff.begin(), staff.end(),
                              [&](const auto& s) { return s.user_id == user_id; });
    if (!member) {
      throw core::Error::not_found("the staff member");
    }
    // A store without staff can only be managed by an admin again.
    if (staff.size() == 1 && !identity.is_admin()) {
      throw core::Error::conflict("the last staff member cannot be removed; add another first");
    }
    remove_staff(session, id, user_id);
  });
  spdlog::info("user {} removed from the staff of restaurant {} by user {}", user_id, id,
               identity.user_id);
  return http::Response::no_content();
}

}  // namespace

void add_restaurant_routes(http::Router& router, std::shared_ptr<OrdersApp> app) {
  router.post("/restaurants", [app](http::Request& r) { return create_restaurant(*app, r); });
  router.get("/restaurants", [app](http::Request& r) { return list_restaurants_handler(*app, r); });
  router.get("/restaurants/{id}", [app](http::Request& r) { return get_restaurant(*app, r); });
  router.patch("/restaurants/{id}",
               [app](http::Request& r) { return update_restaurant_handler(*app, r); });
  router.get("/restaurants/{id}/staff",
             [app](http::Request& r) { return list_staff_handler(*app, r); });
  router.post("/restaurants/{id}/staff",
              [app](http::Request& r) { return add_staff_handler(*app, r); });
  router.del("/restaurants/{id}/staff/{userId}",
             [app](http::Request& r) { return remove_staff_handler(*app, r); });
}

}  // namespace surplus::orders
