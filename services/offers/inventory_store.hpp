#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>

// SQL for the inventory table. Every function runs inside the caller's transaction.
namespace surplus::offers {

struct InventoryItem {
  std::string restaurant_id;
  std::string product_id;
  std::int64_t quantity = 0;               // whole units of `unit`, never negative
  std::string unit;                        // "piece", "portion", "g", ...
  std::optional<std::string> best_before;  // YYYY-MM-DD
  core::Timestamp updated_at;
};

nlohmann::json inventory_json(const InventoryItem& item);

// Creates or replaces the row for the item's restaurant and product.
void upsert_inventory(db::Session& session, const InventoryItem& item);

std::optional<InventoryItem> find_inventory(db::Session& session, std::string_view restaurant_id,
                                            std::string_view product_id);

// Adds `delta` (negative to take) in one conditional UPDATE. Returns the new row, or
// nullopt when there is no row or the quantity would drop below zero. The caller tells
// the two apart with find_inventory.
std::optional<InventoryItem> adjust_inventory(db::Session& session, std::string_view restaurant_id,
                                              std::string_view product_id, std::int64_t delta,
                                              core::Timestamp now);

// Orders of a restaurant's inventory list:
//   kProduct    by product id
//   kLowStock   lowest quantity first, then earliest best-before
//   kExpiring   earliest best-before first (rows without a date last), then lowest quantity
enum class InventoryOrder { kProduct, kLowStock, kExpiring };

std::optional<InventoryOrder> parse_inventory_order(std::string_view name);  // "product", ...

// The sort key of `item` under `order`, for a page cursor.
nlohmann::json inventory_sort_key(const InventoryItem& item, InventoryOrder order);

// One page of a restaurant's inventory in `order`, after the item whose sort key is
// `after` (from inventory_sort_key). Throws VALIDATION_FAILED naming `after` when the key
// does not fit the order.
std::vector<InventoryItem> list_inventory(db::Session& session, std::string_view restaurant_id,
                                          InventoryOrder order,
                                          const std::optional<nlohmann::json>& after,
                                          std::size_t limit);

}  // namespace surplus::offers
