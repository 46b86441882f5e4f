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
  core::Timestamp updated_at;  // when this copy was written here
  // The orders service's updatedAt of this name and location. Copies from `--seed` and tests
  // have none and always replace the stored one.
  std::optional<core::Timestamp> source_updated_at;
};

nlohmann::json restaurant_location_json(const RestaurantLocation& restaurant);

// A directory of restaurant locations. The orders service owns restaurants; this service keeps a
// copy of each one's name and location in its `restaurants` table. The orders service sends
// the copy through PUT /internal/restaurants/{id} when a restaurant is created or changes
// its name or location, and retries until this service acknowledges it (`--seed` sends
// the demo restaurants the same way). A copy that is missing or older than `max_age` is
// fetched again from GET {orders}/internal/restaurants?ids= when an offer is published.
// Writing a copy with a new location moves the restaurant's live offers with it.
// It also stores, in its `products` table, the restaurant each product belongs to.
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

  // Stores a copy (PUT /internal/restaurants/{id}) unless the stored one has a newer
  // source_updated_at, as apply_restaurant_location does. Returns the copy stored now.
  RestaurantLocation store(const RestaurantLocation& restaurant);

  // The id of the restaurant that the product belongs to. A stored value is used as is,
  // because a product never moves to another restaurant. A missing one is fetched from
  // GET {orders}/internal/products?ids= and stored. Throws NOT_FOUND for an unknown
  // product (with the fetch disabled, for one not stored) and UNAVAILABLE when it is not
  // stored and the orders service cannot be reached.
  std::string restaurant_of_product(const std::string& product_id);

  // Stores that the product belongs to the restaurant, for tests and for installations
  // that run without ORDERS_URL.
  void store_product(const std::string& product_id, const std::string& restaurant_id);

 private:
  std::optional<RestaurantLocation> fetch(const std::string& restaurant_id);
  std::optional<std::string> fetch_product_restaurant(const std::string& product_id);

  db::Database& database_;
  std::string orders_url_;
  auth::ServiceSecret service_secret_;
  std::chrono::seconds max_age_;
  std::unique_ptr<http::Client> client_;
};

// Reads and writes the stored copies, inside the caller's transaction.
std::optional<RestaurantLocation> find_restaurant_location(db::Session& session,
                                                           std::string_view restaurant_id);
// Writes `restaurant` unless both it and the stored copy carry a source_updated_at and the
// stored one is newer. Returns whether it wrote.
bool upsert_restaurant_location(db::Session& session, const RestaurantLocation& restaurant);

// Writes `restaurant` as upsert_restaurant_location does. When it was written, every ACTIVE
// and SOLD_OUT offer of the restaurant at another location moves to its location and gets
// an offer.updated event, in the caller's transaction. Returns the copy stored now.
RestaurantLocation apply_restaurant_location(db::Session& session,
                                             const RestaurantLocation& restaurant,
                                             core::Timestamp now);

}  // namespace surplus::offers
