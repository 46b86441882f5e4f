#include "service.hpp"

#include <spdlog/spdlog.h>

#include "auth_service.hpp"
#include "demo_data.hpp"
#include "migrations.hpp"
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

}  // namespace

void install_routes(service::ServiceContext& context) {
  auto app = make_orders_app(context.env, *context.database);
  ensure_configured_admin(*app);
  add_all_routes(context.router, app);
}

service::ServiceDefinition definition() {
  service::ServiceDefinition definition;
  definition.name = "orders";
  definition.default_port = 4001;
  definition.migrations = migrations();
  definition.install_routes = install_routes;
  definition.seed = [](service::ServiceContext& context) {
    auto app = make_orders_app(context.env, *context.database);
    ensure_configured_admin(*app);
    seed_demo_data(*app);
  };
  return definition;
}

}  // namespace surplus::orders
