// Inventory over HTTP, for staff of the restaurant and admins:
//   GET   /restaurants/{restaurantId}/inventory                 ?sort=product|lowStock|expiring
//   GET   /restaurants/{restaurantId}/inventory/{productId}
//   PUT   /restaurants/{restaurantId}/inventory/{productId}     {quantity, unit, bestBefore}
//   POST  /restaurants/{restaurantId}/inventory/{productId}/adjustments   {delta}
#include <surplus/core/error.hpp>

#include "handler_support.hpp"
#include "inventory_operations.hpp"
#include "json_fields.hpp"
#include "offer_input.hpp"
#include "pagination.hpp"
#include "read_only.hpp"
#include "routes.hpp"

namespace surplus::offers {
namespace {

constexpr std::int64_t kMaxInventoryQuantity = 1'000'000'000;
constexpr std::size_t kMaxUnitBytes = 20;

http::Response list(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  std::string restaurant_id = path_id(request, "restaurantId", "restaurant");
  require_inventory_manager(actor, restaurant_id);
  auto order = parse_inventory_order(query_text(request, "sort").value_or("product"));
  if (!order) {
    throw core::Error::validation("sort", "expected product, lowStock or expiring");
  }
  auto page = read_page_request(request);
  auto items = app.database.transaction(
      [&](db::Session& session) {
        return list_inventory(session, restaurant_id, *order, page.after, page.first + 1);
      },
      read_only());
  std::optional<nlohmann::json> next;
  if (items.size() > page.first) {
    items.resize(page.first);
    next = inventory_sort_key(items.back(), *order);
  }
  nlohmann::json json = nlohmann::json::array();
  for (const auto& item : items) {
    json.push_back(inventory_json(item));
  }
  return http::Response::json(page_json(std::move(json), next));
}

http::Response get_one(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  return http::Response::json(inventory_json(
      get_inventory(app.database, actor, path_id(request, "restaurantId", "restaurant"),
                    path_id(request, "productId", "product"))));
}

http::Response put(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  std::string restaurant_id = path_id(request, "restaurantId", "restaurant");
  std::string product_id = path_id(request, "productId", "product");
  require_inventory_manager(actor, restaurant_id);
  FieldReader fields(request.json(), {"quantity", "unit", "bestBefore"});
  auto quantity = fields.integer("quantity", true, 0, kMaxInventoryQuantity);
  auto unit = fields.text("unit", false, kMaxUnitBytes);
  auto best_before = fields.date("bestBefore", false);
  fields.finish();
  InventoryItem item{restaurant_id,          product_id, *quantity, unit.value_or("piece"),
                     std::move(best_before), core::now()};
  return http::Response::json(
      inventory_json(set_inventory(app.database, app.directory, actor, item, core::now())));
}

http::Response adjust(OffersApp& app, http::Request& request) {
  Actor actor = user_actor(app, request);
  std::string restaurant_id = path_id(request, "restaurantId", "restaurant");
  std::string product_id = path_id(request, "productId", "product");
  require_inventory_manager(actor, restaurant_id);
  FieldReader fields(request.json(), {"delta"});
  auto delta = fields.integer("delta", true, -kMaxInventoryQuantity, kMaxInventoryQuantity);
  if (delta && *delta == 0) {
    fields.fail("delta", "must not be 0");
  }
  fields.finish();
  return http::Response::json(inventory_json(adjust_inventory_by(
      app.database, app.directory, actor, restaurant_id, product_id, *delta, core::now())));
}

}  // namespace

std::vector<Route> inventory_routes() {
  return {
      {"GET", "/restaurants/{restaurantId}/inventory", list},
      {"GET", "/restaurants/{restaurantId}/inventory/{productId}", get_one},
      {"PUT", "/restaurants/{restaurantId}/inventory/{productId}", put},
      {"POST", "/restaurants/{restaurantId}/inventory/{productId}/adjustments", adjust},
  };
}

}  // namespace surplus::offers
