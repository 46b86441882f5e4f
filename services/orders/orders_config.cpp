#include "orders_config.hpp"

#include <fmt/format.h>

#include <surplus/auth/keys.hpp>

#include "offers_client.hpp"

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

std::chrono::milliseconds duration_between(const core::EnvReader& env, const std::string& name,
                                           std::chrono::milliseconds default_value,
                                           std::chrono::milliseconds min,
                                           std::chrono::milliseconds max) {
  auto value = env.duration(name, default_value);
  if (value < min || value > max) {
    throw core::ConfigError(name, fmt::format("{} must be between {}ms and {}ms, got {}ms", name,
                                              min.count(), max.count(), value.count()));
  }
  return value;
}

void read_order_flow_settings(const core::EnvReader& env, OrdersConfig& config) {
  using std::chrono::hours;
  using std::chrono::milliseconds;
  using std::chrono::minutes;
  using std::chrono::seconds;
  config.offers_url = env.string("OFFERS_URL", config.offers_url);
  if (!config.offers_url.starts_with("http://")) {
    throw core::ConfigError("OFFERS_URL",
                            "OFFERS_URL must start with http://, got " + config.offers_url);
  }
  config.offers_timeout = duration_between(env, "OFFERS_TIMEOUT", config.offers_timeout,
                                           milliseconds(100), seconds(60));
  config.reconcile_interval = duration_between(
      env, "ORDER_RECONCILE_INTERVAL", config.reconcile_interval, milliseconds(0), hours(1));
  config.pending_min_age = duration_between(env, "ORDER_PENDING_MIN_AGE", config.pending_min_age,
                                            milliseconds(0), hours(1));
  config.pending_deadline = duration_between(env, "ORDER_PENDING_DEADLINE", config.pending_deadline,
                                             seconds(1), hours(24));
  if (config.pending_deadline <= config.pending_min_age) {
    throw core::ConfigError("ORDER_PENDING_DEADLINE",
                            "ORDER_PENDING_DEADLINE must be longer than ORDER_PENDING_MIN_AGE");
  }
  config.claim_lease =
      duration_between(env, "ORDER_CLAIM_LEASE", config.claim_lease, seconds(1), hours(1));
  // 20000 km is about half the Earth's circumference (the largest distance between two
  // points), so it lets almost every address through.
  config.max_delivery_distance_km =
      env.integer("MAX_DELIVERY_DISTANCE_KM", config.max_delivery_distance_km, 1, 20000);
  config.pickup_code_max_failures =
      static_cast<int>(env.integer("PICKUP_CODE_MAX_FAILURES", 5, 1, 1000));
  config.pickup_code_failure_window = seconds_between(
      env, "PICKUP_CODE_FAILURE_WINDOW", config.pickup_code_failure_window, minutes(1), hours(24));
  config.notifications_url = env.string("NOTIFICATIONS_URL", config.notifications_url);
  config.outbox_relay_enabled = env.boolean("OUTBOX_RELAY_ENABLED", config.outbox_relay_enabled);
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
  config.max_failures_per_account = static_cast<int>(
      env.integer("LOGIN_MAX_FAILURES_PER_ACCOUNT", 50, config.max_failures_per_email, 100000));
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
  read_order_flow_settings(env, config);
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
  app->offers = std::make_shared<OffersClient>(app->config.offers_url, app->service_secret,
                                               app->config.offers_timeout);
  app->verifier =
      auth::TokenVerifier(app->signing_key.public_key(), std::string(auth::kDefaultIssuer),
                          std::string(auth::kDefaultAudience),
                          std::chrono::duration_cast<std::chrono::seconds>(leeway));
  return app;
}

}  // namespace surplus::orders
