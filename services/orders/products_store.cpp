#include "products_store.hpp"

#include "sql_lists.hpp"

namespace surplus::orders {
namespace {

constexpr std::string_view kColumns =
    "id, restaurant_id, name, description, category, dietary_tags, price_amount, "
    "price_currency, active, created_at, updated_at";

std::string select_sql(std::string_view rest) {
  return "SELECT " + std::string(kColumns) + " FROM products " + std::string(rest);
}

Product product_from_row(const db::Row& row) {
  Product product;
  product.id = row.get<std::string>("id");
  product.restaurant_id = row.get<std::string>("restaurant_id");
  product.name = row.get<std::string>("name");
  product.description = row.get<std::string>("description");
  product.category = row.get<std::string>("category");
  auto tags = nlohmann::json::parse(row.get<std::string>("dietary_tags"), nullptr, false);
  if (tags.is_array()) {
    for (const auto& tag : tags) {
      if (tag.is_string()) {
        product.dietary_tags.push_back(tag.get<std::string>());
      }
    }
  }
  product.price = {row.get<std::int64_t>("price_amount"), row.get<std::string>("price_currency")};
  product.active = row.get<bool>("active");
  product.created_at = core::from_unix_micros(row.get<std::int64_t>("created_at"));
  product.updated_at = core::from_unix_micros(row.get<std::int64_t>("updated_at"));
  return product;
}

std::vector<Product> products_from(const db::Result& result) {
  std::vector<Product> products;
  for (const auto& row : result) {
    products.push_back(product_from_row(row));
  }
  return products;
}

}  // namespace

nlohmann::json product_json(const Product& product) {
  return {{"id", product.id},
          {"restaurantId", product.restaurant_id},
          {"name", product.name},
          {"description", product.description},
          {"category", product.category},
          {"dietaryTags", product.dietary_tags},
          {"price", product.price},
          {"active", product.active},
          {"createdAt", core::format_rfc3339(product.created_at)},
          {"updatedAt", core::format_rfc3339(product.updated_at)}};
}

std::optional<Product> find_product(db::Session& session, const std::string& id) {
  auto row = session.execute(select_sql("WHERE id = $1"), {id}).maybe_one();
  if (!row) {
    return std::nullopt;
  }
  return product_from_row(*row);
}

std::vector<Product> find_products(db::Session& session, const std::vector<std::string>& ids) {
  if (ids.empty()) {
    return {};
  }
  db::Params params(ids.begin(), ids.end());
  return products_from(session.execute(
      select_sql("WHERE id IN (" + placeholders(1, ids.size()) + ") ORDER BY id"), params));
}

void insert_product(db::Session& session, const Product& p) {
  session.execute(
      "INSERT INTO products (id, restaurant_id, name, description, category, dietary_tags, "
      "price_amount, price_currency, active, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {p.id, p.restaurant_id, p.name, p.description, p.category,
       nlohmann::json(p.dietary_tags).dump(), p.price.amount, p.price.currency, p.active,
       core::to_unix_micros(p.created_at), core::to_unix_micros(p.updated_at)});
}

void update_product(db::Session& session, const Product& p) {
  session.execute(
      "UPDATE products SET name = $1, description = $2, category = $3, dietary_tags = $4, "
      "price_amount = $5, price_currency = $6, active = $7, updated_at = $8 WHERE id = $9",
      {p.name, p.description, p.category, nlohmann::json(p.dietary_tags).dump(), p.price.amount,
       p.price.currency, p.active, core::to_unix_micros(p.updated_at), p.id});
}

std::vector<Product> list_products(db::Session& session, const std::string& restaurant_id,
                                   bool include_inactive,
                                   const std::optional<std::string>& after_id, std::size_t limit) {
  return products_from(session.execute(
      select_sql(
          "WHERE restaurant_id = $1 AND (active OR $2) AND (CAST($3 AS TEXT) IS NULL OR id > $3) "
          "ORDER BY id LIMIT $4"),
      {restaurant_id, include_inactive, db::nullable(after_id), static_cast<std::int64_t>(limit)}));
}

}  // namespace surplus::orders
