#pragma once

#include <string>

#include <surplus/auth/request_auth.hpp>
#include <surplus/db/database.hpp>
#include <surplus/http/request.hpp>

#include "orders_config.hpp"
#include "restaurants_store.hpp"

namespace surplus::orders {

// The caller's identity from its Bearer token, or anonymous; an invalid token throws
// UNAUTHENTICATED.
auth::Identity identity_of(const OrdersApp& app, const http::Request& request);
// The same, but anonymous callers get UNAUTHENTICATED.
auth::Identity signed_in(const OrdersApp& app, const http::Request& request);

// The IP address that failed logins are counted against: the first X-Forwarded-For entry
// when the request carries the service secret (the gateway forwards the client's
// address that way), otherwise the peer address without its port.
std::string client_address(const OrdersApp& app, const http::Request& request);

// The path parameter `name` as an id; a value that is not a UUID cannot name anything, so
// it throws NOT_FOUND for `what` ("restaurant").
std::string path_id(const http::Request& request, const std::string& name, std::string_view what);

// The restaurant `restaurant_id` when `identity` may change it: an admin, or a member of
// its staff per the restaurant_staff table (not the token claim, which may be stale).
// Throws UNAUTHENTICATED for anonymous callers, NOT_FOUND when there is no such
// restaurant and FORBIDDEN otherwise.
Restaurant require_restaurant_manager(db::Session& session, const auth::Identity& identity,
                                      const std::string& restaurant_id);

}  // namespace surplus::orders
