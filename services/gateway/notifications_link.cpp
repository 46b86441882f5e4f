#include "notifications_link.hpp"

#include <deque>

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

namespace surplus::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

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

struct NotificationsLink::Stream {
  explicit Stream(asio::io_context& io)
      : strand(asio::make_strand(io)), resolver(strand), ws(strand) {}

  asio::strand<asio::io_context::executor_type> strand;
  tcp::resolver resolver;
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  // Used on the strand only.
  std::deque<std::string> outgoing;
  bool writing = false;
  bool open = false;
};

NotificationsLink::NotificationsLink(asio::io_context& io, ClosedHandler on_closed)
    : stream_(std::make_unique<Stream>(io)), on_closed_(std::move(on_closed)) {}

NotificationsLink::~NotificationsLink() = default;

std::shared_ptr<NotificationsLink> NotificationsLink::open(asio::io_context& io,
                                                           const WebSocketUrl& url,
                                                           const std::string& token,
                                                           std::chrono::milliseconds timeout,
                                                           ClosedHandler on_closed) {
  std::shared_ptr<NotificationsLink> link(new NotificationsLink(io, std::move(on_closed)));
  auto ready = std::make_shared<std::promise<void>>();
  auto opened = ready->get_future();
  asio::co_spawn(link->stream_->strand, link->run(url, token, timeout, ready), asio::detached);
  // run() completes `ready` on every path within `timeout`; the margin covers scheduling.
  if (opened.wait_for(timeout + std::chrono::seconds(1)) != std::future_status::ready) {
    link->close();
    throw core::Error::unavailable(
        "the notifications service did not respond in time; retry later");
  }
  opened.get();
  return link;
}

asio::awaitable<void> NotificationsLink::run(WebSocketUrl url, std::string token,
                                             std::chrono::milliseconds timeout,
                                             std::shared_ptr<std::promise<void>> ready) {
  const auto self = shared_from_this();
  auto& ws = stream_->ws;
  auto& socket = beast::get_lowest_layer(ws);
  boost::system::error_code ec;
  const auto failed = [&](const std::string& step) {
    spdlog::warn("notifications link: {} at {}:{}{} failed: {}", step, url.host, url.port, url.path,
                 ec.message());
    ready->set_exception(std::make_exception_ptr(core::Error::unavailable(
        "the notifications service is unavailable; retry later", step + ": " + ec.message())));
  };

  socket.expires_after(timeout);
  const auto endpoints = co_await stream_->resolver.async_resolve(
      url.host, url.port, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    failed("resolving the host");
    co_return;
  }
  co_await socket.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    failed("connecting");
    co_return;
  }
  co_await ws.async_handshake(url.host + ":" + url.port, url.path,
                              asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    failed("the WebSocket handshake");
    co_return;
  }
  ws.text(true);

  if (!token.empty()) {
    const std::string auth = Json{{"type", "auth"}, {"token", token}}.dump();
    co_await ws.async_write(asio::buffer(auth), asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
      co_await ws.async_read(stream_->buffer, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec) {
      failed("authenticating");
      co_return;
    }
    const Json reply =
        Json::parse(beast::buffers_to_string(stream_->buffer.data()), nullptr, false);
    stream_->buffer.consume(stream_->buffer.size());
    if (reply.is_object() && reply.value("type", "") == "authenticated") {
      user_id_ = reply.value("userId", "");
    } else {
      const std::string message =
          reply.is_object() ? reply.value("message", "the access token is invalid") : "";
      ready->set_exception(std::make_exception_ptr(InvalidTokenError(message)));
      socket.close();
      co_return;
    }
  }

  // From here on the WebSocket layer keeps time: the service sends pings and Beast replies.
  socket.expires_never();
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  stream_->open = true;
  ready->set_value();
  co_await read_loop();
}

asio::awaitable<void> NotificationsLink::read_loop() {
  auto& ws = stream_->ws;
  boost::system::error_code ec;
  while (true) {
    co_await ws.async_read(stream_->buffer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      break;
    }
    const std::string text = beast::buffers_to_string(stream_->buffer.data());
    stream_->buffer.consume(stream_->buffer.size());
    dispatch(text);
  }
  std::string reason = ec.message();
  if (ec == websocket::error::closed) {
    reason = "closed with " + std::to_string(ws.reason().code) + " " +
             std::string(ws.reason().reason.c_str());
  }
  stream_->open = false;
  connection_ended(reason);
}

void NotificationsLink::dispatch(const std::string& text) {
  const Json message = Json::parse(text, nullptr, false);
  if (!message.is_object()) {
    spdlog::warn("notifications link: ignoring a message that is not a JSON object");
    return;
  }
  const std::string type = message.value("type", "");
  const std::string channel = message.value("channel", "");
  if (type == "event") {
    std::vector<Sink> sinks;
    {
      const std::lock_guard lock(mutex_);
      const auto found = channels_.find(channel);
      if (found != channels_.end()) {
        for (const auto& [id, sink] : found->second) {
          sinks.push_back(sink);
        }
      }
    }
    const Json envelope = message.value("event", Json::object());
    for (const auto& sink : sinks) {
      sink(envelope);
    }
  } else if (type == "subscribed" || (type == "error" && !channel.empty())) {
    resolve_pending(channel, message);
  } else if (type == "error") {
    spdlog::warn("notifications link: the service sent error {}: {}", message.value("code", ""),
                 message.value("message", ""));
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
        auto& sinks = channels_[channel];
        for (auto& [id, sink] : pending->sinks) {
          sinks.emplace(id, std::move(sink));
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
      active->second.emplace(id, std::move(sink));
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
    send(Json{{"type", "subscribe"}, {"channel", channel}}.dump());
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
  {
    const std::lock_guard lock(mutex_);
    const auto found = channels_.find(channel);
    if (found == channels_.end() || found->second.erase(sink_id) == 0 || !found->second.empty()) {
      return;
    }
    channels_.erase(found);
    if (closed_) {
      return;
    }
  }
  send(Json{{"type", "unsubscribe"}, {"channel", channel}}.dump());
}

void NotificationsLink::send(std::string text) {
  asio::post(stream_->strand, [self = shared_from_this(), text = std::move(text)]() mutable {
    self->stream_->outgoing.push_back(std::move(text));
    if (!self->stream_->writing) {
      self->write_next();
    }
  });
}

void NotificationsLink::write_next() {
  if (stream_->outgoing.empty() || !stream_->open) {
    stream_->writing = false;
    return;
  }
  stream_->writing = true;
  stream_->ws.async_write(asio::buffer(stream_->outgoing.front()),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                            self->stream_->outgoing.pop_front();
                            if (ec) {
                              // The pending read fails as well and ends the link.
                              self->stream_->writing = false;
                              return;
                            }
                            self->write_next();
                          });
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
    if (!self->stream_->open) {
      beast::get_lowest_layer(self->stream_->ws).close();
      return;
    }
    self->stream_->open = false;
    self->stream_->ws.async_close(websocket::close_code::normal,
                                  [self](boost::system::error_code ec) {
                                    if (ec) {
                                      beast::get_lowest_layer(self->stream_->ws).close();
                                    }
                                  });
  });
}

void NotificationsLink::connection_ended(const std::string& reason) {
  std::map<std::string, std::shared_ptr<Pending>> pending;
  bool notify = false;
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    notify = !closed_by_us_;
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
    spdlog::warn("notifications link for user '{}' ended: {}", user_id_, reason);
    if (on_closed_) {
      on_closed_(reason);
    }
  }
}

}  // namespace surplus::gateway
