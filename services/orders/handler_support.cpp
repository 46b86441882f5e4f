#include "handler_support.hpp"

#include <surplus/core/id.hpp>

#include "validation.hpp"

namespace surplus::orders {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

auth::Identity identity_of(const OrdersApp& app, const http::Request& request) {
  return auth::authenticate(request, app.verifier);
}

auth::Identity signed_in(const OrdersApp& app, const http::Request& request) {
  return auth::require_authenticated(request, app.verifier);
}

std::string client_address(const OrdersApp& app, const http::Request& request) {
  auto forwarded = request.header("X-Forwarded-For");
  auto secret = request.header(auth::kServiceSecretHeader);
  if (forwarded && secret && app.service_secret.matches(*secret)) {
    auto first = trim(forwarded->substr(0, forwarded->find(',')));
    if (!first.empty() && first.size() <= 64) {
      return std::string(first);
    }
  }
  return request.remote_ip();
}

std::string path_id(const http::Request& request, const std::string& name, std::string_view what) {
  const std::string& value = request.path_param(name);
  if (!core::is_uuid(value)) {
    // The value is not echoed: it may not even be UTF-8.
    throw core::Error::not_found("the " + std::string(what));
  }
  return ascii_lower(value);
}

Restaurant require_restaurant_manager(db::Session& session, const auth::Identity& identity,
                                      const std::string& restaurant_id) {
  if (identity.is_anonymous()) {
    throw core::Error::unauthenticated();
  }
  auto restaurant = find_restaurant(session, restaurant_id);
  if (!restaurant) {
    throw core::Error::not_found("restaurant " + restaurant_id);
  }
  if (identity.is_admin()) {
    return *restaurant;
  }
  if (identity.role != auth::Role::kStore || !is_staff(session, restaurant_id, identity.user_id)) {
    throw core::Error::forbidden("only this restaurant's staff or an admin may do this");
  }
  return *restaurant;
}

}  // namespace surplus::orders
