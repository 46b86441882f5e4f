#include "inventory_store.hpp"

#include <surplus/core/error.hpp>

namespace surplus::offers {
namespace {

constexpr std::string_view kColumns =
    "restaurant_id, product_id, quantity, unit, best_before, updated_at";

// Rows without a best-before date sort after every real date.
constexpr std::string_view kNoDate = "9999-12-31";

InventoryItem item_from_row(const db::Row& row) {
  return InventoryItem{row.get<std::string>("restaurant_id"),
                       row.get<std::string>("product_id"),
                       row.get<std::int64_t>("quantity"),
                       row.get<std::string>("unit"),
                       row.get<std::optional<std::string>>("best_before"),
                       core::from_unix_micros(row.get<std::int64_t>("updated_at"))};
}

core::Error invalid_cursor() {
  return core::Error::validation("after", "is not a cursor of this list; start without it");
}

}  // namespace

nlohmann::json inventory_json(const InventoryItem& item) {
  return {{"restaurantId", item.restaurant_id},
          {"productId", item.product_id},
          {"quantity", item.quantity},
          {"unit", item.unit},
          {"bestBefore", item.best_before ? nlohmann::json(*item.best_before) : nullptr},
          {"updatedAt", core::format_rfc3339(item.updated_at)}};
}

void upsert_inventory(db::Session& session, const InventoryItem& item) {
  session.execute(
      "INSERT INTO inventory (restaurant_id, product_id, quantity, unit, best_before, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (restaurant_id, product_id) DO UPDATE SET quantity = excluded.quantity, "
      "unit = excluded.unit, best_before = excluded.best_before, "
      "updated_at = excluded.updated_at",
      {item.restaurant_id, item.product_id, item.quantity, item.unit,
       db::nullable(item.best_before), core::to_unix_micros(item.updated_at)});
}

std::optional<InventoryItem> find_inventory(db::Session& session, std::string_view restaurant_id,
                                            std::string_view product_id) {
  auto row = session
                 .execute("SELECT " + std::string(kColumns) +
                              " FROM inventory WHERE restaurant_id = $1 AND product_id = $2",
                          {std::string(restaurant_id), std::string(product_id)})
                 .maybe_one();
  if (!row) {
    return std::nullopt;
  }
  return item_from_row(*row);
}

std::optional<InventoryItem> adjust_inventory(db::Session& session, std::string_view restaurant_id,
                                              std::string_view product_id, std::int64_t delta,
                                              core::Timestamp now) {
  auto result = session.execute(
      "UPDATE inventory SET quantity = quantity + $3, updated_at = $4 "
      "WHERE restaurant_id = $1 AND product_id = $2 AND quantity + $3 >= 0 RETURNING " +
          std::string(kColumns),
      {std::string(restaurant_id), std::string(product_id), delta, core::to_unix_micros(now)});
  if (result.empty()) {
    return std::nullopt;
  }
  return item_from_row(result.one());
}

std::optional<InventoryOrder> parse_inventory_order(std::string_view name) {
  if (name == "product") {
    return InventoryOrder::kProduct;
  }
  if (name == "lowStock") {
    return InventoryOrder::kLowStock;
  }
  if (name == "expiring") {
    return InventoryOrder::kExpiring;
  }
  return std::nullopt;
}

nlohmann::json inventory_sort_key(const InventoryItem& item, InventoryOrder order) {
  std::string date = item.best_before.value_or(std::string(kNoDate));
  switch (order) {
    case InventoryOrder::kProduct:
      return {{"p", item.product_id}};
    case InventoryOrder::kLowStock:
      return {{"q", item.quantity}, {"d", date}, {"p", item.product_id}};
    case InventoryOrder::kExpiring:
      return {{"d", date}, {"q", item.quantity}, {"p", item.product_id}};
  }
  return {};
}

std::vector<InventoryItem> list_inventory(db::Session& session, std::string_view restaurant_id,
                                          InventoryOrder order,
                                          const std::optional<nlohmann::json>& after,
                                          std::size_t limit) {
  std::string date_key = "COALESCE(best_before, '" + std::string(kNoDate) + "')";
  std::string sql = "SELECT " + std::string(kColumns) + " FROM inventory WHERE restaurant_id = $1";
  db::Params params{std::string(restaurant_id)};
  std::string order_by;
  try {
    switch (order) {
      case InventoryOrder::kProduct:
        if (after) {
          params.emplace_back(after->at("p").get<std::string>());
          sql += " AND product_id > $2";
        }
        order_by = "product_id";
        break;
      case InventoryOrder::kLowStock:
        if (after) {
          params.emplace_back(after->at("q").get<std::int64_t>());
          params.emplace_back(after->at("d").get<std::string>());
          params.emplace_back(after->at("p").get<std::string>());
          sql += " AND (quantity, " + date_key + ", product_id) > ($2, $3, $4)";
        }
        order_by = "quantity, " + date_key + ", product_id";
        break;
      case InventoryOrder::kExpiring:
        if (after) {
          params.emplace_back(after->at("d").get<std::string>());
          params.emplace_back(after->at("q").get<std::int64_t>());
          params.emplace_back(after->at("p").get<std::string>());
          sql += " AND (" + date_key + ", quantity, product_id) > ($2, $3, $4)";
        }
        order_by = date_key + ", quantity, product_id";
        break;
    }
  } catch (const nlohmann::json::exception&) {
    throw invalid_cursor();
  }
  params.emplace_back(static_cast<std::int64_t>(limit));
  sql += " ORDER BY " + order_by + " LIMIT $" + std::to_string(params.size());
  std::vector<InventoryItem> items;
  for (const auto& row : session.execute(sql, params)) {
    items.push_back(item_from_row(row));
  }
  return items;
}

}  // namespace surplus::offers
