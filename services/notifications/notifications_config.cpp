#include "notifications_config.hpp"

#include <string>

namespace surplus::notifications {

const char* const kEnvironmentHelp = R"(
Notifications settings (default in brackets):
  HISTORY_SIZE [500]             events kept per channel for recovery (1-100000); must be
                                 below WS_MAX_QUEUE_MESSAGES, because a recovery queues them all
  HISTORY_MAX_AGE [24h]          older events are neither served nor kept
  EVENT_DEDUP_WINDOW [168h]      a replayed event id is recognised for at least this long;
                                 at least HISTORY_MAX_AGE
  HISTORY_PRUNE_INTERVAL [1m]    how often expired history and events are deleted
  INGEST_MAX_BATCH [500]         events per POST /internal/events; more is rejected with 413
  INGEST_DISPATCH_QUEUE [10000]  stored events waiting for fan-out; ingestion waits when full
  WS_MAX_CONNECTIONS [9000]      open WebSockets; more get 503 at the upgrade. Keep it below
                                 HTTP_MAX_CONNECTIONS so that ingestion and probes get through
  WS_MAX_CHANNELS [100]          subscriptions per connection
  WS_MAX_MESSAGE_BYTES [16KiB]   largest client message; a larger one closes with 1009
  WS_MAX_QUEUE_MESSAGES [1024]   send queue per connection, in messages; overflow closes
  WS_MAX_QUEUE_BYTES [1MiB]      the connection with 4000 (the client reads too slowly)
  WS_PING_INTERVAL [25s]         a ping after this long without a frame from the client
  WS_PONG_TIMEOUT [10s]          no frame within this after a ping drops the connection
  WS_CLOSE_TIMEOUT [5s]          time for the closing handshake before the socket is dropped
  WS_IDLE_TIMEOUT [0s]           close with 4001 after this long without a client message;
                                 0s disables it
  WS_COMPACT_FRAMING [true]      run connections on the server's own RFC 6455 framing,
                                 which needs a few KB less memory per connection than
                                 Beast's websocket::stream (false)
  DELIVERY_THREADS [2]           threads that share the fan-out of the queued events to
                                 the subscribers of their channels (1-64)
  ORDERS_URL [http://127.0.0.1:4001]  the orders service, which lists the readers of an
                                 order:{id} channel; "off": only admins may subscribe to those
  ORDERS_TIMEOUT [2s]            time limit of that request
  ORDER_AUDIENCE_CACHE_TTL [5s]  how long a response of that request is cached
  SERVICE_SECRET [surplus-dev-secret]  expected in X-Service-Secret and sent to orders
  AUTH_PUBLIC_KEY, AUTH_PUBLIC_KEY_FILE, ORDERS_URL: where the token public key comes from
)";

namespace {

std::size_t count(const core::EnvReader& env, const std::string& name, std::size_t default_value,
                  std::int64_t min, std::int64_t max) {
  return static_cast<std::size_t>(
      env.integer(name, static_cast<std::int64_t>(default_value), min, max));
}

std::size_t bytes(const core::EnvReader& env, const std::string& name, std::size_t default_value,
                  std::int64_t min, std::int64_t max) {
  auto value = env.byte_size(name, static_cast<std::int64_t>(default_value));
  if (value < min || value > max) {
    throw core::ConfigError(
        name, "must be between " + std::to_string(min) + " and " + std::to_string(max) + " bytes");
  }
  return static_cast<std::size_t>(value);
}

std::chrono::milliseconds positive_duration(const core::EnvReader& env, const std::string& name,
                                            std::chrono::milliseconds default_value) {
  auto value = env.duration(name, default_value);
  if (value.count() <= 0) {
    throw core::ConfigError(name, "must be a positive duration such as 30s");
  }
  return value;
}

void read_websocket_limits(const core::EnvReader& env, NotificationsConfig& config) {
  auto& ws = config.websocket;
  config.max_connections = count(env, "WS_MAX_CONNECTIONS", config.max_connections, 1, 1000000);
  config.max_channels_per_connection =
      count(env, "WS_MAX_CHANNELS", config.max_channels_per_connection, 1, 10000);
  ws.max_message_bytes = bytes(env, "WS_MAX_MESSAGE_BYTES", ws.max_message_bytes, 256, 1 << 20);
  ws.max_queue_messages = count(env, "WS_MAX_QUEUE_MESSAGES", ws.max_queue_messages, 2, 1000000);
  ws.max_queue_bytes = bytes(env, "WS_MAX_QUEUE_BYTES", ws.max_queue_bytes, 1024, 1LL << 30);
  ws.ping_interval = positive_duration(env, "WS_PING_INTERVAL", ws.ping_interval);
  ws.pong_timeout = positive_duration(env, "WS_PONG_TIMEOUT", ws.pong_timeout);
  ws.close_timeout = positive_duration(env, "WS_CLOSE_TIMEOUT", ws.close_timeout);
  ws.compact_framing = env.boolean("WS_COMPACT_FRAMING", ws.compact_framing);
  ws.idle_timeout = env.duration("WS_IDLE_TIMEOUT", ws.idle_timeout);
  if (ws.idle_timeout.count() < 0) {
    throw core::ConfigError("WS_IDLE_TIMEOUT", "must be 0s (disabled) or a positive duration");
  }
}

}  // namespace

NotificationsConfig NotificationsConfig::from_env(const core::EnvReader& env) {
  NotificationsConfig config;
  config.websocket.max_message_bytes = 16 * 1024;
  config.websocket.ping_interval = std::chrono::seconds(25);

  config.history_size = count(env, "HISTORY_SIZE", config.history_size, 1, 100000);
  config.history_age = positive_duration(env, "HISTORY_MAX_AGE", config.history_age);
  config.dedup_window = positive_duration(env, "EVENT_DEDUP_WINDOW", config.dedup_window);
  if (config.dedup_window < config.history_age) {
    throw core::ConfigError("EVENT_DEDUP_WINDOW", "must be at least HISTORY_MAX_AGE");
  }
  config.prune_interval = positive_duration(env, "HISTORY_PRUNE_INTERVAL", config.prune_interval);
  config.max_batch_events = count(env, "INGEST_MAX_BATCH", config.max_batch_events, 1, 100000);
  config.dispatch_queue_events =
      count(env, "INGEST_DISPATCH_QUEUE", config.dispatch_queue_events, 1, 10000000);
  config.delivery_threads = count(env, "DELIVERY_THREADS", config.delivery_threads, 1, 64);

  read_websocket_limits(env, config);
  if (config.history_size >= config.websocket.max_queue_messages) {
    throw core::ConfigError("HISTORY_SIZE",
                            "must be below WS_MAX_QUEUE_MESSAGES (" +
                                std::to_string(config.websocket.max_queue_messages) +
                                "), because a recovery queues the whole history");
  }

  config.orders_url = env.string("ORDERS_URL", config.orders_url);
  if (config.orders_url == "off") {
    config.orders_url.clear();
  }
  config.orders_timeout = positive_duration(env, "ORDERS_TIMEOUT", config.orders_timeout);
  config.audience_cache_ttl = env.duration("ORDER_AUDIENCE_CACHE_TTL", config.audience_cache_ttl);
  return config;
}

}  // namespace surplus::notifications
