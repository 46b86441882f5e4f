#include "gateway_config.hpp"

#include <sstream>

namespace surplus::gateway {
namespace {

// Base URLs are joined with paths such as "/offers", so a trailing slash would double it.
std::string base_url(const core::EnvReader& env, const std::string& name,
                     const std::string& default_value) {
  std::string url = env.string(name, default_value);
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  if (url.rfind("http://", 0) != 0) {
    throw core::ConfigError(
        name, "expected an http:// URL such as " + default_value + ", got \"" + url + "\"");
  }
  return url;
}

std::vector<std::string> split_origins(const std::string& text) {
  std::vector<std::string> origins;
  std::stringstream stream(text);
  std::string origin;
  while (std::getline(stream, origin, ',')) {
    const auto first = origin.find_first_not_of(" \t");
    const auto last = origin.find_last_not_of(" \t/");
    if (first != std::string::npos) {
      origins.push_back(origin.substr(first, last - first + 1));
    }
  }
  return origins;
}

// A value that parsed but is out of range: the message names the variable, its value and
// what it accepts, like the messages of core::EnvReader.
[[noreturn]] void reject(const core::EnvReader& env, const std::string& name,
                         const std::string& expected) {
  throw core::ConfigError(
      name, name + "='" + env.raw(name).value_or("") + "' is invalid: expected " + expected);
}

}  // namespace

GatewayConfig load_gateway_config(const core::EnvReader& env) {
  GatewayConfig config;
  config.orders_url = base_url(env, "ORDERS_URL", config.orders_url);
  config.offers_url = base_url(env, "OFFERS_URL", config.offers_url);

  const std::string origins =
      env.string("CORS_ALLOWED_ORIGINS", "http://localhost:4000,http://127.0.0.1:4000");
  config.cors_allowed_origins = split_origins(origins);
  for (const auto& origin : config.cors_allowed_origins) {
    if (origin == "*") {
      config.cors_allow_any_origin = true;
    } else if (origin.rfind("http://", 0) != 0 && origin.rfind("https://", 0) != 0) {
      throw core::ConfigError("CORS_ALLOWED_ORIGINS",
                              "expected comma-separated origins such as https://app.example, "
                              "or *, got \"" +
                                  origin + "\"");
    }
  }

  config.introspection = env.boolean("GRAPHQL_INTROSPECTION", true);
  config.limits.max_depth = static_cast<std::size_t>(env.integer("GRAPHQL_MAX_DEPTH", 12, 0, 1000));
  config.limits.max_aliases =
      static_cast<std::size_t>(env.integer("GRAPHQL_MAX_ALIASES", 30, 0, 100000));
  config.limits.max_root_fields =
      static_cast<std::size_t>(env.integer("GRAPHQL_MAX_ROOT_FIELDS", 10, 0, 100000));
  config.limits.max_cost =
      static_cast<std::uint64_t>(env.integer("GRAPHQL_MAX_COST", 20000, 0, 1'000'000'000));
  config.limits.default_list_size =
      static_cast<std::uint64_t>(env.integer("GRAPHQL_DEFAULT_LIST_SIZE", 20, 1, 100));
  config.request_timeout = env.duration("GRAPHQL_REQUEST_TIMEOUT", config.request_timeout);
  if (config.request_timeout.count() <= 0) {
    reject(env, "GRAPHQL_REQUEST_TIMEOUT", "a positive duration such as 10s");
  }
  config.downstream_connections =
      static_cast<std::size_t>(env.integer("GRAPHQL_DOWNSTREAM_CONNECTIONS", 64, 1, 4096));
  const std::int64_t cache_bytes = env.byte_size(
      "GRAPHQL_DOCUMENT_CACHE_BYTES", static_cast<std::int64_t>(config.document_cache_bytes));
  if (cache_bytes < 0 || cache_bytes > (1 << 30)) {
    reject(env, "GRAPHQL_DOCUMENT_CACHE_BYTES", "0 (no cache) to 1GiB, such as 16MiB");
  }
  config.document_cache_bytes = static_cast<std::size_t>(cache_bytes);
  config.graphiql_assets_dir = env.string("GRAPHIQL_ASSETS_DIR", SURPLUS_GATEWAY_GRAPHIQL_DIR);

  config.notifications_ws_url = env.string("NOTIFICATIONS_WS_URL", config.notifications_ws_url);
  if (config.notifications_ws_url.rfind("ws://", 0) != 0) {
    throw core::ConfigError("NOTIFICATIONS_WS_URL",
                            "expected a ws:// URL such as ws://127.0.0.1:4003/ws, got \"" +
                                config.notifications_ws_url + "\"");
  }
  config.notifications_reconnect_timeout =
      env.duration("NOTIFICATIONS_RECONNECT_TIMEOUT", config.notifications_reconnect_timeout);
  if (config.notifications_reconnect_timeout.count() < 0) {
    reject(env, "NOTIFICATIONS_RECONNECT_TIMEOUT",
           "a duration such as 30s, or 0s to close clients at once");
  }
  config.ws_max_subscriptions =
      static_cast<std::size_t>(env.integer("GRAPHQL_WS_MAX_SUBSCRIPTIONS", 20, 1, 10000));
  const std::int64_t max_message_bytes = env.byte_size(
      "GRAPHQL_WS_MAX_MESSAGE_BYTES", static_cast<std::int64_t>(config.ws_max_message_bytes));
  if (max_message_bytes < 256 || max_message_bytes > (16 << 20)) {
    reject(env, "GRAPHQL_WS_MAX_MESSAGE_BYTES", "256 bytes to 16MiB");
  }
  config.ws_max_message_bytes = static_cast<std::size_t>(max_message_bytes);
  config.ws_init_timeout = env.duration("GRAPHQL_WS_INIT_TIMEOUT", config.ws_init_timeout);
  if (config.ws_init_timeout.count() <= 0) {
    reject(env, "GRAPHQL_WS_INIT_TIMEOUT", "a positive duration such as 3s");
  }
  return config;
}

std::string gateway_environment_help() {
  return R"(
Gateway:
  ORDERS_URL                     orders service base URL [http://127.0.0.1:4001]
  OFFERS_URL                     offers service base URL [http://127.0.0.1:4002]
  SERVICE_SECRET                 secret for the services' /internal/ endpoints [surplus-dev-secret]
  CORS_ALLOWED_ORIGINS           comma-separated browser origins allowed to call /graphql, or *
                                 [http://localhost:4000,http://127.0.0.1:4000]
  GRAPHQL_INTROSPECTION          answer __schema and __type queries (true/false) [true]
  GRAPHQL_MAX_DEPTH              maximum nesting of fields, 0 for none [12]
  GRAPHQL_MAX_ALIASES            maximum aliased fields, 0 for none [30]
  GRAPHQL_MAX_ROOT_FIELDS        maximum fields at the root of an operation, 0 for none [10]
  GRAPHQL_MAX_COST               maximum estimated cost, 0 for none [20000]
  GRAPHQL_DEFAULT_LIST_SIZE      list size the cost estimate assumes without `first` [20]
  GRAPHQL_REQUEST_TIMEOUT        time for the downstream calls of one request [10s]
  GRAPHQL_DOCUMENT_CACHE_BYTES   estimated memory for parsed documents, 0 for none [16MiB]
  GRAPHQL_DOWNSTREAM_CONNECTIONS pooled keep-alive connections per service [64]
  GRAPHIQL_ASSETS_DIR            folder with the GraphiQL scripts and styles [the build's copy]
  NOTIFICATIONS_WS_URL           WebSocket of the notifications service, which subscriptions
                                 read [ws://127.0.0.1:4003/ws]
  NOTIFICATIONS_RECONNECT_TIMEOUT  time to reconnect a dropped link to the notifications
                                 service and resume its channels before the WebSocket client
                                 is closed with 1011; 0s closes it at once [30s]
  GRAPHQL_WS_MAX_SUBSCRIPTIONS   active subscriptions per WebSocket connection [20]
  GRAPHQL_WS_MAX_MESSAGE_BYTES   largest message a WebSocket client may send; larger closes
                                 the connection with 1009 [64KiB]
  GRAPHQL_WS_INIT_TIMEOUT        time a WebSocket client has to send connection_init before it
                                 is closed with 4408 [3s]
)";
}

}  // namespace surplus::gateway
