#pragma once

#include <surplus/service/service.hpp>

namespace surplus::orders {

// The orders service (port 4001) owns users and authentication, restaurants, products, orders,
// order lines, favourites and ratings.
service::ServiceDefinition definition();

// Builds the service's shared state from context.env and adds every route to
// context.router. definition().install_routes runs it, and tests call it with their own
// environment and database.
void install_routes(service::ServiceContext& context);

}  // namespace surplus::orders
