#include "restaurants_store.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sql_lists.hpp"

namespace surplus::orders {
namespace {

constexpr std::string_view kColumns =
    "id, name, description, category, address, latitude, longitude, phone, time_zone, "
    "created_by, created_at, updated_at, rating_count, rating_sum";

std::string select_sql(std::string_view rest) {
  return "SELECT " + std::string(kColumns) + " FROM restaurants " + std::string(rest);
}

std::vector<Restaurant> restaurants_from(const db::Result& result) {
  std::vector<Restaurant> restaurants;
  restaurants.reserve(result.size());
  for (const auto& row : result) {
    restaurants.push_back(restaurant_from_row(row));
  }
  return restaurants;
}

bool after_cursor(const NearbyRestaurant& item, const NearbyCursor& cursor) {
  if (item.distance_km != cursor.distance_km) {
    return item.distance_km > cursor.distance_km;
  }
  return item.restaurant.id > cursor.id;
}

}  // namespace

Restaurant restaurant_from_row(const db::Row& row) {
  Restaurant restaurant;
  restaurant.id = row.get<std::string>("id");
  restaurant.name = row.get<std::string>("name");
  restaurant.description = row.get<std::string>("description");
  restaurant.category = row.get<std::string>("category");
  restaurant.address = row.get<std::string>("address");
  restaurant.latitude = row.get<double>("latitude");
  restaurant.longitude = row.get<double>("longitude");
  restaurant.phone = row.get<std::optional<std::string>>("phone");
  restaurant.time_zone = row.get<std::string>("time_zone");
  restaurant.created_by = row.get<std::string>("created_by");
  restaurant.created_at = core::from_unix_micros(row.get<std::int64_t>("created_at"));
  restaurant.updated_at = core::from_unix_micros(row.get<std::int64_t>("updated_at"));
  restaurant.rating_count = row.get<std::int64_t>("rating_count");
  restaurant.rating_sum = row.get<std::int64_t>("rating_sum");
  return restaurant;
}

namespace {

// {"average": stars rounded to two decimals, or null without ratings, "count": ratings}.
nlohmann::json restaurant_json_rating(const Restaurant& restaurant) {
  nlohmann::json average;
  if (restaurant.rating_count != 0) {
    average = std::round(static_cast<double>(restaurant.rating_sum) * 100 /
                         static_cast<double>(restaurant.rating_count)) /
              100;
  }
  return {{"average", std::move(average)}, {"count", restaurant.rating_count}};
}

}  // namespace

nlohmann::json restaurant_json(const Restaurant& restaurant, std::optional<double> distance_km) {
  nlohmann::json json = {
      {"id", restaurant.id},
      {"name", restaurant.name},
      {"description", restaurant.description},
      {"category", restaurant.category},
      {"address", restaurant.address},
      {"latitude", restaurant.latitude},
      {"longitude", restaurant.longitude},
      {"phone", restaurant.phone ? nlohmann::json(*restaurant.phone) : nlohmann::json()},
      {"timeZone", restaurant.time_zone},
      {"createdAt", core::format_rfc3339(restaurant.created_at)},
      {"updatedAt", core::format_rfc3339(restaurant.updated_at)},
      {"rating", restaurant_json_rating(restaurant)},
  };
  if (distance_km) {
    json["distanceKm"] = std::round(*distance_km * 1000) / 1000;  // metre precision
  }
  return json;
}

void write_restaurant_json(core::JsonWriter& writer, const Restaurant& restaurant,
                           const std::vector<std::string>* staff_user_ids) {
  // The members in restaurant_json's order as nlohmann::json keeps them, sorted by key.
  writer.begin_object();
  writer.key("address");
  writer.string(restaurant.address);
  writer.key("category");
  writer.string(restaurant.category);
  writer.key("createdAt");
  writer.string(core::format_rfc3339(restaurant.created_at));
  writer.key("description");
  writer.string(restaurant.description);
  writer.key("id");
  writer.string(restaurant.id);
  writer.key("latitude");
  writer.number(restaurant.latitude);
  writer.key("longitude");
  writer.number(restaurant.longitude);
  writer.key("name");
  writer.string(restaurant.name);
  writer.key("phone");
  if (restaurant.phone) {
    writer.string(*restaurant.phone);
  } else {
    writer.null();
  }
  writer.key("rating");
  writer.json_value(restaurant_json_rating(restaurant));
  if (staff_user_ids != nullptr) {
    writer.key("staffUserIds");
    writer.begin_array();
    for (const auto& user_id : *staff_user_ids) {
      writer.string(user_id);
    }
    writer.end_array();
  }
  writer.key("timeZone");
  writer.string(restaurant.time_zone);
  writer.key("updatedAt");
  writer.string(core::format_rfc3339(restaurant.updated_at));
  writer.end_object();
}

std::optional<Restaurant> find_restaurant(db::Session& session, const std::string& id) {
  auto row = session.execute(select_sql("WHERE id = $1"), {id}).maybe_one();
  if (!row) {
    return std::nullopt;
  }
  return restaurant_from_row(*row);
}

std::vector<Restaurant> find_restaurants(db::Session& session,
                                         const std::vector<std::string>& ids) {
  if (ids.empty()) {
    return {};
  }
  db::Params params(ids.begin(), ids.end());
  return restaurants_from(session.execute(
      select_sql("WHERE id IN (" + placeholders(1, ids.size()) + ") ORDER BY id"), params));
}

void insert_restaurant(db::Session& session, const Restaurant& r) {
  session.execute(
      "INSERT INTO restaurants (id, name, description, category, address, latitude, longitude, "
      "phone, time_zone, created_by, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {r.id, r.name, r.description, r.category, r.address, r.latitude, r.longitude,
       db::nullable(r.phone), r.time_zone, r.created_by, core::to_unix_micros(r.created_at),
       core::to_unix_micros(r.updated_at)});
}

void update_restaurant(db::Session& session, const Restaurant& r) {
  session.execute(
      "UPDATE restaurants SET name = $1, description = $2, category = $3, address = $4, "
      "latitude = $5, longitude = $6, phone = $7, time_zone = $8, updated_at = $9 WHERE id = $10",
      {r.name, r.description, r.category, r.address, r.latitude, r.longitude, db::nullable(r.phone),
       r.time_zone, core::to_unix_micros(r.updated_at), r.id});
}

std::vector<Restaurant> list_restaurants(db::Session& session,
                                         const std::optional<std::string>& category,
                                         const std::optional<std::string>& after_id,
                                         std::size_t limit) {
  // NULL parameters switch the filters off, so one prepared statement serves every call.
  return restaurants_from(session.execute(
      select_sql("WHERE (CAST($1 AS TEXT) IS NULL OR category = $1) "
                 "AND (CAST($2 AS TEXT) IS NULL OR id > $2) "
                 "ORDER BY id LIMIT $3"),
      {db::nullable(category), db::nullable(after_id), static_cast<std::int64_t>(limit)}));
}

BoundingBox bounding_box(core::GeoPoint center, double radius_km) {
  constexpr double kDegreesPerRadian = 180.0 / std::numbers::pi;
  double angular = radius_km / core::kEarthRadiusKm;  // radians of arc
  BoundingBox box;
  box.min_latitude = center.latitude - angular * kDegreesPerRadian;
  box.max_latitude = center.latitude + angular * kDegreesPerRadian;
  if (box.min_latitude <= -90 || box.max_latitude >= 90) {
    // The circle contains a pole, so every longitude is inside.
    box.min_latitude = std::max(box.min_latitude, -90.0);
    box.max_latitude = std::min(box.max_latitude, 90.0);
    box.min_longitude = -180;
    box.max_longitude = 180;
    return box;
  }
  // The circle's widest longitude span is asin(sin(r) / cos(latitude)) on each side,
  // reached where a meridian touches the circle. A box from the span at the centre's own
  // latitude would be narrower, so it would miss points near those touching points.
  double latitude_radians = center.latitude / kDegreesPerRadian;
  double delta =
      std::asin(std::min(1.0, std::sin(angular) / std::cos(latitude_radians))) * kDegreesPerRadian;
  box.min_longitude = center.longitude - delta;
  box.max_longitude = center.longitude + delta;
  if (box.min_longitude < -180) {
    box.min_longitude += 360;
    box.wraps = true;
  } else if (box.max_longitude > 180) {
    box.max_longitude -= 360;
    box.wraps = true;
  }
  return box;
}

std::vector<NearbyRestaurant> restaurants_near(db::Session& session, core::GeoPoint center,
                                               double radius_km,
                                               const std::optional<std::string>& category,
                                               const std::optional<NearbyCursor>& after,
                                               std::size_t limit) {
  BoundingBox box = bounding_box(center, radius_km);
  std::string longitude_test =
      box.wraps ? "(longitude >= $3 OR longitude <= $4)" : "(longitude >= $3 AND longitude <= $4)";
  auto result =
      session.execute(select_sql("WHERE latitude >= $1 AND latitude <= $2 AND " + longitude_test +
                                 " AND (CAST($5 AS TEXT) IS NULL OR category = $5)"),
                      {box.min_latitude, box.max_latitude, box.min_longitude, box.max_longitude,
                       db::nullable(category)});

  // NOTE: every restaurant in the box is read to order by exact distance, which is fine
  // for city-sized radii (the handler caps it at 50 km) but not for a country.
  std::vector<NearbyRestaurant> nearby;
  for (const auto& row : result) {
    Restaurant restaurant = restaurant_from_row(row);
    double distance = core::haversine_km(center, {restaurant.latitude, restaurant.longitude});
    if (distance <= radius_km) {
      nearby.push_back({std::move(restaurant), distance});
    }
  }
  std::sort(nearby.begin(), nearby.end(), [](const auto& a, const auto& b) {
    if (a.distance_km != b.distance_km) {
      return a.distance_km < b.distance_km;
    }
    return a.restaurant.id < b.restaurant.id;
  });
  if (after) {
    auto first = std::find_if(nearby.begin(), nearby.end(),
                              [&](const auto& item) { return after_cursor(item, *after); });
    nearby.erase(nearby.begin(), first);
  }
  if (nearby.size() > limit) {
    nearby.resize(limit);
  }
  return nearby;
}

nlohmann::json staff_json(const StaffMember& member) {
  return {{"userId", member.user_id},
          {"email", member.email},
          {"displayName", member.display_name},
          {"addedAt", core::format_rfc3339(member.added_at)}};
}

bool is_staff(db::Session& session, const std::string& restaurant_id, const std::string& user_id) {
  return !session
              .execute("SELECT 1 FROM restaurant_staff WHERE restaurant_id = $1 AND user_id = $2",
                       {restaurant_id, user_id})
              .empty();
}

std::vector<StaffMember> list_staff(db::Session& session, const std::string& restaurant_id) {
  auto result = session.execute(
      "SELECT s.user_id, u.email, u.display_name, s.added_at FROM restaurant_staff s "
      "JOIN users u ON u.id = s.user_id WHERE s.restaurant_id = $1 ORDER BY s.added_at, s.user_id",
      {restaurant_id});
  std::vector<StaffMember> staff;
  for (const auto& row : result) {
    staff.push_back({row.get<std::string>("user_id"), row.get<std::string>("email"),
                     row.get<std::string>("display_name"),
                     core::from_unix_micros(row.get<std::int64_t>("added_at"))});
  }
  return staff;
}

bool add_staff(db::Session& session, const std::string& restaurant_id, const std::string& user_id,
               const std::string& added_by, core::Timestamp now) {
  auto result = session.execute(
      "INSERT INTO restaurant_staff (restaurant_id, user_id, added_by, added_at) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (restaurant_id, user_id) DO NOTHING",
      {restaurant_id, user_id, added_by, core::to_unix_micros(now)});
  return result.affected_rows() == 1;
}

bool remove_staff(db::Session& session, const std::string& restaurant_id,
                  const std::string& user_id) {
  auto result =
      session.execute("DELETE FROM restaurant_staff WHERE restaurant_id = $1 AND user_id = $2",
                      {restaurant_id, user_id});
  return result.affected_rows() == 1;
}

std::vector<std::pair<std::string, std::string>> staff_pairs(
    db::Session& session, const std::vector<std::string>& restaurant_ids) {
  std::vector<std::pair<std::string, std::string>> pairs;
  if (restaurant_ids.empty()) {
    return pairs;
  }
  db::Params params(restaurant_ids.begin(), restaurant_ids.end());
  auto result = session.execute(
      "SELECT restaurant_id, user_id FROM restaurant_staff WHERE restaurant_id IN (" +
          placeholders(1, restaurant_ids.size()) + ") ORDER BY restaurant_id, user_id",
      params);
  for (const auto& row : result) {
    pairs.emplace_back(row.get<std::string>(0), row.get<std::string>(1));
  }
  return pairs;
}

}  // namespace surplus::orders
