// Products of a restaurant:
//   POST  /restaurants/{id}/products   its staff or ADMIN
//   GET   /restaurants/{id}/products   anyone; ?includeInactive=true for its staff or ADMIN
//   GET   /products/{id}               anyone while active, else its staff or ADMIN
//   PATCH /products/{id}               its staff or ADMIN
#include <spdlog/spdlog.h>

#include <surplus/core/id.hpp>
#include <surplus/http/response.hpp>

#include "handler_support.hpp"
#include "pagination.hpp"
#include "products_store.hpp"
#include "query_params.hpp"
#include "routes.hpp"
#include "validation.hpp"

namespace surplus::orders {
namespace {

// 10,000,000.00 in a two-digit currency: far above any bag, well inside 64 bits.
constexpr std::int64_t kMaxPriceAmount = 1'000'000'000;
constexpr std::size_t kMaxDietaryTags = 8;

constexpr TextRule kNameRule{.max_length = 120};
constexpr TextRule kDescriptionRule{.min_length = 0, .max_length = 2000, .multiline = true};

const std::initializer_list<std::string_view> kProductFields = {
    "name", "description", "category", "dietaryTags", "price", "active"};

// Whether `identity` manages `restaurant_id`, without throwing.
bool manages(db::Session& session, const auth::Identity& identity,
             const std::string& restaurant_id) {
  if (identity.is_anonymous()) {
    return false;
  }
  return identity.is_admin() || (identity.role == auth::Role::kStore &&
                                 is_staff(session, restaurant_id, identity.user_id));
}

http::Response create_product(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auto restaurant_id = path_id(request, "id", "restaurant");
  FieldReader fields(request.json(), kProductFields);
  auto now = core::now();
  Product product;
  product.id = core::new_uuid_v7();
  product.restaurant_id = restaurant_id;
  product.name = fields.text("name", kNameRule);
  product.description = fields.optional_text("description", kDescriptionRule).value_or("");
  product.category = fields.one_of("category", kProductCategories);
  product.dietary_tags = fields.optional_tags("dietaryTags", kDietaryTags, kMaxDietaryTags)
                             .value_or(std::vector<std::string>{});
  product.price = fields.money("price", kMaxPriceAmount);
  product.active = fields.optional_boolean("active").value_or(true);
  product.created_at = now;
  product.updated_at = now;

  // Authorization comes before validation errors, so outsiders learn nothing from them.
  app.database.transaction([&](db::Session& session) {
    require_restaurant_manager(session, identity, restaurant_id);
    fields.finish();
    insert_product(session, product);
  });
  spdlog::info("product {} created in restaurant {} by user {}", product.id, restaurant_id,
               identity.user_id);
  return http::Response::json(product_json(product), 201);
}

http::Response list_products_handler(OrdersApp& app, http::Request& request) {
  auto identity = identity_of(app, request);
  auto restaurant_id = path_id(request, "id", "restaurant");
  auto page = read_page_request(request);
  bool include_inactive = query_boolean(request, "includeInactive", false);
  std::optional<std::string> after_id;
  if (page.after) {
    auto id = page.after->find("id");
    if (id == page.after->end() || !id->is_string()) {
      throw core::Error::validation("after", "is not a cursor of this product list");
    }
    after_id = id->get<std::string>();
  }
  auto products = app.database.transaction(
      [&](db::Session& session) {
        if (!find_restaurant(session, restaurant_id)) {
          throw core::Error::not_found("restaurant " + restaurant_id);
        }
        if (include_inactive && !manages(session, identity, restaurant_id)) {
          if (identity.is_anonymous()) {
            throw core::Error::unauthenticated();
          }
          throw core::Error::forbidden(
              "only this restaurant's staff or an admin see inactive products");
        }
        return list_products(session, restaurant_id, include_inactive, after_id, page.first + 1);
      },
      kReadOnly);
  bool more = products.size() > page.first;
  if (more) {
    products.resize(page.first);
  }
  nlohmann::json items = nlohmann::json::array();
  for (const auto& product : products) {
    items.push_back(product_json(product));
  }
  std::optional<nlohmann::json> next;
  if (more) {
    next = nlohmann::json{{"id", products.back().id}};
  }
  return http::Response::json(page_json(std::move(items), next));
}

http::Response get_product(OrdersApp& app, http::Request& request) {
  auto identity = identity_of(app, request);
  auto id = path_id(request, "id", "product");
  auto product = app.database.transaction(
      [&](db::Session& session) -> std::optional<Product> {
        auto found = find_product(session, id);
        // Inactive products are invisible to everyone who cannot reactivate them.
        if (found && !found->active && !manages(session, identity, found->restaurant_id)) {
          return std::nullopt;
        }
        return found;
      },
      kReadOnly);
  if (!product) {
    throw core::Error::not_found("product " + id);
  }
  return http::Response::json(product_json(*product));
}

http::Response update_product_handler(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  auto id = path_id(request, "id", "product");
  FieldReader fields(request.json(), kProductFields);
  auto name = fields.optional_text("name", kNameRule);
  auto description = fields.optional_text("description", kDescriptionRule);
  auto category = fields.optional_one_of("category", kProductCategories);
  auto tags = fields.optional_tags("dietaryTags", kDietaryTags, kMaxDietaryTags);
  auto price = fields.optional_money("price", kMaxPriceAmount);
  auto active = fields.optional_boolean("active");

  auto product = app.database.transaction([&](db::Session& session) {
    auto current = find_product(session, id);
    if (!current) {
      throw core::Error::not_found("product " + id);
    }
    require_restaurant_manager(session, identity, current->restaurant_id);
    fields.finish();
    current->name = name.value_or(current->name);
    current->description = description.value_or(current->description);
    current->category = category.value_or(current->category);
    current->dietary_tags = tags.value_or(current->dietary_tags);
    current->price = price.value_or(current->price);
    current->active = active.value_or(current->active);
    current->updated_at = core::now();
    update_product(session, *current);
    return *current;
  });
  return http::Response::json(product_json(product));
}

}  // namespace

void add_product_routes(http::Router& router, std::shared_ptr<OrdersApp> app) {
  router.post("/restaurants/{id}/products",
              [app](http::Request& r) { return create_product(*app, r); });
  router.get("/restaurants/{id}/products",
             [app](http::Request& r) { return list_products_handler(*app, r); });
  router.get("/products/{id}", [app](http::Request& r) { return get_product(*app, r); });
  router.patch("/products/{id}",
               [app](http::Request& r) { return update_product_handler(*app, r); });
}

}  // namespace surplus::orders
