#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/geo.hpp>
#include <surplus/core/json_writer.hpp>
#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>

namespace surplus::orders {

inline const std::vector<std::string_view> kRestaurantCategories = {"bakery", "restaurant", "cafe",
                                                                    "supermarket", "other"};

struct Restaurant {
  std::string id;
  std::string name;
  std::string description;
  std::string category;
  std::string address;
  double latitude = 0;
  double longitude = 0;
  std::optional<std::string> phone;
  std::string time_zone;
  std::string created_by;
  core::Timestamp created_at;
  core::Timestamp updated_at;
  std::int64_t rating_count = 0;
  std::int64_t rating_sum = 0;  // of stars, so the average is rating_sum / rating_count
};

// The public view: id, name, description, category, address, latitude, longitude, phone,
// timeZone, createdAt, updatedAt, rating {average (null without ratings, two decimals),
// count}, and distanceKm when given.
nlohmann::json restaurant_json(const Restaurant& restaurant,
                               std::optional<double> distance_km = std::nullopt);

// Writes the text of restaurant_json(restaurant).dump() to `writer` without building the
// nlohmann::json, with a staffUserIds array member when `staff_user_ids` is not null.
void write_restaurant_json(core::JsonWriter& writer, const Restaurant& restaurant,
                           const std::vector<std::string>* staff_user_ids = nullptr);

// Reads the restaurant columns of `row` by name (id, name, ..., updated_at).
Restaurant restaurant_from_row(const db::Row& row);

std::optional<Restaurant> find_restaurant(db::Session& session, const std::string& id);
// The restaurants among `ids` that exist, in id order.
std::vector<Restaurant> find_restaurants(db::Session& session, const std::vector<std::string>& ids);

void insert_restaurant(db::Session& session, const Restaurant& restaurant);
void update_restaurant(db::Session& session, const Restaurant& restaurant);

// Restaurants in id (creation) order after `after_id`, optionally of one category, at
// most `limit`.
std::vector<Restaurant> list_restaurants(db::Session& session,
                                         const std::optional<std::string>& category,
                                         const std::optional<std::string>& after_id,
                                         std::size_t limit);

struct NearbyRestaurant {
  Restaurant restaurant;
  double distance_km = 0;
};

// The position after which a nearby page continues: distance, then id.
struct NearbyCursor {
  double distance_km = 0;
  std::string id;
};

// Restaurants within `radius_km` of `center`, nearest first (ties by id), after `after`,
// at most `limit`. SQL narrows the search to the latitude/longitude bounding box of the
// circle (split in two across the antimeridian), and the haversine distance decides.
std::vector<NearbyRestaurant> restaurants_near(db::Session& session, core::GeoPoint center,
                                               double radius_km,
                                               const std::optional<std::string>& category,
                                               const std::optional<NearbyCursor>& after,
                                               std::size_t limit);

// A degree box around a circle, as used by restaurants_near; exposed for tests.
struct BoundingBox {
  double min_latitude = 0;
  double max_latitude = 0;
  double min_longitude = 0;
  double max_longitude = 0;
  // True when the box crosses the antimeridian: longitudes >= min_longitude or
  // <= max_longitude match.
  bool wraps = false;
};
BoundingBox bounding_box(core::GeoPoint center, double radius_km);

// Staff membership.
struct StaffMember {
  std::string user_id;
  std::string email;
  std::string display_name;
  core::Timestamp added_at;
};
nlohmann::json staff_json(const StaffMember& member);

bool is_staff(db::Session& session, const std::string& restaurant_id, const std::string& user_id);
std::vector<StaffMember> list_staff(db::Session& session, const std::string& restaurant_id);
// Returns false when the user already was staff.
bool add_staff(db::Session& session, const std::string& restaurant_id, const std::string& user_id,
               const std::string& added_by, core::Timestamp now);
// Returns false when the user was not staff.
bool remove_staff(db::Session& session, const std::string& restaurant_id,
                  const std::string& user_id);
// The ids of the staff of each of `restaurant_ids`, for the internal batch endpoint.
std::vector<std::pair<std::string, std::string>> staff_pairs(
    db::Session& session, const std::vector<std::string>& restaurant_ids);

}  // namespace surplus::orders
