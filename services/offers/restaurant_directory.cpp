#include "restaurant_directory.hpp"

#include <utility>

#include <surplus/core/error.hpp>
#include <surplus/core/log.hpp>
#include <surplus/http/url.hpp>

#include "offers_store.hpp"
#include "outbox_writer.hpp"
#include "read_only.hpp"

namespace surplus::offers {

nlohmann::json restaurant_location_json(const RestaurantLocation& restaurant) {
  return {
      {"id", restaurant.id},
      {"name", restaurant.name},
      {"location",
       {{"latitude", restaurant.location.latitude}, {"longitude", restaurant.location.longitude}}},
      {"updatedAt", core::format_rfc3339(restaurant.updated_at)},
      {"sourceUpdatedAt", restaurant.source_updated_at
                              ? nlohmann::json(core::format_rfc3339(*restaurant.source_updated_at))
                              : nlohmann::json()}};
}

std::optional<RestaurantLocation> find_restaurant_location(db::Session& session,
                                                           std::string_view restaurant_id) {
  auto row = session
                 .execute(
                     "SELECT id, name, latitude, longitude, updated_at, source_updated_at "
                     "FROM restaurants WHERE id = $1",
                     {std::string(restaurant_id)})
                 .maybe_one();
  if (!row) {
    return std::nullopt;
  }
  RestaurantLocation restaurant{row->get<std::string>(0), row->get<std::string>(1),
                                core::GeoPoint{row->get<double>(2), row->get<double>(3)},
                                core::from_unix_micros(row->get<std::int64_t>(4)), std::nullopt};
  if (auto source = row->get<std::optional<std::int64_t>>(5)) {
    restaurant.source_updated_at = core::from_unix_micros(*source);
  }
  return restaurant;
}

bool upsert_restaurant_location(db::Session& session, const RestaurantLocation& restaurant) {
  std::optional<std::int64_t> source_micros;
  if (restaurant.source_updated_at) {
    source_micros = core::to_unix_micros(*restaurant.source_updated_at);
  }
  // The condition is evaluated on the locked row, so of two concurrent writes the older
  // copy never wins.
  return !session
              .execute(
                  "INSERT INTO restaurants (id, name, latitude, longitude, updated_at, "
                  "source_updated_at) VALUES ($1, $2, $3, $4, $5, $6) "
                  "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                  "latitude = excluded.latitude, longitude = excluded.longitude, "
                  "updated_at = excluded.updated_at, "
                  "source_updated_at = excluded.source_updated_at "
                  "WHERE excluded.source_updated_at IS NULL "
                  "OR restaurants.source_updated_at IS NULL "
                  "OR excluded.source_updated_at >= restaurants.source_updated_at "
                  "RETURNING id",
                  {restaurant.id, restaurant.name, restaurant.location.latitude,
                   restaurant.location.longitude, core::to_unix_micros(restaurant.updated_at),
                   db::nullable(source_micros)})
              .empty();
}

RestaurantLocation apply_restaurant_location(db::Session& session,
                                             const RestaurantLocation& restaurant,
                                             core::Timestamp now) {
  if (!upsert_restaurant_location(session, restaurant)) {
    // The copy is older than the stored one, which stays.
    auto stored = find_restaurant_location(session, restaurant.id);
    if (!stored) {
      throw core::Error::internal("restaurant " + restaurant.id + " vanished during an upsert");
    }
    return *stored;
  }
  for (const auto& offer : move_live_offers(session, restaurant.id, restaurant.location, now)) {
    write_event(session, kOfferUpdated, offer_channels(offer.restaurant_id), offer_json(offer),
                now);
  }
  return restaurant;
}

RestaurantDirectory::RestaurantDirectory(db::Database& database, std::string orders_url,
                                         auth::ServiceSecret service_secret,
                                         std::chrono::seconds max_age)
    : database_(database),
      orders_url_(std::move(orders_url)),
      service_secret_(std::move(service_secret)),
      max_age_(max_age) {
  if (!orders_url_.empty()) {
    http::ClientOptions options;
    options.request_timeout = std::chrono::milliseconds(3000);
    client_ = std::make_unique<http::Client>(options);
  }
}

RestaurantDirectory::~RestaurantDirectory() = default;

RestaurantLocation RestaurantDirectory::find(const std::string& restaurant_id) {
  auto stored = database_.transaction(
      [&](db::Session& session) { return find_restaurant_location(session, restaurant_id); },
      read_only());
  if (stored && core::now() - stored->updated_at < max_age_) {
    return *stored;
  }
  if (!client_) {
    if (stored) {
      return *stored;
    }
    throw core::Error::not_found("restaurant " + restaurant_id);
  }
  try {
    auto fetched = fetch(restaurant_id);
    if (!fetched) {
      throw core::Error::not_found("restaurant " + restaurant_id);
    }
    return store(*fetched);
  } catch (const core::Error& error) {
    if (error.code() == core::ErrorCode::kNotFound) {
      throw;
    }
    if (stored) {
      spdlog::warn(
          "restaurant {}: refreshing its location from {} failed ({}: {}); using the "
          "copy from {}",
          restaurant_id, orders_url_, error.message(), error.detail(),
          core::format_rfc3339(stored->updated_at));
      return *stored;
    }
    throw core::Error::unavailable(
        "the location of restaurant " + restaurant_id +
            " is not known yet and the orders service cannot be reached; retry later",
        error.detail());
  }
}

RestaurantLocation RestaurantDirectory::store(const RestaurantLocation& restaurant) {
  return database_.transaction([&](db::Session& session) {
    return apply_restaurant_location(session, restaurant, core::now());
  });
}

std::string RestaurantDirectory::restaurant_of_product(const std::string& product_id) {
  auto stored = database_.transaction(
      [&](db::Session& session) -> std::optional<std::string> {
        auto row = session.execute("SELECT restaurant_id FROM products WHERE id = $1", {product_id})
                       .maybe_one();
        if (!row) {
          return std::nullopt;
        }
        return row->get<std::string>(0);
      },
      read_only());
  if (stored) {
    return *stored;
  }
  if (!client_) {
    throw core::Error::not_found("product " + product_id);
  }
  std::optional<std::string> restaurant_id;
  try {
    restaurant_id = fetch_product_restaurant(product_id);
  } catch (const core::Error& error) {
    throw core::Error::unavailable("product " + product_id +
                                       " cannot be checked because the orders service cannot "
                                       "be reached; retry later",
                                   error.message() + " " + error.detail());
  }
  if (!restaurant_id) {
    throw core::Error::not_found("product " + product_id);
  }
  store_product(product_id, *restaurant_id);
  return *restaurant_id;
}

void RestaurantDirectory::store_product(const std::string& product_id,
                                        const std::string& restaurant_id) {
  database_.transaction([&](db::Session& session) {
    session.execute(
        "INSERT INTO products (id, restaurant_id, fetched_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (id) DO UPDATE SET restaurant_id = excluded.restaurant_id, "
        "fetched_at = excluded.fetched_at",
        {product_id, restaurant_id, core::to_unix_micros(core::now())});
  });
}

std::optional<std::string> RestaurantDirectory::fetch_product_restaurant(
    const std::string& product_id) {
  http::Headers headers;
  service_secret_.add_to(headers);
  auto response = client_->get(
      orders_url_ + "/internal/products?ids=" + http::percent_encode(product_id), headers);
  if (!response.ok()) {
    throw http::error_from_response(response, "orders service");
  }
  auto body = response.body_json();
  for (const auto& item : body.value("items", nlohmann::json::array())) {
    if (item.value("id", "") != product_id) {
      continue;
    }
    if (!item.contains("restaurantId") || !item["restaurantId"].is_string()) {
      throw core::Error::internal("orders service sent product " + product_id +
                                  " without a restaurantId");
    }
    return item["restaurantId"].get<std::string>();
  }
  return std::nullopt;
}

std::optional<RestaurantLocation> RestaurantDirectory::fetch(const std::string& restaurant_id) {
  http::Headers headers;
  service_secret_.add_to(headers);
  auto response = client_->get(
      orders_url_ + "/internal/restaurants?ids=" + http::percent_encode(restaurant_id), headers);
  if (!response.ok()) {
    throw http::error_from_response(response, "orders service");
  }
  auto body = response.body_json();
  for (const auto& item : body.value("items", nlohmann::json::array())) {
    if (item.value("id", "") != restaurant_id) {
      continue;
    }
    try {
      core::GeoPoint location{item.at("latitude").get<double>(),
                              item.at("longitude").get<double>()};
      RestaurantLocation fetched{restaurant_id, item.value("name", ""), location, core::now(),
                                 std::nullopt};
      if (item.contains("updatedAt") && item["updatedAt"].is_string()) {
        fetched.source_updated_at = core::parse_rfc3339(item["updatedAt"].get<std::string>());
      }
      return fetched;
    } catch (const nlohmann::json::exception& error) {
      throw core::Error::internal("orders service sent restaurant " + restaurant_id +
                                  " without a location: " + error.what());
    }
  }
  return std::nullopt;
}

}  // namespace surplus::offers
