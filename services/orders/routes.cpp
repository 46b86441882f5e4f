#include "routes.hpp"

#include <surplus/http/response.hpp>

#include "openapi_document.hpp"

namespace surplus::orders {

void add_openapi_route(http::Router& router, std::shared_ptr<void> background) {
  router.get("/openapi.json", [background](http::Request&) {
    return http::Response::text(std::string(openapi_document()), 200, "application/json");
  });
}

void add_all_routes(http::Router& router, std::shared_ptr<OrdersApp> app,
                    std::shared_ptr<void> background) {
  add_auth_routes(router, app);
  add_restaurant_routes(router, app);
  add_product_routes(router, app);
  add_favourite_routes(router, app);
  add_order_routes(router, app);
  add_internal_routes(router, app);
  add_openapi_route(router, std::move(background));
}

}  // namespace surplus::orders
