#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <surplus/http/request.hpp>

namespace surplus::http {

// Close codes used by the server (RFC 6455, 7.4). Codes 4000-4999 are private to this
// application; clients can rely on them.
inline constexpr std::uint16_t kCloseNormal = 1000;
inline constexpr std::uint16_t kCloseGoingAway = 1001;      // server shutting down
inline constexpr std::uint16_t kCloseUnsupported = 1003;    // binary message not accepted
inline constexpr std::uint16_t kClosePolicy = 1008;         // e.g. a protocol rule broken
inline constexpr std::uint16_t kCloseTooBig = 1009;         // message above max_message_bytes
inline constexpr std::uint16_t kCloseInternal = 1011;       // a handler threw
inline constexpr std::uint16_t kCloseQueueOverflow = 4000;  // client reads too slowly
inline constexpr std::uint16_t kCloseIdle = 4001;           // no message within idle_timeout
// Reported to on_close only, never sent: the connection ended without a close frame
// (peer vanished, missed pong, network error).
inline constexpr std::uint16_t kCloseAbnormal = 1006;

// Limits of one WebSocket route; every connection of the route gets its own copy.
struct WebSocketOptions {
  std::size_t max_message_bytes = 64 * 1024;  // larger incoming message: close 1009
  // Bounded send queue; send() beyond either limit fails and closes with 4000.
  std::size_t max_queue_bytes = 1024 * 1024;
  std::size_t max_queue_messages = 1024;
  // A ping is sent after this long without any frame from the client. A client that then
  // sends nothing, not even the pong, for pong_timeout is disconnected.
  std::chrono::milliseconds ping_interval{std::chrono::seconds(30)};
  std::chrono::milliseconds pong_timeout{std::chrono::seconds(10)};
  // Close 4001 when the client sends no text or binary message for this long. Zero
  // disables it, so clients that only receive stay connected as long as they send pongs.
  std::chrono::milliseconds idle_timeout{0};
  // Time allowed for the closing handshake before the TCP connection is dropped.
  std::chrono::milliseconds close_timeout{std::chrono::seconds(5)};
  // The WebSocket subprotocol of the route (RFC 6455, 1.9), for example
  // "graphql-transport-ws". The handshake response selects it when the client lists it in
  // Sec-WebSocket-Protocol. Otherwise the response names no subprotocol, and the handler
  // decides whether to close (see offers_subprotocol). Empty: none is ever selected.
  std::string subprotocol;
  // Frames are read and written by the server's own RFC 6455 code after Beast's handshake,
  // which keeps no read or write buffer while a connection is idle. False runs the
  // connection on Beast's websocket::stream, which costs several KB more per connection.
  bool compact_framing = true;
};

// Returns true when the Sec-WebSocket-Protocol header value `offered` (a comma-separated
// list) contains `subprotocol`.
bool offers_subprotocol(std::string_view offered, std::string_view subprotocol);

// A text message encoded once for many connections: the payload and its complete unmasked
// server frame (RFC 6455, 5.2), which compact-framing connections write as it is. It is
// immutable, so connections on any thread may share it.
class PreparedMessage {
 public:
  explicit PreparedMessage(std::string text);

  std::string_view text() const { return std::string_view(frame_).substr(header_size_); }
  // The frame header followed by the payload.
  std::string_view frame() const { return frame_; }

 private:
  std::string frame_;
  std::size_t header_size_ = 0;
};

using SharedMessage = std::shared_ptr<const PreparedMessage>;

// The server side of one open WebSocket. Every member function is thread-safe and may be
// called from any thread, including after the connection closed (then it does nothing).
class WebSocketConnection {
 public:
  virtual ~WebSocketConnection() = default;

  // Queues a text message. Returns false and starts closing the connection with
  // kCloseQueueOverflow when the queue would exceed its bounds. Returns false without
  // queueing once the connection is closing or closed.
  virtual bool send(std::string text) = 0;
  virtual bool send_binary(std::string data) = 0;
  // Queues text messages in order, sharing their bytes instead of copying them. With compact
  // framing, a connection whose queue is empty writes up to 64 of them per system call.
  // Returns false as send() does, and then the messages after the failed one are not queued.
  virtual bool send_prepared(std::span<const SharedMessage> messages);

  // Starts the closing handshake; messages already queued are sent first.
  virtual void close(std::uint16_t code = kCloseNormal, std::string reason = {}) = 0;

  virtual bool is_open() const = 0;
  virtual const std::string& remote_address() const = 0;
  virtual const std::string& request_id() const = 0;
  // Bytes currently waiting in the send queue.
  virtual std::size_t queued_bytes() const = 0;
};

// Application callbacks for one connection. The server calls them on a worker thread, one
// at a time per connection and in order: on_open first, then messages, then on_close
// exactly once. A handler needs no lock for its own state and may block briefly (database
// reads). The next message is not read until on_message returns, which bounds memory per
// client. An exception from a callback is logged and closes the connection with 1011,
// except core::Error UNSUPPORTED_MEDIA_TYPE, which closes it with 1003.
// The server drops its reference to the handler after on_close, so a handler may keep the
// connection without creating a reference cycle.
class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;

  virtual void on_open(std::shared_ptr<WebSocketConnection> connection) = 0;
  virtual void on_message(std::string_view text) = 0;
  // Binary messages are rejected with close 1003 unless this is overridden.
  virtual void on_binary(std::string_view data);
  // `code` is the code the peer sent, the code the server closed with, or kCloseAbnormal.
  virtual void on_close(std::uint16_t code, std::string_view reason) = 0;
};

// Called with the upgrade request (headers, query, path parameters) before the handshake.
// Throwing core::Error rejects the upgrade with that problem+json response (401, 403 ...).
using WebSocketFactory = std::function<std::shared_ptr<WebSocketHandler>(Request&)>;

}  // namespace surplus::http
