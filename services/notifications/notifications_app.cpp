#include "notifications_app.hpp"

#include <surplus/auth/keys.hpp>

namespace surplus::notifications {

NotificationsMetrics NotificationsMetrics::create(core::MetricsRegistry& registry) {
  return {
      registry.counter("notifications_events_stored_total", "Events stored for the first time"),
      registry.counter("notifications_events_duplicate_total",
                       "Ingested events skipped because their id was already stored"),
      registry.counter("notifications_messages_delivered_total",
                       "Event messages queued to WebSocket connections"),
      registry.counter("notifications_slow_readers_closed_total",
                       "Connections closed with 4000 because their send queue overflowed"),
      registry.counter("notifications_connections_rejected_total",
                       "WebSocket upgrades rejected with 503 at WS_MAX_CONNECTIONS"),
      registry.gauge("notifications_connections_open", "Open WebSocket connections"),
      registry.gauge("notifications_subscriptions_open",
                     "Channel subscriptions of open connections"),
  };
}

NotificationsApp::NotificationsApp(NotificationsConfig config_in, db::Database& database_in,
                                   auth::TokenVerifier verifier_in, auth::ServiceSecret secret_in)
    : config(std::move(config_in)),
      database(database_in),
      verifier(std::move(verifier_in)),
      service_secret(std::move(secret_in)),
      log(database_in, HistoryLimits{config.history_size, config.history_age, config.dedup_window}),
      hub(config.dispatch_queue_events, config.delivery_threads),
      orders(config.orders_url, service_secret, config.orders_timeout, config.audience_cache_ttl,
             config.audience_cache_entries),
      metrics(NotificationsMetrics::create(core::default_metrics())) {}

std::shared_ptr<NotificationsApp> make_notifications_app(const core::EnvReader& env,
                                                         db::Database& database) {
  auto config = NotificationsConfig::from_env(env);
  auto secret = auth::ServiceSecret::from_env(env);
  auto verifier = auth::load_token_verifier(env);
  return std::make_shared<NotificationsApp>(std::move(config), database, std::move(verifier),
                                            std::move(secret));
}

}  // namespace surplus::notifications
