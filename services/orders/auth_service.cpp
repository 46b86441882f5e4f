#include "auth_service.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <surplus/core/id.hpp>

#include "login_throttle.hpp"
#include "refresh_tokens.hpp"
#include "validation.hpp"

namespace surplus::orders {
namespace {

std::string trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  return std::string(text);
}

core::Error invalid_credentials() {
  return core::Error::unauthenticated("the e-mail address or the password is wrong");
}

}  // namespace

nlohmann::json tokens_json(const IssuedTokens& tokens, core::Timestamp now) {
  auto expires_in =
      std::chrono::duration_cast<std::chrono::seconds>(tokens.access_expires_at - now).count();
  return {{"accessToken", tokens.access_token},
          {"tokenType", "Bearer"},
          {"expiresIn", std::max<std::int64_t>(expires_in, 0)},
          {"expiresAt", core::format_rfc3339(tokens.access_expires_at)},
          {"refreshToken", tokens.refresh_token},
          {"refreshExpiresAt", core::format_rfc3339(tokens.refresh_expires_at)},
          {"user", user_json(tokens.user)}};
}

void validate_registration(const Registration& registration) {
  FieldReader fields(nlohmann::json::object(), {});
  add_registration_problems(registration, fields);
  fields.finish();
}

void add_registration_problems(const Registration& registration, FieldReader& fields) {
  auto at = registration.email.find('@');
  if (fields.has_problem("email")) {
    // The reader already reported the e-mail missing or malformed.
  } else if (at != std::string::npos && has_non_ascii(registration.email.substr(at + 1))) {
    fields.problem("email",
                   "has a domain with non-ASCII letters; write it in its ASCII form, e.g. "
                   "ana@xn--bckerei-5wa.de for ana@bäckerei.de");
  } else if (!is_valid_email(registration.email)) {
    fields.problem("email", "is not a valid e-mail address, e.g. ana@example.com");
  }
  const auto& password = registration.password;
  if (fields.has_problem("password")) {
    // Reported by the reader already.
  } else if (!is_valid_utf8(password)) {
    fields.problem("password", "is not valid UTF-8");
  } else if (utf8_length(password) < kMinPasswordLength) {
    fields.problem("password", fmt::format("must have at least {} characters", kMinPasswordLength));
  } else if (password.size() > kMaxPasswordBytes) {
    fields.problem("password", fmt::format("must have at most {} bytes", kMaxPasswordBytes));
  } else if (ascii_lower(password) == ascii_lower(registration.email)) {
    fields.problem("password", "must not be the e-mail address");
  }
}

std::vector<std::string> AuthService::staff_restaurants(db::Session& session,
                                                        const std::string& user_id) {
  std::vector<std::string> ids;
  auto result = session.execute(
      "SELECT restaurant_id FROM restaurant_staff WHERE user_id = $1 ORDER BY restaurant_id",
      {user_id});
  for (const auto& row : result) {
    ids.push_back(row.get<std::string>(0));
  }
  return ids;
}

std::string AuthService::access_token_for(db::Session& db_session, const User& user,
                                          core::Timestamp now) {
  auth::Claims claims;
  claims.subject = user.id;
  claims.role = user.role;
  if (user.role == auth::Role::kStore) {
    claims.restaurants = staff_restaurants(db_session, user.id);
  }
  claims.issued_at = std::chrono::floor<std::chrono::seconds>(now);
  claims.expires_at = claims.issued_at + app_.config.access_token_ttl;
  claims.token_id = core::new_uuid_v7();
  return auth::sign_access_token(claims, app_.signing_key);
}

IssuedTokens AuthService::start_session(db::Session& db_session, const User& user,
                                        const std::string& family_id, core::Timestamp now) {
  IssuedTokens tokens;
  tokens.user = user;
  tokens.access_token = access_token_for(db_session, user, now);
  tokens.access_expires_at =
      std::chrono::floor<std::chrono::seconds>(now) + app_.config.access_token_ttl;
  tokens.refresh_token = new_refresh_token();
  tokens.refresh_expires_at = now + app_.config.refresh_token_ttl;
  insert_refresh_token(db_session, family_id, user.id, tokens.refresh_token, now,
                       tokens.refresh_expires_at);
  return tokens;
}

IssuedTokens AuthService::register_user(const Registration& registration) {
  validate_registration(registration);
  auto now = core::now();
  User user;
  user.id = core::new_uuid_v7();
  user.email = registration.email;
  user.display_name = registration.display_name;
  user.role = registration.role;
  user.password_hash = app_.hasher.hash(registration.password);
  user.created_at = now;
  user.updated_at = now;

  auto tokens = app_.database.transaction([&](db::Session& session) {
    insert_user(session, user);
    return start_session(session, user, core::new_uuid_v7(), now);
  });
  spdlog::info("user {} registered with role {}", user.id, auth::role_name(user.role));
  return tokens;
}

IssuedTokens AuthService::login(const std::string& email, const std::string& password,
                                const std::string& client_address) {
  auto now = core::now();
  std::string email_key = ascii_lower(trim(email));
  // Three counters. One address guessing one account's password is stopped after a few
  // tries. That blocks only that address, so wrong passwords typed elsewhere for a
  // customer's e-mail do not lock the customer out. Guessing spread over many addresses
  // meets the much higher limit per account, and one address trying many accounts meets
  // the limit per address.
  std::string email_throttle = "email:" + email_key + "|" + client_address;
  std::string account_throttle = "account:" + email_key;
  std::string address_throttle = "address:" + client_address;
  const auto& config = app_.config;

  // The limits are checked before the password is hashed, so a blocked attacker costs
  // no Argon2 work.
  auto blocked = app_.database.transaction(
      [&](db::Session& session) {
        auto by_email = login_blocked_for(session, email_throttle, config.max_failures_per_email,
                                          config.failure_window, now);
        auto by_account = login_blocked_for(
            session, account_throttle, config.max_failures_per_account, config.failure_window, now);
        auto by_address = login_blocked_for(
            session, address_throttle, config.max_failures_per_address, config.failure_window, now);
        return std::max({by_email, by_account, by_address});
      },
      kReadOnly);
  if (blocked) {
    core::Error error(
        core::ErrorCode::kRateLimited,
        fmt::format("too many failed logins; try again in {} seconds", blocked->count()));
    error.with_retry_after(*blocked);
    throw error;
  }

  auto user = app_.database.transaction(
      [&](db::Session& session) { return find_user_by_email(session, email_key); }, kReadOnly);
  bool valid =
      user ? app_.hasher.verify(user->password_hash, password) : app_.hasher.verify_dummy(password);
  if (!valid) {
    app_.database.transaction([&](db::Session& session) {
      record_login_failure(session, email_throttle, config.failure_window, now);
      record_login_failure(session, account_throttle, config.failure_window, now);
      record_login_failure(session, address_throttle, config.failure_window, now);
    });
    spdlog::info("failed login from {} for {}", client_address,
                 user ? "user " + user->id : std::string("an unknown e-mail address"));
    throw invalid_credentials();
  }

  std::optional<std::string> new_hash;
  if (app_.hasher.needs_rehash(user->password_hash)) {
    new_hash = app_.hasher.hash(password);
  }
  return app_.database.transaction([&](db::Session& session) {
    clear_login_failures(session, email_throttle);
    if (new_hash) {
      update_password_hash(session, user->id, *new_hash);
    }
    return start_session(session, *user, core::new_uuid_v7(), now);
  });
}

IssuedTokens AuthService::refresh(const std::string& refresh_token) {
  auto now = core::now();
  struct Outcome {
    Rotation rotation;
    std::optional<IssuedTokens> tokens;
  };
  // A reuse revokes the family inside the transaction, so the error is thrown only after
  // the commit.
  auto outcome = app_.database.transaction([&](db::Session& session) {
    Outcome result{rotate_refresh_token(session, refresh_token, now), std::nullopt};
    if (result.rotation.outcome == RotationOutcome::kRotated) {
      auto user = find_user_by_id(session, result.rotation.user_id);
      if (user) {
        result.tokens = start_session(session, *user, result.rotation.family_id, now);
      }
    }
    return result;
  });
  switch (outcome.rotation.outcome) {
    case RotationOutcome::kRotated:
      if (outcome.tokens) {
        return *outcome.tokens;
      }
      throw core::Error::unauthenticated("the refresh token's account no longer exists");
    case RotationOutcome::kUnknown:
      throw core::Error::unauthenticated("the refresh token is not valid; log in again");
    case RotationOutcome::kExpired:
      throw core::Error::unauthenticated("the refresh token has expired; log in again");
    case RotationOutcome::kRevoked:
      throw core::Error::unauthenticated("the refresh token was revoked; log in again");
    case RotationOutcome::kReused:
      spdlog::warn("refresh token reused for user {}; revoked token family {}",
                   outcome.rotation.user_id, outcome.rotation.family_id);
      throw core::Error::unauthenticated(
          "the refresh token was already used, so every token of this login was revoked; "
          "log in again");
  }
  throw core::Error::internal("unhandled refresh token outcome");
}

void AuthService::logout(const std::string& refresh_token) {
  auto now = core::now();
  app_.database.transaction(
      [&](db::Session& session) { revoke_refresh_family(session, refresh_token, now); });
}

bool AuthService::ensure_admin(const std::string& email, const std::string& password,
                               const std::string& display_name) {
  Registration registration{email, password, display_name, auth::Role::kAdmin};
  validate_registration(registration);
  auto existing = app_.database.transaction(
      [&](db::Session& session) { return find_user_by_email(session, ascii_lower(email)); },
      kReadOnly);
  if (existing) {
    if (existing->role != auth::Role::kAdmin) {
      spdlog::warn("the admin e-mail address belongs to user {} with role {}; not changed",
                   existing->id, auth::role_name(existing->role));
    }
    return false;
  }
  auto now = core::now();
  User user{core::new_uuid_v7(),        email, display_name, auth::Role::kAdmin,
            app_.hasher.hash(password), now,   now};
  try {
    app_.database.transaction([&](db::Session& session) { insert_user(session, user); });
  } catch (const core::Error& error) {
    if (error.code() == core::ErrorCode::kConflict) {
      return false;  // another process created it at the same time
    }
    throw;
  }
  spdlog::info("created admin user {}", user.id);
  return true;
}

}  // namespace surplus::orders
