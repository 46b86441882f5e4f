#include "offers_store.hpp"

#include "offer_search.hpp"

namespace surplus::offers {
namespace {

std::string status_list(const std::vector<OfferStatus>& statuses) {
  std::string list;
  for (auto status : statuses) {
    list += list.empty() ? "'" : ", '";
    list += offer_status_name(status);
    list += "'";
  }
  return list;
}

}  // namespace

const std::string_view kOfferColumns =
    "id, restaurant_id, kind, product_id, title, description, category, dietary_tags, "
    "price_amount, original_amount, currency, quantity_total, quantity_available, "
    "max_per_customer, pickup_start, pickup_end, latitude, longitude, status, created_by, "
    "created_at, updated_at, published_at";

Offer offer_from_row(const db::Row& row) {
  Offer offer;
  offer.id = row.get<std::string>("id");
  offer.restaurant_id = row.get<std::string>("restaurant_id");
  offer.kind = parse_offer_kind(row.get<std::string>("kind")).value_or(OfferKind::kSurpriseBag);
  offer.product_id = row.get<std::optional<std::string>>("product_id");
  offer.title = row.get<std::string>("title");
  offer.description = row.get<std::string>("description");
  offer.category = row.get<std::string>("category");
  offer.dietary_tags = decode_tags(row.get<std::string>("dietary_tags"));
  std::string currency = row.get<std::string>("currency");
  offer.price = {row.get<std::int64_t>("price_amount"), currency};
  offer.original_value = {row.get<std::int64_t>("original_amount"), currency};
  offer.quantity_total = row.get<std::int64_t>("quantity_total");
  offer.quantity_available = row.get<std::int64_t>("quantity_available");
  offer.max_per_customer = row.get<std::int64_t>("max_per_customer");
  offer.pickup = {core::from_unix_micros(row.get<std::int64_t>("pickup_start")),
                  core::from_unix_micros(row.get<std::int64_t>("pickup_end"))};
  auto latitude = row.get<std::optional<double>>("latitude");
  auto longitude = row.get<std::optional<double>>("longitude");
  if (latitude && longitude) {
    offer.location = core::GeoPoint{*latitude, *longitude};
  }
  offer.status = parse_offer_status(row.get<std::string>("status")).value_or(OfferStatus::kDraft);
  offer.created_by = row.get<std::string>("created_by");
  offer.created_at = core::from_unix_micros(row.get<std::int64_t>("created_at"));
  offer.updated_at = core::from_unix_micros(row.get<std::int64_t>("updated_at"));
  if (auto published = row.get<std::optional<std::int64_t>>("published_at")) {
    offer.published_at = core::from_unix_micros(*published);
  }
  return offer;
}

namespace {

constexpr std::string_view kInsertOfferSql =
    "INSERT INTO offers (id, restaurant_id, kind, product_id, title, description, category, "
    "dietary_tags, price_amount, original_amount, currency, quantity_total, "
    "quantity_available, max_per_customer, pickup_start, pickup_end, status, created_by, "
    "created_at, updated_at, idempotency_key, idempotency_body) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
    "$18, $19, $20, $21, $22)";

db::Params offer_insert_values(const Offer& offer, const CreateRequest* request) {
  return {offer.id,
          offer.restaurant_id,
          std::string(offer_kind_name(offer.kind)),
          db::nullable(offer.product_id),
          offer.title,
          offer.description,
          offer.category,
          encode_tags(offer.dietary_tags),
          offer.price.amount,
          offer.original_value.amount,
          offer.price.currency,
          offer.quantity_total,
          offer.quantity_available,
          offer.max_per_customer,
          core::to_unix_micros(offer.pickup.start),
          core::to_unix_micros(offer.pickup.end),
          std::string(offer_status_name(offer.status)),
          offer.created_by,
          core::to_unix_micros(offer.created_at),
          core::to_unix_micros(offer.updated_at),
          request != nullptr ? db::Value(request->key) : db::Value(nullptr),
          request != nullptr ? db::Value(request->body) : db::Value(nullptr)};
}

}  // namespace

void insert_offer(db::Session& session, const Offer& offer) {
  session.execute(kInsertOfferSql, offer_insert_values(offer, nullptr));
}

bool insert_offer_once(db::Session& session, const Offer& offer, const CreateRequest& request) {
  const auto inserted = session.execute(std::string(kInsertOfferSql) +
                                            " ON CONFLICT (restaurant_id, idempotency_key) "
                                            "DO NOTHING RETURNING id",
                                        offer_insert_values(offer, &request));
  return !inserted.rows().empty();
}

std::optional<KeyedOffer> find_offer_by_key(db::Session& session, std::string_view restaurant_id,
                                            std::string_view key) {
  auto row = session
                 .execute("SELECT " + std::string(kOfferColumns) +
                              ", idempotency_body FROM offers "
                              "WHERE restaurant_id = $1 AND idempotency_key = $2",
                          {std::string(restaurant_id), std::string(key)})
                 .maybe_one();
  if (!row) {
    return std::nullopt;
  }
  return KeyedOffer{offer_from_row(*row), row->get<std::string>("idempotency_body")};
}

std::optional<Offer> find_offer(db::Session& session, std::string_view id) {
  auto row = session
                 .execute("SELECT " + std::string(kOfferColumns) + " FROM offers WHERE id = $1",
                          {std::string(id)})
                 .maybe_one();
  if (!row) {
    return std::nullopt;
  }
  return offer_from_row(*row);
}

bool update_draft(db::Session& session, const Offer& offer) {
  auto result = session.execute(
      "UPDATE offers SET kind = $2, product_id = $3, title = $4, description = $5, "
      "category = $6, dietary_tags = $7, price_amount = $8, original_amount = $9, "
      "currency = $10, quantity_total = $11, quantity_available = $11, "
      "max_per_customer = $12, pickup_start = $13, pickup_end = $14, updated_at = $15 "
      "WHERE id = $1 AND status = 'DRAFT'",
      {offer.id, std::string(offer_kind_name(offer.kind)), db::nullable(offer.product_id),
       offer.title, offer.description, offer.category, encode_tags(offer.dietary_tags),
       offer.price.amount, offer.original_value.amount, offer.price.currency, offer.quantity_total,
       offer.max_per_customer, core::to_unix_micros(offer.pickup.start),
       core::to_unix_micros(offer.pickup.end), core::to_unix_micros(offer.updated_at)});
  return result.affected_rows() == 1;
}

std::optional<Offer> update_live_offer(db::Session& session, const Offer& offer,
                                       core::Timestamp now) {
  auto result = session.execute(
      "UPDATE offers SET title = $2, description = $3, category = $4, dietary_tags = $5, "
      "price_amount = $6, original_amount = $7, currency = $8, max_per_customer = $9, "
      "pickup_start = $10, pickup_end = $11, updated_at = $12 "
      "WHERE id = $1 AND status IN ('ACTIVE', 'SOLD_OUT') AND pickup_end > $12 "
      "RETURNING " +
          std::string(kOfferColumns),
      {offer.id, offer.title, offer.description, offer.category, encode_tags(offer.dietary_tags),
       offer.price.amount, offer.original_value.amount, offer.price.currency,
       offer.max_per_customer, core::to_unix_micros(offer.pickup.start),
       core::to_unix_micros(offer.pickup.end), core::to_unix_micros(now)});
  if (result.empty()) {
    return std::nullopt;
  }
  return offer_from_row(result.one());
}

std::optional<Offer> mark_published(db::Session& session, std::string_view id,
                                    core::GeoPoint location, core::Timestamp now) {
  auto micros = core::to_unix_micros(now);
  auto result = session.execute(
      "UPDATE offers SET status = 'ACTIVE', latitude = $2, longitude = $3, latitude_cell = $5, "
      "published_at = $4, updated_at = $4, quantity_available = quantity_total "
      "WHERE id = $1 AND status = 'DRAFT' RETURNING " +
          std::string(kOfferColumns),
      {std::string(id), location.latitude, location.longitude, micros,
       latitude_cell(location.latitude)});
  if (result.empty()) {
    return std::nullopt;
  }
  return offer_from_row(result.one());
}

std::vector<Offer> move_live_offers(db::Session& session, std::string_view restaurant_id,
                                    core::GeoPoint location, core::Timestamp now) {
  auto result = session.execute(
      "UPDATE offers SET latitude = $2, longitude = $3, latitude_cell = $4, updated_at = $5 "
      "WHERE restaurant_id = $1 AND status IN ('ACTIVE', 'SOLD_OUT') "
      "AND (latitude <> $2 OR longitude <> $3) RETURNING " +
          std::string(kOfferColumns),
      {std::string(restaurant_id), location.latitude, location.longitude,
       latitude_cell(location.latitude), core::to_unix_micros(now)});
  std::vector<Offer> moved;
  for (const auto& row : result) {
    moved.push_back(offer_from_row(row));
  }
  return moved;
}

std::optional<Offer> change_status(db::Session& session, std::string_view id,
                                   const std::vector<OfferStatus>& from, OfferStatus to,
                                   core::Timestamp now) {
  auto result = session.execute(
      "UPDATE offers SET status = $2, updated_at = $3 WHERE id = $1 AND status IN (" +
          status_list(from) + ") RETURNING " + std::string(kOfferColumns),
      {std::string(id), std::string(offer_status_name(to)), core::to_unix_micros(now)});
  if (result.empty()) {
    return std::nullopt;
  }
  return offer_from_row(result.one());
}

std::vector<Offer> list_restaurant_offers(db::Session& session, std::string_view restaurant_id,
                                          const std::vector<OfferStatus>& statuses,
                                          const std::optional<std::string>& before_id,
                                          std::size_t limit) {
  std::string sql =
      "SELECT " + std::string(kOfferColumns) + " FROM offers WHERE restaurant_id = $1";
  db::Params params{std::string(restaurant_id)};
  if (!statuses.empty()) {
    sql += " AND status IN (" + status_list(statuses) + ")";
  }
  if (before_id) {
    params.emplace_back(*before_id);
    sql += " AND id < $" + std::to_string(params.size());
  }
  params.emplace_back(static_cast<std::int64_t>(limit));
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  std::vector<Offer> offers;
  for (const auto& row : session.execute(sql, params)) {
    offers.push_back(offer_from_row(row));
  }
  return offers;
}

std::vector<std::string> ended_offer_ids(db::Session& session, core::Timestamp now,
                                         std::size_t limit) {
  auto result = session.execute(
      "SELECT id FROM offers WHERE status IN ('ACTIVE', 'SOLD_OUT') AND pickup_end <= $1 "
      "ORDER BY pickup_end LIMIT $2",
      {core::to_unix_micros(now), static_cast<std::int64_t>(limit)});
  std::vector<std::string> ids;
  for (const auto& row : result) {
    ids.push_back(row.get<std::string>(0));
  }
  return ids;
}

}  // namespace surplus::offers
