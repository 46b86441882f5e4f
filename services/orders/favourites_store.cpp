#include "favourites_store.hpp"

namespace surplus::orders {

bool add_favourite(db::Session& session, const std::string& user_id,
                   const std::string& restaurant_id, core::Timestamp now) {
  auto result = session.execute(
      "INSERT INTO favourites (user_id, restaurant_id, created_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (user_id, restaurant_id) DO NOTHING",
      {user_id, restaurant_id, core::to_unix_micros(now)});
  return result.affected_rows() == 1;
}

bool remove_favourite(db::Session& session, const std::string& user_id,
                      const std::string& restaurant_id) {
  auto result = session.execute("DELETE FROM favourites WHERE user_id = $1 AND restaurant_id = $2",
                                {user_id, restaurant_id});
  return result.affected_rows() == 1;
}

std::vector<Favourite> list_favourites(
    db::Session& session, const std::string& user_id,
    const std::optional<std::pair<std::int64_t, std::string>>& after, std::size_t limit) {
  db::Value after_time = nullptr;
  db::Value after_id = nullptr;
  if (after) {
    after_time = after->first;
    after_id = after->second;
  }
  auto result = session.execute(
      "SELECT f.created_at AS added_at, r.id, r.name, r.description, r.category, r.address, "
      "r.latitude, r.longitude, r.phone, r.time_zone, r.created_by, r.created_at, r.updated_at, "
      "r.rating_count, r.rating_sum "
      "FROM favourites f JOIN restaurants r ON r.id = f.restaurant_id "
      "WHERE f.user_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR f.created_at < $2 "
      "OR (f.created_at = $2 AND f.restaurant_id < $3)) "
      "ORDER BY f.created_at DESC, f.restaurant_id DESC LIMIT $4",
      {user_id, after_time, after_id, static_cast<std::int64_t>(limit)});
  std::vector<Favourite> favourites;
  for (const auto& row : result) {
    Restaurant restaurant = restaurant_from_row(row);
    favourites.push_back(
        {std::move(restaurant), core::from_unix_micros(row.get<std::int64_t>("added_at"))});
  }
  return favourites;
}

}  // namespace surplus::orders
