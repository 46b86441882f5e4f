#pragma once

#include <surplus/service/service.hpp>

namespace surplus::orders {

// The orders service (port 4001) owns users and authentication, restaurants, products, orders,
// order lines, favourites and ratings.
service::ServiceDefinition definition();

}  // namespace surplus::orders
