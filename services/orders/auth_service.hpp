#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "orders_config.hpp"
#include "users_store.hpp"
#include "validation.hpp"

namespace surplus::orders {

struct Registration {
  std::string email;
  std::string password;
  std::string display_name;
  auth::Role role = auth::Role::kCustomer;
};

// The tokens of a login or refresh, and the user they belong to.
struct IssuedTokens {
  User user;
  std::string access_token;
  core::Timestamp access_expires_at;
  std::string refresh_token;
  core::Timestamp refresh_expires_at;
};

// {"accessToken", "tokenType": "Bearer", "expiresIn" (seconds), "expiresAt",
//  "refreshToken", "refreshExpiresAt", "user"}.
nlohmann::json tokens_json(const IssuedTokens& tokens, core::Timestamp now);

// Registration, login, refresh and logout over the users and refresh_tokens tables.
class AuthService {
 public:
  explicit AuthService(OrdersApp& app) : app_(app) {}

  // Validates and creates an account, then logs it in. Throws VALIDATION_FAILED for bad
  // fields and CONFLICT when the e-mail address is taken. ADMIN is accepted here, so the
  // callers decide who may create admins: the HTTP handler rejects it.
  IssuedTokens register_user(const Registration& registration);

  // Checks the password and starts a new refresh-token family. `client_address` keys the
  // per-address failure limit. Throws RATE_LIMITED (with Retry-After) while the e-mail or
  // the address has too many recent failures, and UNAUTHENTICATED for a wrong e-mail or
  // password without saying which.
  IssuedTokens login(const std::string& email, const std::string& password,
                     const std::string& client_address);

  // Exchanges a refresh token for new tokens (rotation). Throws UNAUTHENTICATED for an
  // unknown, expired, revoked or reused token; reuse also revokes the family.
  IssuedTokens refresh(const std::string& refresh_token);

  // Revokes the refresh-token family of `refresh_token`; unknown tokens are ignored.
  void logout(const std::string& refresh_token);

  // The ids of the restaurants whose staff `user_id` is, for the token claim.
  std::vector<std::string> staff_restaurants(db::Session& session, const std::string& user_id);

  // Creates the ADMIN account for `email` unless an account with that address exists.
  // Returns true when it created one.
  bool ensure_admin(const std::string& email, const std::string& password,
                    const std::string& display_name);

 private:
  IssuedTokens start_session(db::Session& db_session, const User& user,
                             const std::string& family_id, core::Timestamp now);
  std::string access_token_for(db::Session& db_session, const User& user, core::Timestamp now);

  OrdersApp& app_;
};

// Checks registration fields: e-mail form, password length (10 or more code points,
// at most 1024 bytes, not the e-mail address) and display name. Throws VALIDATION_FAILED
// listing every problem.
void validate_registration(const Registration& registration);
// The same checks, recorded in `fields` for the fields that have no problem there yet, so
// that one response lists the problems of the request's shape and of its values together.
void add_registration_problems(const Registration& registration, FieldReader& fields);

}  // namespace surplus::orders
