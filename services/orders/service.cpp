#include "service.hpp"

#include <iostream>

#include <spdlog/spdlog.h>

#include <surplus/events/relay.hpp>

#include "auth_service.hpp"
#include "demo_data.hpp"
#include "migrations.hpp"
#include "reconciler.hpp"
#include "routes.hpp"

namespace surplus::orders {
namespace {

// Creates the ADMIN_EMAIL account when configured, so a fresh installation has an admin.
void ensure_configured_admin(OrdersApp& app) {
  if (!app.config.admin_email) {
    return;
  }
  try {
    AuthService(app).ensure_admin(*app.config.admin_email, *app.config.admin_password,
                                  "Administrator");
  } catch (const core::Error& error) {
    if (error.code() == core::ErrorCode::kValidationFailed) {
      throw core::ConfigError("ADMIN_PASSWORD",
                              "ADMIN_EMAIL must be an e-mail address and ADMIN_PASSWORD at least " +
                                  std::to_string(kMinPasswordLength) +
                                  " characters other than the address: " + error.fields().dump());
    }
    throw;
  }
}

constexpr std::string_view kEnvironmentHelp = R"(
Orders service (default in brackets):
  ACCESS_TOKEN_TTL [15m]  REFRESH_TOKEN_TTL [720h]
  LOGIN_MAX_FAILURES_PER_EMAIL [5] (from one client address)
  LOGIN_MAX_FAILURES_PER_ACCOUNT [50] (from all client addresses)
  LOGIN_MAX_FAILURES_PER_ADDRESS [20]  LOGIN_FAILURE_WINDOW [15m]
  ARGON2_OPS_LIMIT [2]  ARGON2_MEM_LIMIT [19MiB]  ARGON2_MAX_CONCURRENT [2]
  AUTH_PRIVATE_KEY (base64 Ed25519 seed)  AUTH_PRIVATE_KEY_FILE [var/auth/ed25519.key,
    generated with mode 0600 when missing]  AUTH_PUBLIC_KEY_FILE [var/auth/ed25519.pub,
    written on every start]  AUTH_CLOCK_LEEWAY [30s]
  SERVICE_SECRET [surplus-dev-secret, with a warning]
  ADMIN_EMAIL, ADMIN_PASSWORD  (create this ADMIN account at start when missing)
  OFFERS_URL [http://127.0.0.1:4002]  OFFERS_TIMEOUT [3s] (per call to the offers service)
  ORDER_RECONCILE_INTERVAL [1s] (pause between reconciler passes; 0s turns it off)
  ORDER_PENDING_MIN_AGE [5s] (PENDING orders older than this are retried by the reconciler)
  ORDER_PENDING_DEADLINE [2m] (PENDING orders older than this are rejected and released)
  ORDER_CLAIM_LEASE [10s] (how long one instance owns a claimed order before retrying)
  MAX_DELIVERY_DISTANCE_KM [15] (delivery orders to addresses farther from the restaurant
    are rejected with OUT_OF_DELIVERY_RANGE before any units are reserved)
  PICKUP_CODE_MAX_FAILURES [5]  PICKUP_CODE_FAILURE_WINDOW [15m] (wrong codes per order)
  NOTIFICATIONS_URL [http://127.0.0.1:4003]  OUTBOX_RELAY_ENABLED [true]
)";

// Threads that run beside the HTTP server: the order reconciler and the outbox relay.
struct BackgroundTasks {
  std::unique_ptr<Reconciler> reconciler;
  std::unique_ptr<events::OutboxRelay> relay;

  ~BackgroundTasks() {
    if (reconciler) {
      reconciler->stop();
    }
    if (relay) {
      relay->stop();
    }
  }
};

std::shared_ptr<BackgroundTasks> start_background(const std::shared_ptr<OrdersApp>& app,
                                                  const core::EnvReader& env) {
  auto tasks = std::make_shared<BackgroundTasks>();
  if (app->config.reconcile_interval.count() > 0) {
    tasks->reconciler = std::make_unique<Reconciler>(app);
    tasks->reconciler->start();
  } else {
    spdlog::warn("ORDER_RECONCILE_INTERVAL is 0s: PENDING orders are not retried by this process");
  }
  if (app->config.outbox_relay_enabled) {
    events::RelayOptions options;
    options.url = app->config.notifications_url + "/internal/events";
    options.service_secret =
        env.string("SERVICE_SECRET", std::string(auth::kDevelopmentServiceSecret));
    tasks->relay = std::make_unique<events::OutboxRelay>(app->database, options);
    tasks->relay->start();
  } else {
    spdlog::warn("OUTBOX_RELAY_ENABLED is false: events stay in the outbox table");
  }
  return tasks;
}

}  // namespace

void install_routes(service::ServiceContext& context) {
  auto app = make_orders_app(context.env, *context.database);
  ensure_configured_admin(*app);
  add_all_routes(context.router, app, start_background(app, context.env));
}

service::ServiceDefinition definition() {
  service::ServiceDefinition definition;
  definition.name = "orders";
  definition.default_port = 4001;
  definition.migrations = migrations();
  definition.install_routes = install_routes;
  definition.environment_help = kEnvironmentHelp;
  definition.seed = [](service::ServiceContext& context) {
    auto app = make_orders_app(context.env, *context.database);
    ensure_configured_admin(*app);
    seed_demo_data(*app);
    // `surplus seed` reads the accounts from standard output; logs go to standard error.
    std::cout << demo_accounts_json().dump() << std::endl;
  };
  return definition;
}

}  // namespace surplus::orders
