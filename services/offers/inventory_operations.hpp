#pragma once

#include <cstdint>
#include <string>

#include <surplus/db/database.hpp>

#include "actor.hpp"
#include "inventory_store.hpp"

// A restaurant's stock, managed by its staff and admins. Throws UNAUTHENTICATED for an
// anonymous actor and FORBIDDEN for anyone who does not manage the restaurant.
namespace surplus::offers {

InventoryItem set_inventory(db::Database& database, const Actor& actor, InventoryItem item,
                            core::Timestamp now);

// Adds `delta` units (negative to take). Throws NOT_FOUND when the product has no
// inventory row and INSUFFICIENT_INVENTORY when the quantity would drop below zero.
InventoryItem adjust_inventory_by(db::Database& database, const Actor& actor,
                                  const std::string& restaurant_id, const std::string& product_id,
                                  std::int64_t delta, core::Timestamp now);

InventoryItem get_inventory(db::Database& database, const Actor& actor,
                            const std::string& restaurant_id, const std::string& product_id);

// Throws FORBIDDEN unless `actor` manages the restaurant.
void require_inventory_manager(const Actor& actor, const std::string& restaurant_id);

}  // namespace surplus::offers
