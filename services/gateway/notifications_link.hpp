#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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

// How a link ended for good, which decides how the gateway closes the client it serves.
struct LinkEnd {
  enum class Cause {
    // The connection dropped and could not be restored within the reconnect time.
    kLost,
    // A channel could not be resumed without a gap, because the service no longer stores
    // every event after the last delivered offset or the channel's epoch changed.
    kNotRecoverable,
    // On reconnecting, the service rejected the access token (it may have expired) or
    // refused a channel to this caller.
    kAccessRejected,
  };
  Cause cause;
  std::string detail;  // for the log only
};

// Settings of one link.
struct LinkOptions {
  WebSocketUrl url;
  std::string token;          // empty for an anonymous link
  std::string connection_id;  // of the client the link serves, for the log
  // Time for connecting and authenticating, per attempt.
  std::chrono::milliseconds connect_timeout{10000};
  // How long the link tries to reconnect after the connection drops; zero ends it at once.
  std::chrono::milliseconds reconnect_timeout{30000};
};

// One WebSocket connection from the gateway to the notifications service
// (docs/notifications-protocol.md), opened for one GraphQL WebSocket client with that
// client's access token, so the service authorizes every channel for that caller.
// Subscriptions of the client to the same channel share it: the link subscribes the channel
// once and passes each event to every sink.
//
// The link remembers each channel's epoch and the offset of the last event it delivered.
// When the connection drops, it reconnects with backoff for `reconnect_timeout` and
// subscribes every channel again with `since`, so the sinks continue without a gap and
// without a repeated event. Thread-safe.
class NotificationsLink : public std::enable_shared_from_this<NotificationsLink> {
 public:
  // Receives the envelope of each event of a channel, on the link's I/O thread.
  using Sink = std::function<void(const Json& envelope)>;
  using ClosedHandler = std::function<void(const LinkEnd& end)>;

  // Connects to `options.url`, sends the token in an auth message unless it is empty, and
  // waits for the reply, at most `options.connect_timeout` in all. Throws InvalidTokenError
  // when the service rejects the token, and core::Error UNAVAILABLE when it cannot be reached
  // or does not reply in time. `on_closed` runs once, on the I/O thread, when the link ends
  // other than by close(): reconnecting failed or a channel could not be resumed.
  static std::shared_ptr<NotificationsLink> open(boost::asio::io_context& io, LinkOptions options,
                                                 ClosedHandler on_closed);

  ~NotificationsLink();
  NotificationsLink(const NotificationsLink&) = delete;
  NotificationsLink& operator=(const NotificationsLink&) = delete;

  // The user id of the token; empty for an anonymous link.
  const std::string& user_id() const { return user_id_; }

  // Subscribes to `channel` and adds `sink`, waiting at most `timeout` for the service's
  // reply. While the link is reconnecting, the subscribe message waits for the new
  // connection. Returns the sink's id for unsubscribe(). Throws ChannelRejected when the
  // service rejects the channel, and core::Error UNAVAILABLE when the link is closed or the
  // reply does not come in time.
  std::uint64_t subscribe(const std::string& channel, Sink sink, std::chrono::milliseconds timeout);
  // Removes a sink; removing the last one of a channel unsubscribes the channel.
  void unsubscribe(const std::string& channel, std::uint64_t sink_id);
  // Starts the closing handshake and stops reconnecting; on_closed is not called.
  void close();

 private:
  struct Stream;
  struct Connection;
  struct Attempt;
  struct Pending {
    std::promise<Json> reply;
    std::shared_future<Json> future;
    std::vector<std::pair<std::uint64_t, Sink>> sinks;
    std::uint64_t sent_on = 0;  // generation of the connection the subscribe went out on
  };
  // A subscribed channel and its position: the epoch of its `subscribed` reply and the
  // offset of the last event passed to the sinks.
  struct Channel {
    std::map<std::uint64_t, Sink> sinks;
    std::string epoch;
    std::int64_t offset = 0;
    bool resuming = false;  // subscribed again with `since`, no reply yet
  };

  NotificationsLink(boost::asio::io_context& io, LinkOptions options, ClosedHandler on_closed);

  boost::asio::awaitable<void> run(std::shared_ptr<std::promise<void>> ready);
  boost::asio::awaitable<Attempt> connect(std::chrono::milliseconds timeout);
  boost::asio::awaitable<std::string> read_loop(std::shared_ptr<Connection> connection);
  boost::asio::awaitable<std::optional<LinkEnd>> reconnect(const std::string& reason);
  void resume();
  void check_resumed();
  void dispatch(const std::string& text);
  void deliver_event(const std::string& channel, const Json& message);
  void resumed(const std::string& channel, const Json& message);
  void resolve_pending(const std::string& channel, const Json& message);
  void fail_resume(LinkEnd end);
  void send(std::string text);
  void send_pending(const std::string& channel);
  void write_next(const std::shared_ptr<Connection>& connection);
  bool stopping();
  void connection_ended(const std::optional<LinkEnd>& end);

  const LinkOptions options_;
  std::unique_ptr<Stream> stream_;
  ClosedHandler on_closed_;
  std::string user_id_;  // set before open() returns, read-only afterwards

  std::mutex mutex_;
  std::map<std::string, Channel> channels_;                  // subscribed channels
  std::map<std::string, std::shared_ptr<Pending>> pending_;  // sent, no reply yet
  std::uint64_t next_sink_id_ = 0;
  bool closed_ = false;
  bool closed_by_us_ = false;
};

}  // namespace surplus::gateway
