#include "couriers.hpp"

#include <array>
#include <utility>

#include "outbox_writer.hpp"

namespace surplus::offers {
namespace {

constexpr std::string_view kColumns =
    "id, name, vehicle, status, latitude, longitude, location_at, created_at, updated_at";

constexpr std::array<std::pair<CourierStatus, std::string_view>, 3> kStatuses{{
    {CourierStatus::kOffline, "OFFLINE"},
    {CourierStatus::kAvailable, "AVAILABLE"},
    {CourierStatus::kBusy, "BUSY"},
}};

Courier courier_from_row(const db::Row& row) {
  Courier courier;
  courier.id = row.get<std::string>("id");
  courier.name = row.get<std::string>("name");
  courier.vehicle = parse_vehicle(row.get<std::string>("vehicle")).value_or(Vehicle::kBike);
  courier.status =
      parse_courier_status(row.get<std::string>("status")).value_or(CourierStatus::kOffline);
  auto latitude = row.get<std::optional<double>>("latitude");
  auto longitude = row.get<std::optional<double>>("longitude");
  if (latitude && longitude) {
    courier.location = core::GeoPoint{*latitude, *longitude};
  }
  if (auto at = row.get<std::optional<std::int64_t>>("location_at")) {
    courier.location_at = core::from_unix_micros(*at);
  }
  courier.created_at = core::from_unix_micros(row.get<std::int64_t>("created_at"));
  courier.updated_at = core::from_unix_micros(row.get<std::int64_t>("updated_at"));
  return courier;
}

std::string select_sql(std::string_view where) {
  return "SELECT " + std::string(kColumns) + " FROM couriers " + std::string(where);
}

}  // namespace

std::string_view courier_status_name(CourierStatus status) {
  for (const auto& [entry, name] : kStatuses) {
    if (entry == status) {
      return name;
    }
  }
  return "OFFLINE";
}

std::optional<CourierStatus> parse_courier_status(std::string_view name) {
  for (const auto& [entry, entry_name] : kStatuses) {
    if (entry_name == name) {
      return entry;
    }
  }
  return std::nullopt;
}

nlohmann::json courier_json(const Courier& courier) {
  nlohmann::json json{{"id", courier.id},
                      {"name", courier.name},
                      {"vehicle", vehicle_name(courier.vehicle)},
                      {"status", courier_status_name(courier.status)},
                      {"location", nullptr},
                      {"locationAt", nullptr},
                      {"createdAt", core::format_rfc3339(courier.created_at)},
                      {"updatedAt", core::format_rfc3339(courier.updated_at)}};
  if (courier.location) {
    json["location"] = {{"latitude", courier.location->latitude},
                        {"longitude", courier.location->longitude}};
  }
  if (courier.location_at) {
    json["locationAt"] = core::format_rfc3339(*courier.location_at);
  }
  return json;
}

std::pair<Courier, bool> upsert_courier(db::Session& session, const Courier& courier) {
  auto inserted = session.execute(
      "INSERT INTO couriers (id, name, vehicle, status, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (id) DO NOTHING RETURNING " +
          std::string(kColumns),
      {courier.id, courier.name, std::string(vehicle_name(courier.vehicle)),
       std::string(courier_status_name(courier.status)), core::to_unix_micros(courier.created_at)});
  if (!inserted.empty()) {
    return {courier_from_row(inserted.one()), true};
  }
  auto updated = session.execute(
      "UPDATE couriers SET name = $2, vehicle = $3, updated_at = $4 WHERE id = $1 RETURNING " +
          std::string(kColumns),
      {courier.id, courier.name, std::string(vehicle_name(courier.vehicle)),
       core::to_unix_micros(courier.created_at)});
  return {courier_from_row(updated.one()), false};
}

std::optional<Courier> find_courier(db::Session& session, std::string_view id) {
  auto row = session.execute(select_sql("WHERE id = $1"), {std::string(id)}).maybe_one();
  if (!row) {
    return std::nullopt;
  }
  return courier_from_row(*row);
}

std::optional<Courier> update_courier(db::Session& session, std::string_view id,
                                      std::optional<CourierStatus> status,
                                      std::optional<Vehicle> vehicle, core::Timestamp now) {
  auto result = session.execute(
      "UPDATE couriers SET status = COALESCE($2, status), vehicle = COALESCE($3, vehicle), "
      "updated_at = $4 WHERE id = $1 RETURNING " +
          std::string(kColumns),
      {std::string(id),
       status ? db::Value(std::string(courier_status_name(*status))) : db::Value(nullptr),
       vehicle ? db::Value(std::string(vehicle_name(*vehicle))) : db::Value(nullptr),
       core::to_unix_micros(now)});
  if (result.empty()) {
    return std::nullopt;
  }
  return courier_from_row(result.one());
}

std::optional<Courier> record_courier_location(db::Session& session, std::string_view id,
                                               core::GeoPoint location, core::Timestamp now) {
  auto result = session.execute(
      "UPDATE couriers SET latitude = $2, longitude = $3, location_at = $4, updated_at = $4 "
      "WHERE id = $1 RETURNING " +
          std::string(kColumns),
      {std::string(id), location.latitude, location.longitude, core::to_unix_micros(now)});
  if (result.empty()) {
    return std::nullopt;
  }
  Courier courier = courier_from_row(result.one());

  std::vector<std::string> channels{"courier:" + courier.id};
  auto open = session.execute(
      "SELECT order_id FROM deliveries WHERE courier_id = $1 "
      "AND status IN ('ASSIGNED', 'PICKED_UP') ORDER BY order_id",
      {courier.id});
  for (const auto& row : open) {
    channels.push_back("order:" + row.get<std::string>(0));
  }
  write_event(session, kCourierLocation, std::move(channels),
              {{"courierId", courier.id},
               {"location", {{"latitude", location.latitude}, {"longitude", location.longitude}}},
               {"at", core::format_rfc3339(now)}},
              now);
  return courier;
}

std::vector<Courier> list_couriers(db::Session& session, std::optional<CourierStatus> status,
                                   const std::optional<std::string>& after_id, std::size_t limit) {
  std::string where = "WHERE 1 = 1";
  db::Params params;
  if (status) {
    params.emplace_back(std::string(courier_status_name(*status)));
    where += " AND status = $" + std::to_string(params.size());
  }
  if (after_id) {
    params.emplace_back(*after_id);
    where += " AND id > $" + std::to_string(params.size());
  }
  params.emplace_back(static_cast<std::int64_t>(limit));
  where += " ORDER BY id LIMIT $" + std::to_string(params.size());
  std::vector<Courier> couriers;
  for (const auto& row : session.execute(select_sql(where), params)) {
    couriers.push_back(courier_from_row(row));
  }
  return couriers;
}

std::optional<std::pair<Courier, double>> nearest_available_courier(db::Session& session,
                                                                    core::GeoPoint point,
                                                                    core::Timestamp fresh_since) {
  // Couriers number in the hundreds per city, so every fresh AVAILABLE one is compared.
  auto result = session.execute(
      select_sql("WHERE status = 'AVAILABLE' AND latitude IS NOT NULL AND location_at >= $1 "
                 "ORDER BY id"),
      {core::to_unix_micros(fresh_since)});
  std::optional<std::pair<Courier, double>> nearest;
  for (const auto& row : result) {
    Courier courier = courier_from_row(row);
    double km = core::haversine_km(point, *courier.location);
    if (!nearest || km < nearest->second) {
      nearest.emplace(std::move(courier), km);
    }
  }
  return nearest;
}

}  // namespace surplus::offers
