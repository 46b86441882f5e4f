#pragma once

#include <memory>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <surplus/http/websocket.hpp>

#include "server_context.hpp"

namespace surplus::http {

// Completes the WebSocket handshake for `upgrade` on `stream` and runs the connection with
// `handler` until it closes. Registers itself with `context` for shutdown.
void start_websocket_session(ServerContext& context, beast::tcp_stream stream,
                             beast::http::request<beast::http::string_body> upgrade,
                             std::shared_ptr<WebSocketHandler> handler,
                             const WebSocketOptions& options, std::string remote_address,
                             std::string request_id);

}  // namespace surplus::http
