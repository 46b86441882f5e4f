#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>

#include <surplus/auth/jwt.hpp>
#include <surplus/auth/request_auth.hpp>
#include <surplus/core/metrics.hpp>
#include <surplus/db/database.hpp>

#include "event_log.hpp"
#include "history_sweeper.hpp"
#include "hub.hpp"
#include "notifications_config.hpp"
#include "order_audience.hpp"

namespace surplus::notifications {

// Counters on /metrics.
struct NotificationsMetrics {
  core::Counter& events_stored;
  core::Counter& events_duplicate;
  core::Counter& messages_delivered;
  core::Counter& slow_readers_closed;
  core::Counter& connections_rejected;
  core::Gauge& connections_open;
  core::Gauge& subscriptions_open;

  static NotificationsMetrics create(core::MetricsRegistry& registry);
};

// State shared by the HTTP handlers and the WebSocket connections. Thread-safe.
struct NotificationsApp {
  NotificationsApp(NotificationsConfig config_in, db::Database& database_in,
                   auth::TokenVerifier verifier_in, auth::ServiceSecret secret_in);

  NotificationsConfig config;
  db::Database& database;
  auth::TokenVerifier verifier;
  auth::ServiceSecret service_secret;
  EventLog log;
  Hub hub;
  OrderAudienceClient orders;
  NotificationsMetrics metrics;
  // Held from the start of an append until its entries are queued in the hub, so entries
  // reach the hub in commit order. This makes ingestion one transaction at a time.
  // NOTE: live fan-out reaches only the subscribers of the process that ingested the
  // event. Several processes on one PostgreSQL database would store correctly, but their
  // clients would see other processes' events only through recovery.
  std::mutex ingest_mutex;
  std::atomic<std::size_t> open_connections{0};
  // Started by the service, not by tests that prune explicitly.
  std::unique_ptr<HistorySweeper> sweeper;
};

// Reads the configuration, the token public key (which may wait for the orders service to
// publish it, see auth::load_public_key) and the service secret. Throws
// core::ConfigError naming a bad variable.
std::shared_ptr<NotificationsApp> make_notifications_app(const core::EnvReader& env,
                                                         db::Database& database);

}  // namespace surplus::notifications
