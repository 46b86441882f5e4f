#pragma once

#include <surplus/service/service.hpp>

namespace surplus::offers {

// The offers service (port 4002) owns product inventory, reduced-price offers, reservations,
// couriers, deliveries and routes.
service::ServiceDefinition definition();

}  // namespace surplus::offers
