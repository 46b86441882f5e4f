#include "service.hpp"

#include <surplus/core/log.hpp>
#include <surplus/events/relay.hpp>

#include "demo_data.hpp"
#include "expiry_sweeper.hpp"
#include "migrations.hpp"
#include "offers_app.hpp"
#include "routes.hpp"

namespace surplus::offers {
namespace {

// Threads that run beside the HTTP server. The routes keep them alive, so they stop when
// the server and its router are destroyed at shutdown.
struct BackgroundTasks {
  std::unique_ptr<ExpirySweeper> sweeper;
  std::unique_ptr<events::OutboxRelay> relay;

  ~BackgroundTasks() {
    if (relay) {
      relay->stop();
    }
    if (sweeper) {
      sweeper->stop();
    }
  }
};

std::shared_ptr<BackgroundTasks> start_background(OffersApp& app, const core::EnvReader& env) {
  auto tasks = std::make_shared<BackgroundTasks>();
  tasks->sweeper = std::make_unique<ExpirySweeper>(app.database, app.config.offer_expiry_interval);
  tasks->sweeper->start();
  if (app.config.outbox_relay_enabled) {
    events::RelayOptions options;
    options.url = app.config.notifications_url + "/internal/events";
    options.service_secret =
        env.string("SERVICE_SECRET", std::string(auth::kDevelopmentServiceSecret));
    tasks->relay = std::make_unique<events::OutboxRelay>(app.database, options);
    tasks->relay->start();
  } else {
    spdlog::warn("OUTBOX_RELAY_ENABLED is false: events stay in the outbox table");
  }
  return tasks;
}

void install_routes(service::ServiceContext& context) {
  auto app = make_offers_app(context.env, *context.database);
  auto background = start_background(*app, context.env);
  add_offers_routes(context.router, app, background);
}

}  // namespace

service::ServiceDefinition definition() {
  service::ServiceDefinition definition;
  definition.name = "offers";
  definition.default_port = 4002;
  definition.migrations = migrations();
  definition.install_routes = install_routes;
  definition.seed = [](service::ServiceContext& context) {
    // Seeding verifies no tokens, so it does not wait for the orders service's public key.
    auto app = make_offers_app(context.env, *context.database, false);
    seed_demo_data(*app);
  };
  return definition;
}

}  // namespace surplus::offers
