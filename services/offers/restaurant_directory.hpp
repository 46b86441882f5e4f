#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <surplus/auth/request_auth.hpp>
#include <surplus/core/geo.hpp>
#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>
#include <surplus/http/client.hpp>

namespace surplus::offers {

struct RestaurantLocation {
  std::string id;
  std::string name;
  core::GeoPoint location;
  core::Timestamp updated_at;
};

nlohmann::json restaurant_location_json(const RestaurantLocation& restaurant);

// A directory of restaurant locations. The orders service owns restaurants; this service keeps a
// copy of each one's name and location in its `restaurants` table, written when the orders service
// (or `--seed`) sends it through PUT /internal/restaurants/{id}, or fetched from
// GET {orders}/internal/restaurants?ids= when missing or older than `max_age`.
// Thread-safe.
class RestaurantDirectory {
 public:
  // `orders_url` empty disables the fetch, so only stored copies are used.
  RestaurantDirectory(db::Database& database, std::string orders_url,
                      auth::ServiceSecret service_secret, std::chrono::seconds max_age);
  ~RestaurantDirectory();

  // The restaurant's location. A stored copy younger than max_age is used as is; an older
  // or missing one is fetched, and an older one is still used when the fetch fails.
  // Throws NOT_FOUND when the restaurant is unknown, UNAVAILABLE when it is not stored and
  // the orders service cannot be reached.
  RestaurantLocation find(const std::string& restaurant_id);

  // Stores a copy (PUT /internal/restaurants/{id}).
  void store(const RestaurantLocation& restaurant);

 private:
  std::optional<RestaurantLocation> fetch(const std::string& restaurant_id);

  db::Database& database_;
  std::string orders_url_;
  auth::ServiceSecret service_secret_;
  std::chrono::seconds max_age_;
  std::unique_ptr<http::Client> client_;
};

// Reads and writes the stored copies, inside the caller's transaction.
std::optional<RestaurantLocation> find_restaurant_location(db::Session& session,
                                                           std::string_view restaurant_id);
void upsert_restaurant_location(db::Session& session, const RestaurantLocation& restaurant);

}  // namespace surplus::offers
