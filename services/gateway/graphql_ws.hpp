#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
// g++ 12 needs <utility> before Asio's headers.
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <surplus/graphql/schema.hpp>
#include <surplus/http/websocket.hpp>

#include "downstream.hpp"
#include "gateway_config.hpp"
#include "notifications_link.hpp"

namespace surplus::gateway {

inline constexpr std::string_view kGraphQLTransportWs = "graphql-transport-ws";

// Close codes of the graphql-transport-ws protocol (graphql-ws 6, PROTOCOL.md). Clients also
// know 4499 (Terminated), which a client reports for a connection it ended itself; the
// server never sends it.
inline constexpr std::uint16_t kCloseBadRequest = 4400;    // invalid message
inline constexpr std::uint16_t kCloseUnauthorized = 4401;  // subscribe before ack
inline constexpr std::uint16_t kCloseForbidden = 4403;     // token rejected
inline constexpr std::uint16_t kCloseSubprotocolNotAcceptable = 4406;
inline constexpr std::uint16_t kCloseInitTimeout = 4408;          // no connection_init
inline constexpr std::uint16_t kCloseSubscriberExists = 4409;     // id already active
inline constexpr std::uint16_t kCloseTooManyInitRequests = 4429;  // second connection_init

// GraphQL over WebSocket at /graphql with the graphql-transport-ws protocol: subscriptions,
// and queries and mutations as single results. Each client connection gets its own link to
// the notifications service, opened with the access token of its connection_init, so the
// service authorizes the channels. Subscription events are executed on one schema shared by
// all connections; their downstream calls run like those of HTTP requests.
class GraphQLWebSocket : public std::enable_shared_from_this<GraphQLWebSocket> {
 public:
  GraphQLWebSocket(GatewayConfig config, std::shared_ptr<Downstream> downstream,
                   const std::string& sdl);
  // Stops the I/O thread of the links and timers.
  ~GraphQLWebSocket();
  GraphQLWebSocket(const GraphQLWebSocket&) = delete;
  GraphQLWebSocket& operator=(const GraphQLWebSocket&) = delete;

  http::WebSocketFactory factory();
  http::WebSocketOptions options() const;

  const GatewayConfig& config() const { return config_; }
  Downstream& downstream() { return *downstream_; }
  const graphql::Schema& schema() const { return schema_; }
  const WebSocketUrl& notifications_url() const { return notifications_url_; }
  boost::asio::io_context& io() { return io_; }

 private:
  GatewayConfig config_;
  std::shared_ptr<Downstream> downstream_;
  graphql::Schema schema_;
  WebSocketUrl notifications_url_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace surplus::gateway
