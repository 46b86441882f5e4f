#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <surplus/core/config.hpp>
#include <surplus/graphql/validation.hpp>

namespace surplus::gateway {

// The gateway's own settings (the HTTP ones come from service::Settings). Each variable has
// a default, so the gateway starts with none set:
//
//   ORDERS_URL                   base URL of the orders service     http://127.0.0.1:4001
//   OFFERS_URL                   base URL of the offers service     http://127.0.0.1:4002
//   SERVICE_SECRET               secret for /internal/ calls        surplus-dev-secret
//   CORS_ALLOWED_ORIGINS         comma-separated origins allowed to call /graphql from a
//                                browser, or * for any              http://localhost:4000,
//                                                                   http://127.0.0.1:4000
//   GRAPHQL_INTROSPECTION        answer __schema and __type         true
//   GRAPHQL_MAX_DEPTH            nesting of fields                  12
//   GRAPHQL_MAX_ALIASES          aliased fields                     30
//   GRAPHQL_MAX_ROOT_FIELDS      fields at the root of an operation 10
//   GRAPHQL_MAX_COST             estimated cost (see validation.hpp) 20000
//   GRAPHQL_DEFAULT_LIST_SIZE    list size the cost assumes without `first`  20
//   GRAPHQL_REQUEST_TIMEOUT      time for all downstream calls of one request  10s
//   GRAPHQL_DOCUMENT_CACHE_BYTES estimated memory of the parsed and validated documents
//                                kept by query text, 0 for no cache 16MiB
//   GRAPHQL_DOWNSTREAM_CONNECTIONS  pooled connections per service 64
//   GRAPHIQL_ASSETS_DIR          folder with the GraphiQL files     the build's copy
//   NOTIFICATIONS_WS_URL         WebSocket of the notifications service
//                                                                   ws://127.0.0.1:4003/ws
//   NOTIFICATIONS_RECONNECT_TIMEOUT  time to restore a dropped link to the notifications
//                                service before its client is closed, 0s for none  30s
//   GRAPHQL_WS_MAX_SUBSCRIPTIONS active subscriptions per WebSocket 20
//   GRAPHQL_WS_MAX_MESSAGE_BYTES largest message from a WebSocket client  64 KiB
//   GRAPHQL_WS_INIT_TIMEOUT      time from the WebSocket upgrade to connection_init  3s
struct GatewayConfig {
  std::string orders_url = "http://127.0.0.1:4001";
  std::string offers_url = "http://127.0.0.1:4002";
  std::vector<std::string> cors_allowed_origins;
  bool cors_allow_any_origin = false;
  bool introspection = true;
  graphql::ValidationLimits limits;
  std::chrono::milliseconds request_timeout{10000};
  std::size_t document_cache_bytes = 16 << 20;
  std::size_t downstream_connections = 64;
  std::string graphiql_assets_dir;
  // Subscriptions over the graphql-transport-ws protocol.
  std::string notifications_ws_url = "ws://127.0.0.1:4003/ws";
  std::chrono::milliseconds notifications_reconnect_timeout{30000};
  std::size_t ws_max_subscriptions = 20;
  std::size_t ws_max_message_bytes = 64 * 1024;
  std::chrono::milliseconds ws_init_timeout{3000};
};

// Reads the settings above; throws core::ConfigError naming a malformed variable.
GatewayConfig load_gateway_config(const core::EnvReader& env);

// The environment variables above, for --help.
std::string gateway_environment_help();

}  // namespace surplus::gateway
