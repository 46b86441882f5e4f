#include "restaurant_directory.hpp"

#include <utility>

#include <surplus/core/error.hpp>
#include <surplus/core/log.hpp>
#include <surplus/http/url.hpp>

#include "read_only.hpp"

namespace surplus::offers {

nlohmann::json restaurant_location_json(const RestaurantLocation& restaurant) {
  return {
      {"id", restaurant.id},
      {"name", restaurant.name},
      {"location",
       {{"latitude", restaurant.location.latitude}, {"longitude", restaurant.location.longitude}}},
      {"updatedAt", core::format_rfc3339(restaurant.updated_at)}};
}

std::optional<RestaurantLocation> find_restaurant_location(db::Session& session,
                                                           std::string_view restaurant_id) {
  auto row = session
                 .execute(
                     "SELECT id, name, latitude, longitude, updated_at FROM restaurants "
                     "WHERE id = $1",
                     {std::string(restaurant_id)})
                 .maybe_one();
  if (!row) {
    return std::nullopt;
  }
  return RestaurantLocation{row->get<std::string>(0), row->get<std::string>(1),
                            core::GeoPoint{row->get<double>(2), row->get<double>(3)},
                            core::from_unix_micros(row->get<std::int64_t>(4))};
}

void upsert_restaurant_location(db::Session& session, const RestaurantLocation& restaurant) {
  session.execute(
      "INSERT INTO restaurants (id, name, latitude, longitude, updated_at) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
      "latitude = excluded.latitude, longitude = excluded.longitude, "
      "updated_at = excluded.updated_at",
      {restaurant.id, restaurant.name, restaurant.location.latitude, restaurant.location.longitude,
       core::to_unix_micros(restaurant.updated_at)});
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
    store(*fetched);
    return *fetched;
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

void RestaurantDirectory::store(const RestaurantLocation& restaurant) {
  database_.transaction(
      [&](db::Session& session) { upsert_restaurant_location(session, restaurant); });
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
      return RestaurantLocation{restaurant_id, item.value("name", ""), location, core::now()};
    } catch (const nlohmann::json::exception& error) {
      throw core::Error::internal("orders service sent restaurant " + restaurant_id +
                                  " without a location: " + error.what());
    }
  }
  return std::nullopt;
}

}  // namespace surplus::offers
