#include "inventory_operations.hpp"

#include <surplus/core/error.hpp>

#include "read_only.hpp"

namespace surplus::offers {

void require_inventory_manager(const Actor& actor, const std::string& restaurant_id) {
  if (actor.identity.is_anonymous() && !actor.service) {
    throw core::Error::unauthenticated();
  }
  if (!actor.manages(restaurant_id)) {
    throw core::Error::forbidden("only staff of restaurant " + restaurant_id +
                                 " or an admin may see or change its inventory");
  }
}

void require_own_product(RestaurantDirectory& directory, const std::string& restaurant_id,
                         const std::string& product_id) {
  std::string owner = directory.restaurant_of_product(product_id);
  if (owner == restaurant_id) {
    return;
  }
  // VALIDATION_FAILED rather than FORBIDDEN, because the caller may manage this restaurant
  // (an admin manages every one) and still sent the wrong product id. The message is also
  // the problem's detail, which the gateway shows as the GraphQL error message.
  std::string message = "product " + product_id + " belongs to restaurant " + owner +
                        ", not to restaurant " + restaurant_id + "; use one of restaurant " +
                        restaurant_id + "'s own products";
  core::Error error(core::ErrorCode::kValidationFailed, message);
  error.with_field("productId", message);
  throw error;
}

InventoryItem set_inventory(db::Database& database, RestaurantDirectory& directory,
                            const Actor& actor, InventoryItem item, core::Timestamp now) {
  require_inventory_manager(actor, item.restaurant_id);
  require_own_product(directory, item.restaurant_id, item.product_id);
  item.updated_at = now;
  database.transaction([&](db::Session& session) { upsert_inventory(session, item); });
  return item;
}

InventoryItem adjust_inventory_by(db::Database& database, RestaurantDirectory& directory,
                                  const Actor& actor, const std::string& restaurant_id,
                                  const std::string& product_id, std::int64_t delta,
                                  core::Timestamp now) {
  require_inventory_manager(actor, restaurant_id);
  require_own_product(directory, restaurant_id, product_id);
  return database.transaction([&](db::Session& session) {
    if (auto adjusted = adjust_inventory(session, restaurant_id, product_id, delta, now)) {
      return *adjusted;
    }
    auto current = find_inventory(session, restaurant_id, product_id);
    if (!current) {
      throw core::Error::not_found("inventory of product " + product_id + " in restaurant " +
                                   restaurant_id);
    }
    throw core::Error(core::ErrorCode::kInsufficientInventory,
                      "product " + product_id + " has " + std::to_string(current->quantity) +
                          " units; taking " + std::to_string(-delta) +
                          " would leave less than zero");
  });
}

InventoryItem get_inventory(db::Database& database, const Actor& actor,
                            const std::string& restaurant_id, const std::string& product_id) {
  require_inventory_manager(actor, restaurant_id);
  auto item = database.transaction(
      [&](db::Session& session) { return find_inventory(session, restaurant_id, product_id); },
      read_only());
  if (!item) {
    throw core::Error::not_found("inventory of product " + product_id + " in restaurant " +
                                 restaurant_id);
  }
  return *item;
}

}  // namespace surplus::offers
