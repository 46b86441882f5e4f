#pragma once

#include <memory>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <surplus/http/websocket.hpp>

#include "server_context.hpp"

namespace surplus::http {

// Completes the WebSocket handshake for `upgrade` with Beast, then runs the connection on
// the RFC 6455 framing of websocket_frame.hpp instead of Beast's websocket::stream, which
// keeps far more state and buffers per connection. Registers itself with `context` for
// shutdown. The socket's executor must be a strand.
void start_compact_websocket_session(ServerContext& context, tcp::socket socket,
                                     beast::http::request<beast::http::string_body> upgrade,
                                     std::shared_ptr<WebSocketHandler> handler,
                                     const WebSocketOptions& options, std::string remote_address,
                                     std::string request_id);

}  // namespace surplus::http
