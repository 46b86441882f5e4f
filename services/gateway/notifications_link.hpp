#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>
// g++ 12 needs <utility> before Asio's headers.
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <surplus/graphql/resolver.hpp>

namespace surplus::gateway {

using graphql::Json;

// The parts of a ws://host:port/path URL.
struct WebSocketUrl {
  std::string host;
  std::string port = "80";
  std::string path = "/";

  // Throws core::ConfigError naming NOTIFICATIONS_WS_URL when `url` is not ws://host[:port][/path].
  static WebSocketUrl parse(const std::string& url);
};

// The notifications service rejected the access token of a link.
class InvalidTokenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The notifications service did not subscribe a channel: its error code (FORBIDDEN,
// UNAUTHENTICATED, INVALID_CHANNEL, TOO_MANY_CHANNELS, UNAVAILABLE ...) and message.
class ChannelRejected : public std::runtime_error {
 public:
  ChannelRejected(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

// One WebSocket connection from the gateway to the notifications service
// (docs/notifications-protocol.md), opened for one GraphQL WebSocket client with that
// client's access token, so the service authorizes every channel for that caller.
// Subscriptions of the client to the same channel share it: the link subscribes the channel
// once and passes each event to every sink. Thread-safe.
class NotificationsLink : public std::enable_shared_from_this<NotificationsLink> {
 public:
  // Receives the envelope of each event of a channel, on the link's I/O thread.
  using Sink = std::function<void(const Json& envelope)>;
  using ClosedHandler = std::function<void(const std::string& reason)>;

  // Connects to `url`, sends `token` in an auth message unless it is empty, and waits for the
  // reply, at most `timeout` in all. Throws InvalidTokenError when the service rejects the
  // token, and core::Error UNAVAILABLE when it cannot be reached or does not reply in time.
  // `on_closed` runs once, on the I/O thread, when the connection ends other than by close().
  static std::shared_ptr<NotificationsLink> open(boost::asio::io_context& io,
                                                 const WebSocketUrl& url, const std::string& token,
                                                 std::chrono::milliseconds timeout,
                                                 ClosedHandler on_closed);

  ~NotificationsLink();
  NotificationsLink(const NotificationsLink&) = delete;
  NotificationsLink& operator=(const NotificationsLink&) = delete;

  // The user id of the token; empty for an anonymous link.
  const std::string& user_id() const { return user_id_; }

  // Subscribes to `channel` and adds `sink`, waiting at most `timeout` for the service's
  // reply. Returns the sink's id for unsubscribe(). Throws ChannelRejected when the service
  // rejects the channel, and core::Error UNAVAILABLE when the link is closed or the reply
  // does not come in time.
  std::uint64_t subscribe(const std::string& channel, Sink sink, std::chrono::milliseconds timeout);
  // Removes a sink; removing the last one of a channel unsubscribes the channel.
  void unsubscribe(const std::string& channel, std::uint64_t sink_id);
  // Starts the closing handshake; on_closed is not called.
  void close();

 private:
  struct Stream;
  struct Pending {
    std::promise<Json> reply;
    std::shared_future<Json> future;
    std::vector<std::pair<std::uint64_t, Sink>> sinks;
  };

  NotificationsLink(boost::asio::io_context& io, ClosedHandler on_closed);

  boost::asio::awaitable<void> run(WebSocketUrl url, std::string token,
                                   std::chrono::milliseconds timeout,
                                   std::shared_ptr<std::promise<void>> ready);
  boost::asio::awaitable<void> read_loop();
  void dispatch(const std::string& text);
  void resolve_pending(const std::string& channel, const Json& message);
  void send(std::string text);
  void write_next();
  void connection_ended(const std::string& reason);

  std::unique_ptr<Stream> stream_;
  ClosedHandler on_closed_;
  std::string user_id_;  // set before open() returns, read-only afterwards

  std::mutex mutex_;
  std::map<std::string, std::map<std::uint64_t, Sink>> channels_;  // subscribed channels
  std::map<std::string, std::shared_ptr<Pending>> pending_;        // sent, no reply yet
  std::uint64_t next_sink_id_ = 0;
  bool closed_ = false;
  bool closed_by_us_ = false;
};

}  // namespace surplus::gateway
