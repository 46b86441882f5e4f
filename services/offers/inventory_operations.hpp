#pragma once

#include <cstdint>
#include <string>

#include <surplus/db/database.hpp>

#include "actor.hpp"
#include "inventory_store.hpp"
#include "restaurant_directory.hpp"

// A restaurant's stock, managed by its staff and admins. Throws UNAUTHENTICATED for an
// anonymous actor and FORBIDDEN for anyone who does not manage the restaurant. Writes
// check first that the product belongs to the restaurant (see require_own_product).
namespace surplus::offers {

InventoryItem set_inventory(db::Database& database, RestaurantDirectory& directory,
                            const Actor& actor, InventoryItem item, core::Timestamp now);

// Adds `delta` units (negative to take). Throws NOT_FOUND when the product has no
// inventory row and INSUFFICIENT_INVENTORY when the quantity would drop below zero.
InventoryItem adjust_inventory_by(db::Database& database, RestaurantDirectory& directory,
                                  const Actor& actor, const std::string& restaurant_id,
                                  const std::string& product_id, std::int64_t delta,
                                  core::Timestamp now);

InventoryItem get_inventory(db::Database& database, const Actor& actor,
                            const std::string& restaurant_id, const std::string& product_id);

// Throws FORBIDDEN unless `actor` manages the restaurant.
void require_inventory_manager(const Actor& actor, const std::string& restaurant_id);

// Throws VALIDATION_FAILED naming productId when the product belongs to another
// restaurant, NOT_FOUND when the product does not exist, and UNAVAILABLE when it
// cannot be asked (see RestaurantDirectory::restaurant_of_product). Call it before any
// write, outside a transaction, because it may call the orders service.
void require_own_product(RestaurantDirectory& directory, const std::string& restaurant_id,
                         const std::string& product_id);

}  // namespace surplus::offers
