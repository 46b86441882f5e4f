#include "service.hpp"

#include <spdlog/spdlog.h>

#include <surplus/core/config.hpp>

#include "history_sweeper.hpp"
#include "migrations.hpp"
#include "notifications_app.hpp"
#include "routes.hpp"

namespace surplus::notifications {
namespace {

void install_routes(service::ServiceContext& context) {
  auto app = make_notifications_app(context.env, *context.database);
  if (app->config.max_connections >= context.settings.server.max_connections) {
    throw core::ConfigError("WS_MAX_CONNECTIONS",
                            "must be below HTTP_MAX_CONNECTIONS (" +
                                std::to_string(context.settings.server.max_connections) +
                                "), so that ingestion and probes can still connect");
  }
  add_notifications_routes(context.router, app);
  app->sweeper = std::make_unique<HistorySweeper>(app->log, app->config.prune_interval);
  const auto& config = app->config;
  spdlog::info(
      "notifications: epoch {}, history {} events / {} s per channel, max {} connections, "
      "{} channels each, send queue {} messages",
      app->log.database_epoch(), config.history_size,
      std::chrono::duration_cast<std::chrono::seconds>(config.history_age).count(),
      config.max_connections, config.max_channels_per_connection,
      config.websocket.max_queue_messages);
}

}  // namespace

service::ServiceDefinition definition() {
  service::ServiceDefinition definition;
  definition.name = "notifications";
  definition.default_port = 4003;
  definition.migrations = migrations();
  definition.install_routes = install_routes;
  definition.environment_help = kEnvironmentHelp;
  return definition;
}

}  // namespace surplus::notifications
