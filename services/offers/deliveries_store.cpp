#include "deliveries_store.hpp"

namespace surplus::offers {
namespace {

constexpr std::string_view kColumns =
    "id, order_id, restaurant_id, customer_id, courier_id, status, pickup_latitude, "
    "pickup_longitude, dropoff_latitude, dropoff_longitude, dropoff_address, proof_code, "
    "failure_reason, created_at, updated_at, assigned_at, picked_up_at, finished_at";

std::optional<core::Timestamp> optional_time(const db::Row& row, std::string_view column) {
  if (auto micros = row.get<std::optional<std::int64_t>>(column)) {
    return core::from_unix_micros(*micros);
  }
  return std::nullopt;
}

Delivery delivery_from_row(const db::Row& row) {
  Delivery delivery;
  delivery.id = row.get<std::string>("id");
  delivery.order_id = row.get<std::string>("order_id");
  delivery.restaurant_id = row.get<std::string>("restaurant_id");
  delivery.customer_id = row.get<std::string>("customer_id");
  delivery.courier_id = row.get<std::optional<std::string>>("courier_id");
  delivery.status =
      parse_delivery_status(row.get<std::string>("status")).value_or(DeliveryStatus::kPending);
  delivery.pickup = {row.get<double>("pickup_latitude"), row.get<double>("pickup_longitude")};
  delivery.dropoff = {row.get<double>("dropoff_latitude"), row.get<double>("dropoff_longitude")};
  delivery.dropoff_address = row.get<std::string>("dropoff_address");
  delivery.proof_code = row.get<std::string>("proof_code");
  delivery.failure_reason = row.get<std::optional<std::string>>("failure_reason");
  delivery.created_at = core::from_unix_micros(row.get<std::int64_t>("created_at"));
  delivery.updated_at = core::from_unix_micros(row.get<std::int64_t>("updated_at"));
  delivery.assigned_at = optional_time(row, "assigned_at");
  delivery.picked_up_at = optional_time(row, "picked_up_at");
  delivery.finished_at = optional_time(row, "finished_at");
  return delivery;
}

std::optional<Delivery> maybe_delivery(const db::Result& result) {
  if (result.empty()) {
    return std::nullopt;
  }
  return delivery_from_row(result.one());
}

std::string returning() {
  return " RETURNING " + std::string(kColumns);
}

}  // namespace

std::pair<Delivery, bool> insert_delivery_once(db::Session& session, const Delivery& delivery) {
  auto inserted = session.execute(
      "INSERT INTO deliveries (id, order_id, restaurant_id, customer_id, status, "
      "pickup_latitude, pickup_longitude, dropoff_latitude, dropoff_longitude, "
      "dropoff_address, proof_code, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, 'PENDING', $5, $6, $7, $8, $9, $10, $11, $11) "
      "ON CONFLICT (order_id) DO NOTHING" +
          returning(),
      {delivery.id, delivery.order_id, delivery.restaurant_id, delivery.customer_id,
       delivery.pickup.latitude, delivery.pickup.longitude, delivery.dropoff.latitude,
       delivery.dropoff.longitude, delivery.dropoff_address, delivery.proof_code,
       core::to_unix_micros(delivery.created_at)});
  if (!inserted.empty()) {
    return {delivery_from_row(inserted.one()), true};
  }
  auto existing =
      session.execute("SELECT " + std::string(kColumns) + " FROM deliveries WHERE order_id = $1",
                      {delivery.order_id});
  return {delivery_from_row(existing.one()), false};
}

std::optional<Delivery> find_delivery(db::Session& session, std::string_view id) {
  return maybe_delivery(session.execute(
      "SELECT " + std::string(kColumns) + " FROM deliveries WHERE id = $1", {std::string(id)}));
}

std::optional<Delivery> find_delivery_by_order(db::Session& session, std::string_view order_id) {
  return maybe_delivery(
      session.execute("SELECT " + std::string(kColumns) + " FROM deliveries WHERE order_id = $1",
                      {std::string(order_id)}));
}

std::optional<Delivery> assign_courier(db::Session& session, std::string_view id,
                                       std::string_view courier_id, core::Timestamp now) {
  return maybe_delivery(session.execute(
      "UPDATE deliveries SET courier_id = $2, status = 'ASSIGNED', assigned_at = $3, "
      "updated_at = $3 WHERE id = $1 AND status IN ('PENDING', 'ASSIGNED')" +
          returning(),
      {std::string(id), std::string(courier_id), core::to_unix_micros(now)}));
}

std::optional<Delivery> move_delivery(db::Session& session, std::string_view id,
                                      DeliveryStatus from, DeliveryStatus to,
                                      const std::optional<std::string>& failure_reason,
                                      core::Timestamp now) {
  std::string stamp = to == DeliveryStatus::kPickedUp ? "picked_up_at" : "finished_at";
  return maybe_delivery(session.execute(
      "UPDATE deliveries SET status = $3, failure_reason = COALESCE($4, failure_reason), " + stamp +
          " = $5, updated_at = $5 WHERE id = $1 AND status = $2" + returning(),
      {std::string(id), std::string(delivery_status_name(from)),
       std::string(delivery_status_name(to)), db::nullable(failure_reason),
       core::to_unix_micros(now)}));
}

std::vector<Delivery> open_deliveries(db::Session& session, std::string_view courier_id) {
  std::vector<Delivery> deliveries;
  for (const auto& row : session.execute("SELECT " + std::string(kColumns) +
                                             " FROM deliveries WHERE courier_id = $1 AND "
                                             "status IN ('ASSIGNED', 'PICKED_UP') "
                                             "ORDER BY assigned_at, id",
                                         {std::string(courier_id)})) {
    deliveries.push_back(delivery_from_row(row));
  }
  return deliveries;
}

std::vector<Delivery> list_deliveries(db::Session& session,
                                      const std::optional<std::string>& courier_id,
                                      std::optional<DeliveryStatus> status,
                                      const std::optional<std::string>& after_id,
                                      std::size_t limit) {
  std::string sql = "SELECT " + std::string(kColumns) + " FROM deliveries WHERE 1 = 1";
  db::Params params;
  auto add = [&](const std::string& condition, db::Value value) {
    params.push_back(std::move(value));
    sql += " AND " + condition + std::to_string(params.size());
  };
  if (courier_id) {
    add("courier_id = $", *courier_id);
  }
  if (status) {
    add("status = $", std::string(delivery_status_name(*status)));
  }
  if (after_id) {
    add("id > $", *after_id);
  }
  params.emplace_back(static_cast<std::int64_t>(limit));
  sql += " ORDER BY id LIMIT $" + std::to_string(params.size());
  std::vector<Delivery> deliveries;
  for (const auto& row : session.execute(sql, params)) {
    deliveries.push_back(delivery_from_row(row));
  }
  return deliveries;
}

}  // namespace surplus::offers
