// POST /auth/register, /auth/login, /auth/refresh, /auth/logout; GET /auth/public-key and
// /users/me.
#include <surplus/auth/keys.hpp>
#include <surplus/http/response.hpp>

#include "auth_service.hpp"
#include "handler_support.hpp"
#include "routes.hpp"
#include "validation.hpp"

namespace surplus::orders {
namespace {

const std::vector<std::string_view> kSelfServiceRoles = {"CUSTOMER", "STORE", "COURIER"};

// Passwords are taken as sent: no trimming, and any characters.
constexpr TextRule kPasswordRule{
    .min_length = 1, .max_length = kMaxPasswordBytes, .multiline = true, .trim = false};
constexpr TextRule kEmailRule{.min_length = 1, .max_length = 254};

http::Response register_user(OrdersApp& app, http::Request& request) {
  FieldReader fields(request.json(), {"email", "password", "displayName", "role"});
  Registration registration;
  registration.email = fields.text("email", kEmailRule);
  registration.password = fields.text("password", kPasswordRule);
  registration.display_name = fields.text("displayName", {.max_length = 80});
  auto role = fields.optional_one_of("role", kSelfServiceRoles);
  registration.role =
      auth::role_from_name(role.value_or("CUSTOMER")).value_or(auth::Role::kCustomer);
  add_registration_problems(registration, fields);
  fields.finish();

  auto tokens = AuthService(app).register_user(registration);
  return http::Response::json(tokens_json(tokens, core::now()), 201);
}

http::Response login(OrdersApp& app, http::Request& request) {
  FieldReader fields(request.json(), {"email", "password"});
  auto email = fields.text("email", kEmailRule);
  auto password = fields.text("password", kPasswordRule);
  fields.finish();

  auto tokens = AuthService(app).login(email, password, client_address(app, request));
  return http::Response::json(tokens_json(tokens, core::now()));
}

std::string refresh_token_field(http::Request& request) {
  FieldReader fields(request.json(), {"refreshToken"});
  auto token = fields.text("refreshToken", {.max_length = 200});
  fields.finish();
  return token;
}

http::Response refresh(OrdersApp& app, http::Request& request) {
  auto tokens = AuthService(app).refresh(refresh_token_field(request));
  return http::Response::json(tokens_json(tokens, core::now()));
}

http::Response logout(OrdersApp& app, http::Request& request) {
  AuthService(app).logout(refresh_token_field(request));
  return http::Response::no_content();
}

http::Response me(OrdersApp& app, http::Request& request) {
  auto identity = signed_in(app, request);
  return app.database.transaction(
      [&](db::Session& session) {
        auto user = find_user_by_id(session, identity.user_id);
        if (!user) {
          throw core::Error::unauthenticated("the account of this access token no longer exists");
        }
        auto json = user_json(*user);
        json["restaurants"] = AuthService(app).staff_restaurants(session, user->id);
        return http::Response::json(json);
      },
      kReadOnly);
}

}  // namespace

void add_auth_routes(http::Router& router, std::shared_ptr<OrdersApp> app) {
  router.post("/auth/register", [app](http::Request& r) { return register_user(*app, r); });
  router.post("/auth/login", [app](http::Request& r) { return login(*app, r); });
  router.post("/auth/refresh", [app](http::Request& r) { return refresh(*app, r); });
  router.post("/auth/logout", [app](http::Request& r) { return logout(*app, r); });
  router.get("/auth/public-key", [app](http::Request&) {
    return http::Response::json(auth::public_key_document(app->signing_key.public_key()));
  });
  router.get("/users/me", [app](http::Request& r) { return me(*app, r); });
}

}  // namespace surplus::orders
