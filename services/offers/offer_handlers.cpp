// Offers over HTTP:
//   GET    /offers                            anyone: search near a point, or ?ids=a,b
//   GET    /offers/{offerId}                  anyone; drafts for their restaurant's staff
//   PATCH  /offers/{offerId}                  staff of the restaurant, admin
//   POST   /offers/{offerId}/publish          staff of the restaurant, admin
//   POST   /offers/{offerId}/cancel           staff of the restaurant, admin
//   GET    /restaurants/{restaurantId}/offers anyone; drafts and ended offers for staff
//   POST   /restaurants/{restaurantId}/offers staff of the restaurant, admin; optional header
//                                             Idempotency-Key makes a retry return the
//                                             first offer (200) instead of a new one
#include <cmath>
#include <optional>
#include <string>

#include <surplus/core/error.hpp>
#include <surplus/core/geo.hpp>
#include <surplus/core/id.hpp>
#include <surplus/core/idempotency_key.hpp>
#include <surplus/core/json_writer.hpp>

#include "handler_support.hpp"
#include "offer_operations.hpp"
#include "offer_search.hpp"
#include "offers_store.hpp"
#include "pagination.hpp"
#include "read_only.hpp"
#include "routes.hpp"

namespace surplus::offers {
namespace {

constexpr std::size_t kMaxIds = 100;

OfferSearch read_search(const http::Request& request) {
  OfferSearch search;
  auto latitude = query_number(request, "latitude", -90, 90);
  auto longitude = query_number(request, "longitude", -180, 180);
  if (!latitude || !longitude) {
    throw core::Error::validation(latitude ? "longitude" : "latitude",
                                  "latitude and longitude are required to search");
  }
  search.center = {*latitude, *longitude};

  search.radius_km = query_number(request, "radiusKm", 0.01, kMaxSearchRadiusKm).value_or(5);
  if (auto category = query_text(request, "category")) {
    search.category = *category;
  }
  search.dietary_tags = query_list(request, "dietaryTags");
  if (auto max_price = query_integer(request, "maxPrice", 0, kMaxAmount)) {
    std::string currency = query_text(request, "currency").value_or("EUR");
    if (!core::is_iso4217(currency)) {
      throw core::Error::validation("currency", "expected an ISO 4217 code such as EUR");
    }
    search.max_price = core::Money{*max_price, currency};
  }

  search.pickup_from = query_time(request, "pickupFrom");
  search.pickup_to = query_time(request, "pickupTo");
  if (search.pickup_from && search.pickup_to && *search.pickup_from >= *search.pickup_to) {
    throw core::Error::validation("pickupTo", "must be after pickupFrom");
  }
  search.in_stock_only = query_bool(request, "inStock").value_or(false);
  if (auto sort = query_text(request, "sort")) {
    auto parsed = parse_offer_sort(*sort);
    if (!parsed) {
      throw core::Error::validation("sort", "expected distance, price or pickupTime");
    }
    search.sort = *parsed;
  }

  auto page = read_page_request(request);
  search.first = page.first;
  search.after = page.after;
  return search;
}

http::Response search(OffersApp& app, http::Request& request) {
  user_actor(app, request);  // a bad token is rejected even where none is needed
  OfferSearch query = read_search(request);
  auto page = app.database.transaction(
      [&](db::Session& session) { return search_offers(session, query, core::now()); },
      read_only());
  // The page_json form, written directly because a page of offers is the hottest response
  // of the service.
  core::JsonWriter writer;
  writer.begin_object();
  writer.key("items");
  writer.begin_array();
  for (const auto& hit : page.hits) {
    // Metre precision is enough for display and keeps the numbers short.
    write_offer_json(writer, hit.offer, core::round_to_metres(hit.distance_km));
  }
  writer.end_array();
  writer.key("nextCursor");
  if (page.next_key) {
    writer.string(encode_cursor(*page.next_key));
  } else {
    writer.null();
  }
  writer.end_object();
  return http::Response::text(writer.take(), 200, "application/json");
}

http::Response by_ids(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  auto ids = query_list(request, "ids");
  if (ids.size() > kMaxIds) {
    throw core::Error::validation("ids", "at most " + std::to_string(kMaxIds) + " ids");
  }
  nlohmann::json items = nlohmann::json::array();
  app.database.transaction(
      [&](db::Session& session) {
        for (const auto& id : ids) {
          if (!core::is_uuid(id)) {
            continue;
          }
          auto offer = find_offer(session, id);
          if (offer &&
              (offer->status != OfferStatus::kDraft || actor.manages(offer->restaurant_id))) {
            items.push_back(offer_json(*offer));
          }
        }
      },
      read_only());
  return http::Response::json({{"items", std::move(items)}, {"nextCursor", nullptr}});
}

http::Response list_or_search(OffersApp& app, http::Request& request) {
  if (request.query_param("ids")) {
    return by_ids(app, request);
  }
  return search(app, request);
}

http::Response get_one(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  return http::Response::json(
      offer_json(get_offer(app.database, actor, path_id(request, "offerId", "offer"))));
}

// Reads the optional Idempotency-Key of a create, which core::is_idempotency_key checks.
std::optional<std::string> idempotency_key(const http::Request& request) {
  const auto key = request.header("Idempotency-Key");
  if (!key) {
    return std::nullopt;
  }
  if (!core::is_idempotency_key(*key)) {
    throw core::Error::validation(
        "Idempotency-Key",
        "must be 1 to 200 printable ASCII characters without spaces, such as "
        "a UUID; send a new one for each new offer");
  }
  return std::string(*key);
}

http::Response create(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  std::string restaurant_id = path_id(request, "restaurantId", "restaurant");
  auto input = parse_offer_input(request.json(), true);
  const auto key = idempotency_key(request);
  if (!key) {
    return created(offer_json(
        create_offer(app.database, app.directory, actor, restaurant_id, input, core::now())));
  }
  // The body as nlohmann::json writes it, with sorted keys, so that a retry with the same
  // fields in another order or spacing counts as the same request.
  const CreateRequest once{*key, request.json().dump()};
  auto result = create_offer_once(app.database, app.directory, actor, restaurant_id, input, once,
                                  core::now());
  auto body = offer_json(result.offer);
  return result.created ? created(std::move(body)) : http::Response::json(body);
}

http::Response update(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  auto input = parse_offer_input(request.json(), false);
  return http::Response::json(
      offer_json(update_offer(app.database, app.directory, actor,
                              path_id(request, "offerId", "offer"), input, core::now())));
}

http::Response publish(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  return http::Response::json(offer_json(publish_offer(
      app.database, app.directory, actor, path_id(request, "offerId", "offer"), core::now())));
}

http::Response cancel(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  return http::Response::json(offer_json(
      cancel_offer(app.database, actor, path_id(request, "offerId", "offer"), core::now())));
}

std::vector<OfferStatus> read_statuses(const http::Request& request) {
  std::vector<OfferStatus> statuses;
  for (const auto& name : query_list(request, "status")) {
    auto status = parse_offer_status(name);
    if (!status) {
      throw core::Error::validation(
          "status", "expected DRAFT, ACTIVE, SOLD_OUT, EXPIRED or CANCELLED, got " + name);
    }
    statuses.push_back(*status);
  }
  return statuses;
}

http::Response list_restaurant(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  std::string restaurant_id = path_id(request, "restaurantId", "restaurant");
  auto statuses = read_statuses(request);
  if (!actor.manages(restaurant_id)) {
    std::vector<OfferStatus> visible;
    for (auto status :
         statuses.empty() ? std::vector{OfferStatus::kActive, OfferStatus::kSoldOut} : statuses) {
      if (is_live(status)) {
        visible.push_back(status);
      }
    }
    if (visible.empty()) {
      return http::Response::json(page_json(nlohmann::json::array(), std::nullopt));
    }
    statuses = visible;
  }

  auto page = read_page_request(request);
  std::optional<std::string> before;
  if (page.after) {
    if (!page.after->contains("id") || !(*page.after)["id"].is_string()) {
      throw core::Error::validation("after", "is not a cursor of this list; start without it");
    }
    before = (*page.after)["id"].get<std::string>();
  }
  auto offers = app.database.transaction(
      [&](db::Session& session) {
        return list_restaurant_offers(session, restaurant_id, statuses, before, page.first + 1);
      },
      read_only());

  std::optional<nlohmann::json> next;
  if (offers.size() > page.first) {
    offers.resize(page.first);
    next = nlohmann::json{{"id", offers.back().id}};
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& offer : offers) {
    items.push_back(offer_json(offer));
  }
  return http::Response::json(page_json(std::move(items), next));
}

}  // namespace

std::vector<Route> offer_routes() {
  return {
      {"GET", "/offers", list_or_search},
      {"GET", "/offers/{offerId}", get_one},
      {"PATCH", "/offers/{offerId}", update},
      {"POST", "/offers/{offerId}/publish", publish},
      {"POST", "/offers/{offerId}/cancel", cancel},
      {"GET", "/restaurants/{restaurantId}/offers", list_restaurant},
      {"POST", "/restaurants/{restaurantId}/offers", create},
  };
}

}  // namespace surplus::offers
