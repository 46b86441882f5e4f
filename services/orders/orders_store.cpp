#include "orders_store.hpp"

#include <spdlog/spdlog.h>

#include <surplus/core/error.hpp>
#include <surplus/db/error.hpp>
#include <surplus/events/outbox.hpp>

namespace surplus::orders {
namespace {

constexpr std::string_view kColumns =
    "id, customer_id, idempotency_key, request_hash, offer_id, quantity, restaurant_id, status, "
    "rejection_code, rejection_message, fulfilment, delivery_address, delivery_latitude, "
    "delivery_longitude, total_amount, currency, pickup_start, pickup_end, cancel_until, "
    "pickup_code, cancellation_reason, cancelled_by, delivery_id, delivery_status, courier_id, "
    "release_required, delivery_required, created_at, updated_at, confirmed_at, rejected_at, "
    "cancelled_at, collected_at, no_show_at, out_for_delivery_at, delivered_at, "
    "delivery_failed_at";

// The INSERT of a new order with kInsertOrderParams parameters (see order_insert_values),
// which does nothing when the customer already used the idempotency key.
constexpr std::string_view kInsertOrderSql =
    "INSERT INTO orders (id, customer_id, idempotency_key, request_hash, offer_id, quantity, "
    "status, fulfilment, delivery_address, delivery_latitude, delivery_longitude, pickup_code, "
    "created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) "
    "ON CONFLICT (customer_id, idempotency_key) DO NOTHING";
constexpr std::size_t kInsertOrderParams = 13;

// PENDING -> CONFIRMED, with parameters $1 to $8 as mark_confirmed binds them.
constexpr std::string_view kConfirmOrderSql =
    "UPDATE orders SET status = 'CONFIRMED', restaurant_id = $2, total_amount = $3, "
    "currency = $4, pickup_start = $5, pickup_end = $6, cancel_until = $5, "
    "delivery_required = $7, claimed_until = NULL, confirmed_at = $8, updated_at = $8 "
    "WHERE id = $1 AND status = 'PENDING'";

// "$first, $first+1, ..., $first+count-1".
std::string placeholders(std::size_t first, std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    text += (i == 0 ? "$" : ", $") + std::to_string(first + i);
  }
  return text;
}

// Runs one PostgreSQL statement in autocommit, a transaction of one round trip where BEGIN
// and COMMIT would add two. Callers pass only statements that are safe to repeat (an
// insert that skips a taken key, an update conditional on the status). So a retryable
// failure, or a pooled connection that the server closed, gets one more attempt.
db::Result execute_alone(db::Database& database, const std::string& sql, const db::Params& params) {
  try {
    return database.execute(sql, params);
  } catch (const db::DatabaseError& error) {
    if (!error.retryable() && error.code() != core::ErrorCode::kUnavailable) {
      throw;
    }
    spdlog::warn("order statement failed and is tried once more: {}", error.detail());
    return database.execute(sql, params);
  }
}

db::Params order_insert_values(const Order& order) {
  db::Value address = nullptr;
  db::Value latitude = nullptr;
  db::Value longitude = nullptr;
  if (order.delivery_address) {
    address = order.delivery_address->address;
    latitude = order.delivery_address->location.latitude;
    longitude = order.delivery_address->location.longitude;
  }
  return {order.id,
          order.customer_id,
          order.idempotency_key,
          order.request_hash,
          order.offer_id,
          order.quantity,
          std::string(order_status_name(order.status)),
          std::string(fulfilment_name(order.fulfilment)),
          address,
          latitude,
          longitude,
          order.pickup_code,
          core::to_unix_micros(order.created_at)};
}

std::string select_sql(std::string_view rest) {
  return "SELECT " + std::string(kColumns) + " FROM orders " + std::string(rest);
}

std::optional<core::Timestamp> optional_time(const db::Row& row, std::string_view column) {
  auto micros = row.get<std::optional<std::int64_t>>(column);
  if (!micros) {
    return std::nullopt;
  }
  return core::from_unix_micros(*micros);
}

db::Value time_value(const std::optional<core::Timestamp>& time) {
  if (!time) {
    return nullptr;
  }
  return core::to_unix_micros(*time);
}

Order order_from_row(const db::Row& row) {
  Order order;
  order.id = row.get<std::string>("id");
  order.customer_id = row.get<std::string>("customer_id");
  order.idempotency_key = row.get<std::string>("idempotency_key");
  order.request_hash = row.get<std::string>("request_hash");
  order.offer_id = row.get<std::string>("offer_id");
  order.quantity = row.get<std::int64_t>("quantity");
  order.restaurant_id = row.get<std::optional<std::string>>("restaurant_id");
  order.status = parse_order_status(row.get<std::string>("status")).value_or(OrderStatus::kPending);
  order.rejection_code = row.get<std::optional<std::string>>("rejection_code");
  order.rejection_message = row.get<std::optional<std::string>>("rejection_message");
  order.fulfilment =
      parse_fulfilment(row.get<std::string>("fulfilment")).value_or(Fulfilment::kPickup);
  if (auto address = row.get<std::optional<std::string>>("delivery_address")) {
    order.delivery_address = DeliveryAddress{
        *address, {row.get<double>("delivery_latitude"), row.get<double>("delivery_longitude")}};
  }
  auto total = row.get<std::optional<std::int64_t>>("total_amount");
  auto currency = row.get<std::optional<std::string>>("currency");
  if (total && currency) {
    order.total = core::Money{*total, *currency};
  }
  order.pickup_start = optional_time(row, "pickup_start");
  order.pickup_end = optional_time(row, "pickup_end");
  order.cancel_until = optional_time(row, "cancel_until");
  order.pickup_code = row.get<std::string>("pickup_code");
  order.cancellation_reason = row.get<std::optional<std::string>>("cancellation_reason");
  order.cancelled_by = row.get<std::optional<std::string>>("cancelled_by");
  order.delivery_id = row.get<std::optional<std::string>>("delivery_id");
  order.delivery_status = row.get<std::optional<std::string>>("delivery_status");
  order.courier_id = row.get<std::optional<std::string>>("courier_id");
  order.release_required = row.get<bool>("release_required");
  order.delivery_required = row.get<bool>("delivery_required");
  order.created_at = core::from_unix_micros(row.get<std::int64_t>("created_at"));
  order.updated_at = core::from_unix_micros(row.get<std::int64_t>("updated_at"));
  order.confirmed_at = optional_time(row, "confirmed_at");
  order.rejected_at = optional_time(row, "rejected_at");
  order.cancelled_at = optional_time(row, "cancelled_at");
  order.collected_at = optional_time(row, "collected_at");
  order.no_show_at = optional_time(row, "no_show_at");
  order.out_for_delivery_at = optional_time(row, "out_for_delivery_at");
  order.delivered_at = optional_time(row, "delivered_at");
  order.delivery_failed_at = optional_time(row, "delivery_failed_at");
  return order;
}

std::vector<OrderLine> lines_of(db::Session& session, const std::string& order_id) {
  auto rows = session.execute(
      "SELECT offer_id, quantity, title, unit_price_amount, original_unit_price_amount, currency "
      "FROM order_lines WHERE order_id = $1 ORDER BY line_number",
      {order_id});
  std::vector<OrderLine> lines;
  for (const auto& row : rows) {
    OrderLine line;
    line.offer_id = row.get<std::string>("offer_id");
    line.quantity = row.get<std::int64_t>("quantity");
    line.title = row.get<std::optional<std::string>>("title");
    auto currency = row.get<std::optional<std::string>>("currency");
    auto unit = row.get<std::optional<std::int64_t>>("unit_price_amount");
    auto original = row.get<std::optional<std::int64_t>>("original_unit_price_amount");
    if (currency && unit) {
      line.unit_price = core::Money{*unit, *currency};
    }
    if (currency && original) {
      line.original_unit_price = core::Money{*original, *currency};
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::optional<Order> with_lines(db::Session& session, const std::optional<db::Row>& row) {
  if (!row) {
    return std::nullopt;
  }
  Order order = order_from_row(*row);
  order.lines = lines_of(session, order.id);
  return order;
}

std::string_view timestamp_column(OrderStatus status) {
  switch (status) {
    case OrderStatus::kConfirmed:
      return "confirmed_at";
    case OrderStatus::kRejected:
      return "rejected_at";
    case OrderStatus::kCancelled:
      return "cancelled_at";
    case OrderStatus::kCollected:
      return "collected_at";
    case OrderStatus::kNoShow:
      return "no_show_at";
    case OrderStatus::kOutForDelivery:
      return "out_for_delivery_at";
    case OrderStatus::kDelivered:
      return "delivered_at";
    case OrderStatus::kDeliveryFailed:
      return "delivery_failed_at";
    case OrderStatus::kPending:
      break;
  }
  throw core::Error::internal("no order moves into PENDING");
}

std::vector<std::string> ids_from(const db::Result& result) {
  std::vector<std::string> ids;
  for (const auto& row : result) {
    ids.push_back(row.get<std::string>(0));
  }
  return ids;
}

}  // namespace

bool insert_order_once(db::Database& database, const Order& order, const events::Event& created) {
  db::Params params = order_insert_values(order);
  std::string line_rows;
  std::int64_t line_number = 1;
  for (const auto& line : order.lines) {
    line_rows += line_rows.empty() ? "" : ", ";
    line_rows += "(" + placeholders(params.size() + 1, 3) + ")";
    params.insert(params.end(), {line_number++, line.offer_id, line.quantity});
  }
  std::string event_placeholders = placeholders(params.size() + 1, 4);
  auto event_values = events::outbox_values(created);
  params.insert(params.end(), event_values.begin(), event_values.end());

  if (database.dialect() == db::Dialect::kPostgres) {
    // One statement, so the order, its lines and the event are written together or not
    // at all.
    std::string lines_insert;
    if (!line_rows.empty()) {
      lines_insert =
          "lines AS (INSERT INTO order_lines (order_id, line_number, offer_id, quantity) "
          "SELECT inserted.id, line.number, line.offer_id, line.quantity FROM inserted, (VALUES " +
          line_rows + ") AS line (number, offer_id, quantity)), ";
    }
    auto rows = execute_alone(
        database,
        "WITH inserted AS (" + std::string(kInsertOrderSql) + " RETURNING id), " + lines_insert +
            "event AS (INSERT INTO outbox (" + std::string(events::kOutboxColumns) + ") SELECT " +
            event_placeholders + " FROM inserted) SELECT id FROM inserted",
        params);
    return !rows.empty();
  }

  // SQLite has no data-modifying WITH, so the rows go one statement at a time. Its calls
  // do not leave the process, so the extra statements cost no round trips.
  db::Params order_params(params.begin(), params.begin() + kInsertOrderParams);
  return database.transaction([&](db::Session& session) {
    if (session.execute(std::string(kInsertOrderSql) + " RETURNING id", order_params).empty()) {
      return false;
    }
    std::int64_t number = 1;
    for (const auto& line : order.lines) {
      session.execute(
          "INSERT INTO order_lines (order_id, line_number, offer_id, quantity) "
          "VALUES ($1, $2, $3, $4)",
          {order.id, number++, line.offer_id, line.quantity});
    }
    events::write_to_outbox(session, created);
    return true;
  });
}

std::optional<Order> find_order(db::Session& session, const std::string& id) {
  return with_lines(session, session.execute(select_sql("WHERE id = $1"), {id}).maybe_one());
}

std::optional<Order> find_order_by_key(db::Session& session, const std::string& customer_id,
                                       const std::string& idempotency_key) {
  return with_lines(session,
                    session
                        .execute(select_sql("WHERE customer_id = $1 AND idempotency_key = $2"),
                                 {customer_id, idempotency_key})
                        .maybe_one());
}

Order confirmed_order(const Order& order, const ReservationSnapshot& snapshot,
                      core::Timestamp now) {
  Order confirmed = order;
  confirmed.status = OrderStatus::kConfirmed;
  confirmed.restaurant_id = snapshot.restaurant_id;
  confirmed.total = core::multiply(snapshot.unit_price, order.quantity);
  confirmed.pickup_start = snapshot.pickup_start;
  confirmed.pickup_end = snapshot.pickup_end;
  confirmed.cancel_until = snapshot.pickup_start;
  confirmed.delivery_required = order.fulfilment == Fulfilment::kDelivery;
  confirmed.confirmed_at = now;
  confirmed.updated_at = now;
  for (auto& line : confirmed.lines) {
    line.title = snapshot.title;
    line.unit_price = snapshot.unit_price;
    line.original_unit_price = snapshot.original_unit_price;
  }
  return confirmed;
}

bool mark_confirmed(db::Database& database, const Order& confirmed,
                    const ReservationSnapshot& snapshot, const events::Event& event) {
  if (!confirmed.total || !confirmed.pickup_start || !confirmed.pickup_end ||
      !confirmed.confirmed_at) {
    throw core::Error::internal("order " + confirmed.id +
                                " was not built by confirmed_order before mark_confirmed");
  }
  db::Params params{confirmed.id,
                    db::nullable(confirmed.restaurant_id),
                    confirmed.total->amount,
                    confirmed.total->currency,
                    core::to_unix_micros(*confirmed.pickup_start),
                    core::to_unix_micros(*confirmed.pickup_end),
                    confirmed.delivery_required,
                    core::to_unix_micros(*confirmed.confirmed_at),
                    snapshot.title,
                    snapshot.unit_price.amount,
                    snapshot.original_unit_price.amount,
                    snapshot.unit_price.currency};
  auto event_values = events::outbox_values(event);
  params.insert(params.end(), event_values.begin(), event_values.end());

  if (database.dialect() == db::Dialect::kPostgres) {
    // One statement, as in insert_order_once. The lines and the event are written only
    // when the order was still PENDING.
    auto rows = execute_alone(database,
                              "WITH confirmed AS (" + std::string(kConfirmOrderSql) +
                                  " RETURNING id), "
                                  "lines AS (UPDATE order_lines SET title = $9, "
                                  "unit_price_amount = $10, original_unit_price_amount = $11, "
                                  "currency = $12 WHERE order_id IN (SELECT id FROM confirmed)), "
                                  "event AS (INSERT INTO outbox (" +
                                  std::string(events::kOutboxColumns) +
                                  ") SELECT $13, $14, $15, $16 FROM confirmed) "
                                  "SELECT id FROM confirmed",
                              params);
    return !rows.empty();
  }

  db::Params order_params(params.begin(), params.begin() + 8);
  return database.transaction([&](db::Session& session) {
    if (session.execute(kConfirmOrderSql, order_params).affected_rows() == 0) {
      return false;
    }
    session.execute(
        "UPDATE order_lines SET title = $2, unit_price_amount = $3, "
        "original_unit_price_amount = $4, currency = $5 WHERE order_id = $1",
        {confirmed.id, params[8], params[9], params[10], params[11]});
    events::write_to_outbox(session, event);
    return true;
  });
}

bool mark_rejected(db::Session& session, const std::string& order_id, const std::string& code,
                   const std::string& message, core::Timestamp now) {
  auto updated = session.execute(
      "UPDATE orders SET status = 'REJECTED', rejection_code = $2, rejection_message = $3, "
      "release_required = TRUE, claimed_until = NULL, rejected_at = $4, updated_at = $4 "
      "WHERE id = $1 AND status = 'PENDING'",
      {order_id, code, message, core::to_unix_micros(now)});
  return updated.affected_rows() > 0;
}

bool mark_transition(db::Session& session, const std::string& order_id, OrderStatus from,
                     OrderStatus to, const TransitionChange& change, core::Timestamp now) {
  std::string column(timestamp_column(to));
  auto updated =
      session.execute("UPDATE orders SET status = $3, " + column +
                          " = $4, updated_at = $4, "
                          "cancellation_reason = COALESCE($5, cancellation_reason), "
                          "cancelled_by = COALESCE($6, cancelled_by), "
                          "release_required = (release_required OR $7), "
                          "delivery_status = COALESCE($8, delivery_status) "
                          "WHERE id = $1 AND status = $2",
                      {order_id, std::string(order_status_name(from)),
                       std::string(order_status_name(to)), core::to_unix_micros(now),
                       db::nullable(change.cancellation_reason), db::nullable(change.cancelled_by),
                       change.release_reservation, db::nullable(change.delivery_status)});
  return updated.affected_rows() > 0;
}

std::vector<Order> list_orders(db::Session& session, const OrderFilter& filter,
                               const std::optional<std::string>& before_id, std::size_t limit) {
  std::string where = "WHERE 1 = 1";
  db::Params params;
  auto add = [&](std::string_view condition, db::Value value) {
    params.push_back(std::move(value));
    where += " AND " + std::string(condition) + " $" + std::to_string(params.size());
  };
  if (filter.customer_id) {
    add("customer_id =", *filter.customer_id);
  }
  if (filter.restaurant_id) {
    add("restaurant_id =", *filter.restaurant_id);
  }
  if (filter.status) {
    add("status =", std::string(order_status_name(*filter.status)));
  }
  if (before_id) {
    add("id <", *before_id);
  }
  params.push_back(static_cast<std::int64_t>(limit));
  auto rows = session.execute(
      select_sql(where + " ORDER BY id DESC LIMIT $" + std::to_string(params.size())), params);
  std::vector<Order> orders;
  for (const auto& row : rows) {
    Order order = order_from_row(row);
    order.lines = lines_of(session, order.id);
    orders.push_back(std::move(order));
  }
  return orders;
}

std::vector<std::string> pending_candidates(db::Session& session, core::Timestamp created_before,
                                            core::Timestamp now, std::size_t limit) {
  return ids_from(session.execute(
      "SELECT id FROM orders WHERE status = 'PENDING' AND created_at <= $1 "
      "AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY created_at LIMIT $3",
      {core::to_unix_micros(created_before), core::to_unix_micros(now),
       static_cast<std::int64_t>(limit)}));
}

bool claim_pending(db::Session& session, const std::string& order_id, core::Timestamp now,
                   core::Timestamp until) {
  auto updated = session.execute(
      "UPDATE orders SET claimed_until = $3, reconcile_attempts = reconcile_attempts + 1 "
      "WHERE id = $1 AND status = 'PENDING' AND (claimed_until IS NULL OR claimed_until < $2)",
      {order_id, core::to_unix_micros(now), core::to_unix_micros(until)});
  return updated.affected_rows() > 0;
}

std::vector<std::string> orders_requiring_release(db::Session& session, std::size_t limit) {
  return ids_from(
      session.execute("SELECT id FROM orders WHERE release_required ORDER BY id LIMIT $1",
                      {static_cast<std::int64_t>(limit)}));
}

void clear_release_required(db::Session& session, const std::string& order_id) {
  session.execute("UPDATE orders SET release_required = FALSE WHERE id = $1", {order_id});
}

std::vector<std::string> orders_requiring_delivery(db::Session& session, std::size_t limit) {
  return ids_from(
      session.execute("SELECT id FROM orders WHERE delivery_required AND status = 'CONFIRMED' "
                      "AND delivery_id IS NULL ORDER BY id LIMIT $1",
                      {static_cast<std::int64_t>(limit)}));
}

void record_delivery(db::Session& session, const std::string& order_id,
                     const std::string& delivery_id, const std::string& delivery_status,
                     const std::optional<std::string>& courier_id, core::Timestamp now) {
  session.execute(
      "UPDATE orders SET delivery_id = $2, delivery_status = $3, "
      "courier_id = COALESCE($4, courier_id), delivery_required = FALSE, updated_at = $5 "
      "WHERE id = $1",
      {order_id, delivery_id, delivery_status, db::nullable(courier_id),
       core::to_unix_micros(now)});
}

std::vector<Order> orders_following_delivery(db::Session& session, std::size_t limit) {
  auto rows = session.execute(
      select_sql("WHERE fulfilment = 'DELIVERY' AND delivery_id IS NOT NULL AND ("
                 "status IN ('CONFIRMED', 'OUT_FOR_DELIVERY') OR (status = 'CANCELLED' AND "
                 "delivery_status NOT IN ('CANCELLED', 'DELIVERED', 'FAILED'))) "
                 "ORDER BY id LIMIT $1"),
      {static_cast<std::int64_t>(limit)});
  std::vector<Order> orders;
  for (const auto& row : rows) {
    orders.push_back(order_from_row(row));
  }
  return orders;
}

std::vector<std::string> orders_past_pickup(db::Session& session, core::Timestamp now,
                                            std::size_t limit) {
  return ids_from(
      session.execute("SELECT id FROM orders WHERE status = 'CONFIRMED' AND fulfilment = 'PICKUP' "
                      "AND pickup_end <= $1 ORDER BY pickup_end LIMIT $2",
                      {core::to_unix_micros(now), static_cast<std::int64_t>(limit)}));
}

CodeFailures code_failures(db::Session& session, const std::string& order_id) {
  auto row =
      session
          .execute("SELECT code_failures, code_window_start FROM orders WHERE id = $1", {order_id})
          .one();
  return {row.get<int>("code_failures"), optional_time(row, "code_window_start")};
}

void record_code_failure(db::Session& session, const std::string& order_id, int failures,
                         core::Timestamp window_start) {
  session.execute("UPDATE orders SET code_failures = $2, code_window_start = $3 WHERE id = $1",
                  {order_id, static_cast<std::int64_t>(failures), time_value(window_start)});
}

bool insert_rating(db::Session& session, const Rating& rating) {
  auto inserted = session.execute(
      "INSERT INTO order_ratings (order_id, restaurant_id, customer_id, stars, comment, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING",
      {rating.order_id, rating.restaurant_id, rating.customer_id,
       static_cast<std::int64_t>(rating.stars), db::nullable(rating.comment),
       core::to_unix_micros(rating.created_at)});
  if (inserted.affected_rows() == 0) {
    return false;
  }
  session.execute(
      "UPDATE restaurants SET rating_count = rating_count + 1, rating_sum = rating_sum + $2 "
      "WHERE id = $1",
      {rating.restaurant_id, static_cast<std::int64_t>(rating.stars)});
  return true;
}

std::optional<Rating> find_rating(db::Session& session, const std::string& order_id) {
  auto row = session
                 .execute(
                     "SELECT order_id, restaurant_id, customer_id, stars, comment, created_at "
                     "FROM order_ratings WHERE order_id = $1",
                     {order_id})
                 .maybe_one();
  if (!row) {
    return std::nullopt;
  }
  return Rating{row->get<std::string>("order_id"),
                row->get<std::string>("restaurant_id"),
                row->get<std::string>("customer_id"),
                row->get<int>("stars"),
                row->get<std::optional<std::string>>("comment"),
                core::from_unix_micros(row->get<std::int64_t>("created_at"))};
}

}  // namespace surplus::orders
