#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/money.hpp>
#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>

namespace surplus::orders {

inline const std::vector<std::string_view> kProductCategories = {
    "bread",   "pastry",  "cake",  "sandwich",  "meal",  "salad", "soup",
    "dessert", "produce", "dairy", "groceries", "drink", "mixed", "other"};

inline const std::vector<std::string_view> kDietaryTags = {
    "vegetarian", "vegan", "gluten-free", "lactose-free", "nut-free", "halal", "kosher", "organic"};

struct Product {
  std::string id;
  std::string restaurant_id;
  std::string name;
  std::string description;
  std::string category;
  std::vector<std::string> dietary_tags;
  core::Money price;  // the regular price, before any surplus discount
  bool active = true;
  core::Timestamp created_at;
  core::Timestamp updated_at;
};

// id, restaurantId, name, description, category, dietaryTags, price, active, createdAt,
// updatedAt.
nlohmann::json product_json(const Product& product);

std::optional<Product> find_product(db::Session& session, const std::string& id);
std::vector<Product> find_products(db::Session& session, const std::vector<std::string>& ids);
void insert_product(db::Session& session, const Product& product);
void update_product(db::Session& session, const Product& product);

// Products of a restaurant in id order after `after_id`, at most `limit`; inactive ones
// only when `include_inactive`.
std::vector<Product> list_products(db::Session& session, const std::string& restaurant_id,
                                   bool include_inactive,
                                   const std::optional<std::string>& after_id, std::size_t limit);

}  // namespace surplus::orders
