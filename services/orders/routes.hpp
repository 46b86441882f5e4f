#pragma once

#include <memory>

#include <surplus/http/router.hpp>

#include "orders_config.hpp"

namespace surplus::orders {

// Each adds the routes of one area; routes.cpp of the handler files documents them, and
// openapi.json describes them for clients.
void add_auth_routes(http::Router& router, std::shared_ptr<OrdersApp> app);
void add_restaurant_routes(http::Router& router, std::shared_ptr<OrdersApp> app);
void add_product_routes(http::Router& router, std::shared_ptr<OrdersApp> app);
void add_favourite_routes(http::Router& router, std::shared_ptr<OrdersApp> app);
void add_order_routes(http::Router& router, std::shared_ptr<OrdersApp> app);
void add_internal_routes(http::Router& router, std::shared_ptr<OrdersApp> app);
void add_openapi_route(http::Router& router, std::shared_ptr<void> background);

// Every route of the orders service. The router keeps `background` (the reconciler and the
// outbox relay, or null) alive, so those stop when the server and its router are destroyed.
void add_all_routes(http::Router& router, std::shared_ptr<OrdersApp> app,
                    std::shared_ptr<void> background = nullptr);

}  // namespace surplus::orders
