#include "orders_config.hpp"

#include <fmt/format.h>

#include <surplus/auth/keys.hpp>

namespace surplus::orders {
namespace {

std::chrono::seconds seconds_between(const core::EnvReader& env, const std::string& name,
                                     std::chrono::seconds default_value, std::chrono::seconds min,
                                     std::chrono::seconds max) {
  auto value = std::chrono::duration_cast<std::chrono::seconds>(env.duration(name, default_value));
  if (value < min || value > max) {
    throw core::ConfigError(name, fmt::format("{} must be between {}s and {}s, got {}s", name,
                                              min.count(), max.count(), value.count()));
  }
  return value;
}

}  // namespace

OrdersConfig OrdersConfig::from_env(const core::EnvReader& env) {
  using std::chrono::hours;
  using std::chrono::minutes;
  OrdersConfig config;
  config.access_token_ttl =
      seconds_between(env, "ACCESS_TOKEN_TTL", config.access_token_ttl, minutes(1), hours(24));
  config.refresh_token_ttl =
      seconds_between(env, "REFRESH_TOKEN_TTL", config.refresh_token_ttl, hours(1), hours(8760));
  config.max_failures_per_email =
      static_cast<int>(env.integer("LOGIN_MAX_FAILURES_PER_EMAIL", 5, 1, 1000));
  config.max_failures_per_address =
      static_cast<int>(env.integer("LOGIN_MAX_FAILURES_PER_ADDRESS", 20, 1, 100000));
  config.failure_window =
      seconds_between(env, "LOGIN_FAILURE_WINDOW", config.failure_window, minutes(1), hours(24));
  config.admin_email = env.raw("ADMIN_EMAIL");
  config.admin_password = env.raw("ADMIN_PASSWORD");
  if (config.admin_email.has_value() != config.admin_password.has_value()) {
    throw core::ConfigError(config.admin_email ? "ADMIN_PASSWORD" : "ADMIN_EMAIL",
                            "ADMIN_EMAIL and ADMIN_PASSWORD must be set together");
  }
  return config;
}

OrdersApp::OrdersApp(db::Database& database_in, OrdersConfig config_in,
                     auth::PasswordHashParams params, auth::KeyPair key, auth::ServiceSecret secret)
    : database(database_in),
      config(std::move(config_in)),
      hasher(params),
      signing_key(std::move(key)),
      verifier(signing_key.public_key()),
      service_secret(std::move(secret)) {}

std::shared_ptr<OrdersApp> make_orders_app(const core::EnvReader& env, db::Database& database) {
  auto config = OrdersConfig::from_env(env);
  auto params = auth::PasswordHashParams::from_env(env);
  auto secret = auth::ServiceSecret::from_env(env);
  auto key = auth::load_signing_key(env);
  auto leeway = env.duration("AUTH_CLOCK_LEEWAY", std::chrono::seconds(30));
  if (leeway > std::chrono::minutes(5)) {
    throw core::ConfigError("AUTH_CLOCK_LEEWAY", "AUTH_CLOCK_LEEWAY must be at most 5m");
  }
  auto app = std::make_shared<OrdersApp>(database, std::move(config), params, std::move(key),
                                         std::move(secret));
  app->verifier =
      auth::TokenVerifier(app->signing_key.public_key(), std::string(auth::kDefaultIssuer),
                          std::string(auth::kDefaultAudience),
                          std::chrono::duration_cast<std::chrono::seconds>(leeway));
  return app;
}

}  // namespace surplus::orders
