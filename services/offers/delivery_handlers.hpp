#pragma once

#include <surplus/http/request.hpp>
#include <surplus/http/response.hpp>

#include "actor.hpp"
#include "offers_app.hpp"

// Request handling shared by the public and the internal delivery routes.
namespace surplus::offers {

// POST /deliveries and POST /internal/deliveries: 201 with a new delivery, 200 with the
// order's existing one.
http::Response create_delivery_response(OffersApp& app, const Actor& actor, http::Request& request);

// POST /deliveries/{id}/status and its internal twin.
http::Response change_status_response(OffersApp& app, const Actor& actor, http::Request& request);

}  // namespace surplus::offers
