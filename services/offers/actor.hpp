#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <surplus/auth/request_auth.hpp>

namespace surplus::offers {

// The performer of an operation: a user proven by an access token, or another Surplus
// service proven by the service secret, which may do what an admin may.
struct Actor {
  auth::Identity identity;  // anonymous for a service
  bool service = false;

  static Actor user(auth::Identity identity) { return Actor{std::move(identity), false}; }
  static Actor internal_service() { return Actor{auth::Identity::anonymous(), true}; }

  bool is_admin() const { return service || identity.is_admin(); }
  bool is_user(std::string_view user_id) const {
    return !identity.is_anonymous() && identity.user_id == user_id;
  }
  // An admin, a service, or STORE staff whose token lists the restaurant.
  bool manages(std::string_view restaurant_id) const {
    return is_admin() ||
           (identity.role == auth::Role::kStore && identity.is_staff_of(restaurant_id));
  }
};

}  // namespace surplus::offers
