#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <surplus/http/router.hpp>

#include "handler_support.hpp"
#include "offers_app.hpp"

namespace surplus::offers {

// The routes of each part of the API; the handler files list them.
std::vector<Route> offer_routes();
std::vector<Route> inventory_routes();
std::vector<Route> courier_routes();
std::vector<Route> delivery_routes();
std::vector<Route> internal_routes();

// Every route of the service, GET /openapi.json included.
std::vector<Route> all_routes();

// Adds all_routes() to `router`; the handlers share `app`. `keep_alive` (background
// threads, say) is destroyed with the router, so it lives as long as the server.
void add_offers_routes(http::Router& router, std::shared_ptr<OffersApp> app,
                       std::shared_ptr<void> keep_alive = nullptr);

// The OpenAPI 3.1 document of this API (services/offers/openapi.json, embedded).
std::string_view openapi_document();

}  // namespace surplus::offers
