#include "routes.hpp"

#include <chrono>

#include <surplus/core/error.hpp>

#include "client_connection.hpp"
#include "ingestion.hpp"

namespace surplus::notifications {
namespace {

std::shared_ptr<http::WebSocketHandler> open_connection(
    const std::shared_ptr<NotificationsApp>& app, http::Request& request) {
  auto identity = auth::authenticate(request, app->verifier);
  // The slot is taken here and given back by ~ClientConnection, which also covers a
  // handshake that fails after this returns.
  if (app->open_connections.fetch_add(1) >= app->config.max_connections) {
    app->open_connections.fetch_sub(1);
    app->metrics.connections_rejected.increment();
    throw core::Error::unavailable("the server has reached its maximum of " +
                                   std::to_string(app->config.max_connections) +
                                   " WebSocket connections; retry later")
        .with_retry_after(std::chrono::seconds(5));
  }
  try {
    return std::make_shared<ClientConnection>(app, std::move(identity));
  } catch (...) {
    app->open_connections.fetch_sub(1);
    throw;
  }
}

}  // namespace

void add_notifications_routes(http::Router& router, std::shared_ptr<NotificationsApp> app) {
  router.post("/internal/events", [app](http::Request& request) {
    app->service_secret.require(request);
    auto summary = ingest_batch(*app, request.json());
    return http::Response::json({{"stored", summary.stored}, {"duplicates", summary.duplicates}});
  });
  router.websocket(
      "/ws", [app](http::Request& request) { return open_connection(app, request); },
      app->config.websocket);
}

}  // namespace surplus::notifications
