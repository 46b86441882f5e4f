#include "notifications_link.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include <surplus/core/config.hpp>
#include <surplus/core/error.hpp>

#include "notifications_link_io.hpp"

namespace surplus::gateway {

using namespace link_io;

WebSocketUrl WebSocketUrl::parse(const std::string& url) {
  constexpr std::string_view kScheme = "ws://";
  const auto invalid = [&url] {
    return core::ConfigError("NOTIFICATIONS_WS_URL",
                             "expected ws://host[:port][/path] such as ws://127.0.0.1:4003/ws, "
                             "got \"" +
                                 url + "\"");
  };
  if (!url.starts_with(kScheme)) {
    throw invalid();
  }
  std::string rest = url.substr(kScheme.size());
  WebSocketUrl parsed;
  const auto slash = rest.find('/');
  if (slash != std::string::npos) {
    parsed.path = rest.substr(slash);
    rest.resize(slash);
  }
  const auto colon = rest.rfind(':');
  if (colon != std::string::npos) {
    parsed.port = rest.substr(colon + 1);
    rest.resize(colon);
  }
  parsed.host = rest;
  if (parsed.host.empty() || parsed.port.empty()) {
    throw invalid();
  }
  return parsed;
}

NotificationsLink::NotificationsLink(asio::io_context& io, LinkOptions options,
                                     ClosedHandler on_closed)
    : options_(std::move(options)),
      stream_(std::make_unique<Stream>(io)),
      on_closed_(std::move(on_closed)) {}

NotificationsLink::~NotificationsLink() = default;

std::shared_ptr<NotificationsLink> NotificationsLink::open(asio::io_context& io,
                                                           LinkOptions options,
                                                           ClosedHandler on_closed) {
  std::shared_ptr<NotificationsLink> link(
      new NotificationsLink(io, std::move(options), std::move(on_closed)));
  const auto timeout = link->options_.connect_timeout;
  auto ready = std::make_shared<std::promise<void>>();
  auto opened = ready->get_future();
  asio::co_spawn(link->stream_->strand, link->run(ready), asio::detached);
  // run() completes `ready` on every path within `timeout`; the margin covers scheduling.
  if (opened.wait_for(timeout + std::chrono::seconds(1)) != std::future_status::ready) {
    link->close();
    throw core::Error::unavailable(
        "the notifications service did not respond in time; retry later");
  }
  opened.get();
  return link;
}

asio::awaitable<void> NotificationsLink::run(std::shared_ptr<std::promise<void>> ready) {
  const auto self = shared_from_this();
  const Attempt first = co_await connect(options_.connect_timeout);
  if (first.result == Attempt::Result::kTokenRejected) {
    ready->set_exception(std::make_exception_ptr(InvalidTokenError(first.detail)));
    co_return;
  }
  if (first.result == Attempt::Result::kUnavailable) {
    spdlog::warn("notifications link of connection {}: {}", options_.connection_id, first.detail);
    ready->set_exception(std::make_exception_ptr(core::Error::unavailable(
        "the notifications service is unavailable; retry later", first.detail)));
    co_return;
  }
  user_id_ = first.user_id;
  stream_->connection->open = true;
  ready->set_value();

  std::optional<LinkEnd> end;
  while (true) {
    const std::string reason = co_await read_loop(stream_->connection);
    if (stopping()) {
      break;
    }
    if (stream_->failure) {
      end = std::move(stream_->failure);
      break;
    }
    end = co_await reconnect(reason);
    if (end || stopping()) {
      break;
    }
  }
  connection_ended(end);
}

asio::awaitable<NotificationsLink::Attempt> NotificationsLink::connect(
    std::chrono::milliseconds timeout) {
  const WebSocketUrl& url = options_.url;
  const auto connection = std::make_shared<Connection>(stream_->strand, ++stream_->generation);
  stream_->connection = connection;
  auto& ws = connection->ws;
  auto& socket = beast::get_lowest_layer(ws);
  boost::system::error_code ec;
  const auto failed = [&](const std::string& step) {
    return Attempt{
        Attempt::Result::kUnavailable,
        step + " at " + url.host + ":" + url.port + url.path + " failed: " + ec.message(),
        {}};
  };

  socket.expires_after(timeout);
  const auto endpoints = co_await stream_->resolver.async_resolve(
      url.host, url.port, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    co_return failed("resolving the host");
  }
  co_await socket.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    co_return failed("connecting");
  }
  co_await ws.async_handshake(url.host + ":" + url.port, url.path,
                              asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    co_return failed("the WebSocket handshake");
  }
  ws.text(true);

  std::string user_id;
  if (!options_.token.empty()) {
    const std::string auth = Json{{"type", "auth"}, {"token", options_.token}}.dump();
    co_await ws.async_write(asio::buffer(auth), asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
      co_await ws.async_read(connection->buffer, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec) {
      co_return failed("authenticating");
    }
    const Json reply =
        Json::parse(beast::buffers_to_string(connection->buffer.data()), nullptr, false);
    connection->buffer.consume(connection->buffer.size());
    if (!reply.is_object() || reply.value("type", "") != "authenticated") {
      socket.close();
      co_return Attempt{Attempt::Result::kTokenRejected,
                        reply.is_object() ? reply.value("message", "the access token is invalid")
                                          : "the access token is invalid",
                        {}};
    }
    user_id = reply.value("userId", "");
  }

  // From here on the WebSocket layer keeps time: the service sends pings and Beast replies.
  socket.expires_never();
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  co_return Attempt{Attempt::Result::kConnected, {}, user_id};
}

asio::awaitable<std::string> NotificationsLink::read_loop(std::shared_ptr<Connection> connection) {
  auto& ws = connection->ws;
  boost::system::error_code ec;
  while (true) {
    co_await ws.async_read(connection->buffer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      break;
    }
    const std::string text = beast::buffers_to_string(connection->buffer.data());
    connection->buffer.consume(connection->buffer.size());
    dispatch(text);
  }
  connection->open = false;
  if (ec == websocket::error::closed) {
    co_return "closed with " + std::to_string(ws.reason().code) + " " +
        std::string(ws.reason().reason.c_str());
  }
  co_return ec.message();
}

void NotificationsLink::dispatch(const std::string& text) {
  const Json message = Json::parse(text, nullptr, false);
  if (!message.is_object()) {
    spdlog::warn(
        "notifications link of connection {}: ignoring a message that is not a JSON "
        "object",
        options_.connection_id);
    return;
  }
  const std::string type = message.value("type", "");
  const std::string channel = message.value("channel", "");
  if (type == "event") {
    deliver_event(channel, message);
  } else if (type == "subscribed" || (type == "error" && !channel.empty())) {
    bool resuming = false;
    {
      const std::lock_guard lock(mutex_);
      const auto found = channels_.find(channel);
      resuming = found != channels_.end() && found->second.resuming;
    }
    if (resuming) {
      resumed(channel, message);
    } else {
      resolve_pending(channel, message);
    }
  } else if (type == "error") {
    spdlog::warn("notifications link of connection {}: the service sent error {}: {}",
                 options_.connection_id, message.value("code", ""), message.value("message", ""));
  }
}

// Passes an event to the sinks of its channel unless its offset was delivered already.
void NotificationsLink::deliver_event(const std::string& channel, const Json& message) {
  const std::int64_t offset = offset_of(message);
  std::vector<Sink> sinks;
  {
    const std::lock_guard lock(mutex_);
    const auto found = channels_.find(channel);
    if (found == channels_.end()) {
      return;
    }
    Channel& entry = found->second;
    if (offset <= entry.offset) {
      spdlog::debug("notifications link of connection {}: skipping offset {} of {}, already at {}",
                    options_.connection_id, offset, channel, entry.offset);
      return;
    }
    if (offset != entry.offset + 1) {
      spdlog::warn(
          "notifications link of connection {}: channel {} jumped from offset {} to {}, "
          "so the events in between were not received",
          options_.connection_id, channel, entry.offset, offset);
    }
    entry.offset = offset;
    for (const auto& [id, sink] : entry.sinks) {
      sinks.push_back(sink);
    }
  }
  const Json envelope = message.value("event", Json::object());
  for (const auto& sink : sinks) {
    sink(envelope);
  }
}

void NotificationsLink::resolve_pending(const std::string& channel, const Json& message) {
  std::shared_ptr<Pending> pending;
  bool unsubscribe_abandoned = false;
  {
    const std::lock_guard lock(mutex_);
    const auto found = pending_.find(channel);
    if (found == pending_.end()) {
      // The subscriber gave up waiting; a late confirmation must not leave the channel open.
      unsubscribe_abandoned =
          message.value("type", "") == "subscribed" && !channels_.contains(channel);
    } else {
      pending = found->second;
      pending_.erase(found);
      // The sinks join before the reply is released, so no event after `subscribed` is lost.
      if (message.value("type", "") == "subscribed") {
        Channel& entry = channels_[channel];
        entry.epoch = message.value("epoch", "");
        entry.offset = offset_of(message);
        for (auto& [id, sink] : pending->sinks) {
          entry.sinks.emplace(id, std::move(sink));
        }
      }
    }
  }
  if (pending) {
    pending->reply.set_value(message);
  } else if (unsubscribe_abandoned) {
    send(Json{{"type", "unsubscribe"}, {"channel", channel}}.dump());
  }
}

std::uint64_t NotificationsLink::subscribe(const std::string& channel, Sink sink,
                                           std::chrono::milliseconds timeout) {
  std::shared_future<Json> reply;
  std::uint64_t id = 0;
  bool send_subscribe = false;
  {
    const std::lock_guard lock(mutex_);
    if (closed_) {
      throw core::Error::unavailable("the connection to the notifications service is closed");
    }
    id = ++next_sink_id_;
    if (const auto active = channels_.find(channel); active != channels_.end()) {
      // NOTE: while the link reconnects, this sink also receives the events that the
      // service replays for the outage, including those published before it was added.
      active->second.sinks.emplace(id, std::move(sink));
      return id;
    }
    auto& pending = pending_[channel];
    if (!pending) {
      pending = std::make_shared<Pending>();
      pending->future = pending->reply.get_future().share();
      send_subscribe = true;
    }
    pending->sinks.emplace_back(id, std::move(sink));
    reply = pending->future;
  }
  if (send_subscribe) {
    send_pending(channel);
  }

  if (reply.wait_for(timeout) != std::future_status::ready) {
    const std::lock_guard lock(mutex_);
    pending_.erase(channel);
    throw core::Error::unavailable("the notifications service did not confirm channel " + channel +
                                   " in time; retry later");
  }
  const Json& message = reply.get();
  if (message.value("type", "") == "subscribed") {
    return id;
  }
  throw ChannelRejected(message.value("code", "UNAVAILABLE"),
                        message.value("message", "the channel was not subscribed"));
}

void NotificationsLink::unsubscribe(const std::string& channel, std::uint64_t sink_id) {
  bool was_resuming = false;
  {
    const std::lock_guard lock(mutex_);
    const auto found = channels_.find(channel);
    if (found == channels_.end() || found->second.sinks.erase(sink_id) == 0 ||
        !found->second.sinks.empty()) {
      return;
    }
    was_resuming = found->second.resuming;
    channels_.erase(found);
    if (closed_) {
      return;
    }
  }
  send(Json{{"type", "unsubscribe"}, {"channel", channel}}.dump());
  if (was_resuming) {
    // The reply of the resumed subscription no longer counts towards finishing the resume.
    asio::post(stream_->strand, [self = shared_from_this()] { self->check_resumed(); });
  }
}

// Sends `text` on the current connection. While the link is reconnecting, the text is
// dropped, because resume() subscribes again to the channels that are still wanted.
void NotificationsLink::send(std::string text) {
  asio::post(stream_->strand, [self = shared_from_this(), text = std::move(text)]() mutable {
    const auto& connection = self->stream_->connection;
    if (!connection || !connection->open) {
      return;
    }
    connection->outgoing.push_back(std::move(text));
    if (!connection->writing) {
      self->write_next(connection);
    }
  });
}

// Sends the subscribe message of a pending channel unless it went out on the current
// connection already (resume() may have sent it).
void NotificationsLink::send_pending(const std::string& channel) {
  asio::post(stream_->strand, [self = shared_from_this(), channel] {
    const auto connection = self->stream_->connection;
    if (!connection || !connection->open) {
      return;
    }
    {
      const std::lock_guard lock(self->mutex_);
      const auto found = self->pending_.find(channel);
      if (found == self->pending_.end() || found->second->sent_on == connection->generation) {
        return;
      }
      found->second->sent_on = connection->generation;
    }
    connection->outgoing.push_back(subscribe_message(channel));
    if (!connection->writing) {
      self->write_next(connection);
    }
  });
}

void NotificationsLink::write_next(const std::shared_ptr<Connection>& connection) {
  if (connection->outgoing.empty() || !connection->open) {
    connection->writing = false;
    return;
  }
  connection->writing = true;
  connection->ws.async_write(
      asio::buffer(connection->outgoing.front()),
      [self = shared_from_this(), connection](boost::system::error_code ec, std::size_t) {
        connection->outgoing.pop_front();
        if (ec) {
          // The pending read fails as well and ends the connection.
          connection->writing = false;
          return;
        }
        self->write_next(connection);
      });
}

bool NotificationsLink::stopping() {
  const std::lock_guard lock(mutex_);
  return closed_by_us_;
}

void NotificationsLink::close() {
  {
    const std::lock_guard lock(mutex_);
    if (closed_by_us_) {
      return;
    }
    closed_by_us_ = true;
  }
  asio::post(stream_->strand, [self = shared_from_this()] {
    auto& stream = *self->stream_;
    stream.retry_timer.cancel();
    stream.resume_timer.cancel();
    stream.resolver.cancel();
    const auto connection = stream.connection;
    if (!connection) {
      return;
    }
    if (!connection->open) {
      beast::get_lowest_layer(connection->ws).close();
      return;
    }
    connection->open = false;
    connection->ws.async_close(websocket::close_code::normal,
                               [connection](boost::system::error_code ec) {
                                 if (ec) {
                                   beast::get_lowest_layer(connection->ws).close();
                                 }
                               });
  });
}

void NotificationsLink::connection_ended(const std::optional<LinkEnd>& end) {
  std::map<std::string, std::shared_ptr<Pending>> pending;
  bool notify = false;
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    notify = !closed_by_us_ && end;
    pending.swap(pending_);
    channels_.clear();
  }
  const Json unavailable{{"type", "error"},
                         {"code", "UNAVAILABLE"},
                         {"message", "the connection to the notifications service was lost"}};
  for (auto& [channel, waiting] : pending) {
    waiting->reply.set_value(unavailable);
  }
  if (notify) {
    spdlog::warn("notifications link of connection {} ended: {}", options_.connection_id,
                 end->detail);
    if (on_closed_) {
      on_closed_(*end);
    }
  }
}

}  // namespace surplus::gateway
