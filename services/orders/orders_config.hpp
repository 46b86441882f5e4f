#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <surplus/auth/jwt.hpp>
#include <surplus/auth/password.hpp>
#include <surplus/auth/request_auth.hpp>
#include <surplus/core/config.hpp>
#include <surplus/db/database.hpp>

namespace surplus::orders {

class OffersClient;

// Settings of the orders service beyond those of every service (see service::Settings).
// Each comes from an environment variable with a default, as listed here.
//   ACCESS_TOKEN_TTL                lifetime of access tokens, 1m-24h        [15m]
//   REFRESH_TOKEN_TTL               lifetime of each refresh token, 1h-8760h [720h]
//   LOGIN_MAX_FAILURES_PER_EMAIL    failed logins per e-mail from one client IP
//                                   per window                               [5]
//   LOGIN_MAX_FAILURES_PER_ACCOUNT  failed logins per e-mail from all client IPs
//                                   per window, at least the one above       [50]
//   LOGIN_MAX_FAILURES_PER_ADDRESS  failed logins per client IP per window   [20]
//   LOGIN_FAILURE_WINDOW            the window, 1m-24h                       [15m]
//   ADMIN_EMAIL, ADMIN_PASSWORD     create this ADMIN account at start when it does not exist
//   ARGON2_*, AUTH_*, SERVICE_SECRET  see libs/auth
//   OFFERS_URL                      the offers service             [http://127.0.0.1:4002]
//   OFFERS_TIMEOUT                  per call to it, 100ms-60s                [3s]
//   ORDER_RECONCILE_INTERVAL        pause between reconciler passes; 0s turns the
//                                   reconciler off (tests run passes themselves) [1s]
//   ORDER_PENDING_MIN_AGE           a PENDING order this old is the reconciler's [5s]
//   ORDER_PENDING_DEADLINE          a PENDING order this old is rejected     [2m]
//   ORDER_CLAIM_LEASE               how long one reconciler owns a claimed order,
//                                   which is also the delay between its retries [10s]
//   MAX_DELIVERY_DISTANCE_KM        a delivery order's address is at most this many
//                                   km from the restaurant, 1-20000          [15]
//   PICKUP_CODE_MAX_FAILURES        wrong pickup codes per order per window  [5]
//   PICKUP_CODE_FAILURE_WINDOW      the window, 1m-24h                       [15m]
//   NOTIFICATIONS_URL               where the outbox relay sends events [http://127.0.0.1:4003]
//   OUTBOX_RELAY_ENABLED            whether this process runs the relay      [true]
struct OrdersConfig {
  std::chrono::seconds access_token_ttl{15 * 60};
  std::chrono::seconds refresh_token_ttl{30 * 24 * 3600};
  int max_failures_per_email = 5;
  int max_failures_per_account = 50;
  int max_failures_per_address = 20;
  std::chrono::seconds failure_window{15 * 60};
  std::optional<std::string> admin_email;
  std::optional<std::string> admin_password;
  std::string offers_url = "http://127.0.0.1:4002";
  std::chrono::milliseconds offers_timeout{3000};
  std::chrono::milliseconds reconcile_interval{1000};
  std::chrono::milliseconds pending_min_age{5000};
  std::chrono::milliseconds pending_deadline{120000};
  std::chrono::milliseconds claim_lease{10000};
  std::int64_t max_delivery_distance_km = 15;
  int pickup_code_max_failures = 5;
  std::chrono::seconds pickup_code_failure_window{15 * 60};
  std::string notifications_url = "http://127.0.0.1:4003";
  bool outbox_relay_enabled = true;

  // Throws core::ConfigError naming a bad variable.
  static OrdersConfig from_env(const core::EnvReader& env);
};

// Options of a read-only transaction.
inline const db::TxOptions kReadOnly{
    .isolation = db::Isolation::kReadCommitted, .read_only = true, .max_attempts = std::nullopt};

inline constexpr std::size_t kMinPasswordLength = 10;  // code points
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// The state that the handlers share: the database, the settings, and the keys and
// hasher, which are costly to build. Created once per process (or per test server).
struct OrdersApp {
  db::Database& database;
  OrdersConfig config;
  auth::PasswordHasher hasher;
  auth::KeyPair signing_key;
  auth::TokenVerifier verifier;
  auth::ServiceSecret service_secret;
  std::shared_ptr<OffersClient> offers;

  OrdersApp(db::Database& database_in, OrdersConfig config_in, auth::PasswordHashParams params,
            auth::KeyPair key, auth::ServiceSecret secret);
};

// Reads the configuration, loads or generates the signing key (see auth::load_signing_key)
// and builds the shared state. Throws core::ConfigError naming a bad variable.
std::shared_ptr<OrdersApp> make_orders_app(const core::EnvReader& env, db::Database& database);

}  // namespace surplus::orders
