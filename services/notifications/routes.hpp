#pragma once

#include <memory>

#include <surplus/http/router.hpp>

#include "notifications_app.hpp"

namespace surplus::notifications {

// Adds the routes of the notifications service:
//   POST /internal/events   (X-Service-Secret) {"events": [envelope, ...]} -> 200
//                           {"stored": n, "duplicates": m} once the batch is committed
//   GET  /ws                the WebSocket endpoint; an Authorization header with an
//                           invalid token is rejected with 401, and an upgrade beyond
//                           WS_MAX_CONNECTIONS with 503
void add_notifications_routes(http::Router& router, std::shared_ptr<NotificationsApp> app);

}  // namespace surplus::notifications
