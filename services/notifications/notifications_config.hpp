#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <surplus/core/config.hpp>
#include <surplus/http/websocket.hpp>

namespace surplus::notifications {

// Settings of the notifications service, each from an environment variable whose default
// kEnvironmentHelp lists. The service-wide ones (PORT, DATABASE_URL, ...) are in
// service::Settings.
struct NotificationsConfig {
  // History kept per channel: at most history_size entries, none older than history_age.
  std::size_t history_size = 500;
  std::chrono::milliseconds history_age{std::chrono::hours(24)};
  // A replayed event is recognised by its id for at least this long after it was stored.
  std::chrono::milliseconds dedup_window{std::chrono::hours(24 * 7)};
  std::chrono::milliseconds prune_interval{std::chrono::minutes(1)};

  std::size_t max_batch_events = 500;         // events per POST /internal/events
  std::size_t max_event_channels = 32;        // channels of one event
  std::size_t max_channel_bytes = 200;        // length of one channel name
  std::size_t dispatch_queue_events = 10000;  // committed events waiting for fan-out
  // Threads that deliver one event to its subscribers, each taking a share of them.
  std::size_t delivery_threads = 2;

  std::size_t max_connections = 9000;
  std::size_t max_channels_per_connection = 100;
  http::WebSocketOptions websocket;

  std::string orders_url = "http://127.0.0.1:4001";
  std::chrono::milliseconds orders_timeout{2000};
  std::chrono::milliseconds audience_cache_ttl{5000};
  std::size_t audience_cache_entries = 10000;

  // Reads the variables; throws core::ConfigError naming a malformed or inconsistent one.
  static NotificationsConfig from_env(const core::EnvReader& env);
};

// The --help text for the variables above.
extern const char* const kEnvironmentHelp;

}  // namespace surplus::notifications
