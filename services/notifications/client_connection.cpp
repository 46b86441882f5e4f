#include "client_connection.hpp"

#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>

#include <surplus/core/error.hpp>

#include "channel.hpp"
#include "channel_access.hpp"

namespace surplus::notifications {

ClientConnection::ClientConnection(std::shared_ptr<NotificationsApp> app, auth::Identity identity)
    : app_(std::move(app)),
      identity_(std::move(identity)),
      authenticated_by_header_(!identity_.is_anonymous()) {
  app_->metrics.connections_open.add(1);
}

ClientConnection::~ClientConnection() {
  app_->metrics.connections_open.add(-1);
  app_->open_connections.fetch_sub(1);
}

void ClientConnection::on_open(std::shared_ptr<http::WebSocketConnection> connection) {
  connection_ = std::move(connection);
}

void ClientConnection::on_message(std::string_view text) {
  bool first = std::exchange(first_message_, false);
  try {
    auto message = parse_client_message(text);
    if (message.type == ClientMessage::Type::kAuth) {
      if (!first || authenticated_by_header_) {
        throw ProtocolError(error_codes::kBadMessage,
                            "auth is accepted only as the first message of a connection whose "
                            "upgrade request had no Authorization header");
      }
      authenticate(message.token);
      return;
    }
    handle(message);
  } catch (const ProtocolError& error) {
    send(error_message(error.code(), error.what(), error.channel()));
  }
}

void ClientConnection::handle(const ClientMessage& message) {
  switch (message.type) {
    case ClientMessage::Type::kSubscribe:
      subscribe(message);
      break;
    case ClientMessage::Type::kUnsubscribe:
      unsubscribe(message.channel);
      break;
    case ClientMessage::Type::kPing:
      send(pong_message(message.id));
      break;
    case ClientMessage::Type::kAuth:
      break;  // handled by on_message
  }
}

void ClientConnection::authenticate(const std::string& token) {
  try {
    identity_ = auth::Identity::from_claims(app_->verifier.verify(token));
  } catch (const core::Error& error) {
    spdlog::debug("WebSocket auth from {} failed: {}", connection_->remote_address(),
                  error.message());
    send(error_message(error_codes::kUnauthenticated, error.message()));
    connection_->close(kCloseAuthenticationFailed, "authentication failed");
    return;
  }
  send(authenticated_message(identity_.user_id, auth::role_name(identity_.role)));
}

void ClientConnection::subscribe(const ClientMessage& message) {
  const std::string& name = message.channel;
  auto channel = parse_channel(name);
  if (!channel) {
    throw ProtocolError(error_codes::kInvalidChannel,
                        "'" + name +
                            "' is not a channel name; expected offers, restaurant:{id}:offers, "
                            "restaurant:{id}, user:{id}, courier:{id} or order:{id}",
                        name);
  }
  {
    std::lock_guard lock(mutex_);
    if (subscriptions_.contains(name)) {
      throw ProtocolError(error_codes::kAlreadySubscribed, "already subscribed to this channel",
                          name);
    }
    if (subscriptions_.size() >= app_->config.max_channels_per_connection) {
      throw ProtocolError(error_codes::kTooManyChannels,
                          "a connection may subscribe to at most " +
                              std::to_string(app_->config.max_channels_per_connection) +
                              " channels; unsubscribe from one first",
                          name);
    }
  }
  authorize_channel(identity_, *channel, name, app_->orders);

  {
    std::lock_guard lock(mutex_);
    subscriptions_.emplace(name, Subscription{});
  }
  app_->hub.subscribe(name, shared_from_this());
  app_->metrics.subscriptions_open.add(1);

  Recovery recovery;
  try {
    recovery = app_->log.read_since(name, message.since);
  } catch (const core::Error& error) {
    spdlog::error("reading the history of {} failed: {} ({})", name, error.message(),
                  error.detail());
    forget_subscription(name);
    throw ProtocolError(error_codes::kUnavailable, "the event log could not be read; retry later",
                        name);
  }

  std::lock_guard lock(mutex_);
  auto& subscription = subscriptions_.at(name);
  send(subscribed_message(name, recovery.recovered, recovery.position));
  for (const auto& entry : recovery.entries) {
    send(event_message(name, entry.offset, entry.envelope));
  }
  subscription.last_sent = recovery.position.offset;
  for (const auto& [offset, held] : subscription.held) {
    if (offset > subscription.last_sent) {
      connection_->send_prepared({&held, 1});
      subscription.last_sent = offset;
    }
  }
  subscription.held = {};
  subscription.recovering = false;
}

void ClientConnection::unsubscribe(const std::string& channel) {
  {
    std::lock_guard lock(mutex_);
    if (!subscriptions_.contains(channel)) {
      throw ProtocolError(error_codes::kNotSubscribed, "not subscribed to this channel", channel);
    }
  }
  forget_subscription(channel);
  send(unsubscribed_message(channel));
}

void ClientConnection::forget_subscription(const std::string& channel) {
  {
    std::lock_guard lock(mutex_);
    if (subscriptions_.erase(channel) == 0) {
      return;
    }
  }
  app_->hub.unsubscribe(channel, this);
  app_->metrics.subscriptions_open.add(-1);
}

void ClientConnection::on_close(std::uint16_t code, std::string_view reason) {
  std::vector<std::string> channels;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [channel, subscription] : subscriptions_) {
      channels.push_back(channel);
    }
    subscriptions_.clear();
  }
  for (const auto& channel : channels) {
    app_->hub.unsubscribe(channel, this);
  }
  app_->metrics.subscriptions_open.add(-static_cast<std::int64_t>(channels.size()));
  if (code == http::kCloseQueueOverflow) {
    app_->metrics.slow_readers_closed.increment();
  }
  spdlog::debug("WebSocket of user '{}' closed with {} {}; it had {} subscriptions",
                identity_.user_id, code, reason, channels.size());
}

void ClientConnection::deliver(const std::string& channel, const EntryBatch& batch) {
  std::lock_guard lock(mutex_);
  auto it = subscriptions_.find(channel);
  if (it == subscriptions_.end()) {
    return;  // unsubscribed after the hub took its copy of the subscriber list
  }
  auto& subscription = it->second;
  if (subscription.recovering) {
    for (std::size_t i = 0; i < batch.offsets.size(); ++i) {
      // Held entries wait for the history read, so they count against the send queue.
      if (subscription.held.size() >= app_->config.websocket.max_queue_messages) {
        connection_->close(http::kCloseQueueOverflow, "send queue overflow");
        return;
      }
      subscription.held.emplace_back(batch.offsets[i], batch.messages[i]);
    }
    return;
  }
  // The offsets ascend, so the entries not yet sent from the history are a suffix.
  auto unsent =
      std::upper_bound(batch.offsets.begin(), batch.offsets.end(), subscription.last_sent) -
      batch.offsets.begin();
  auto messages = batch.messages.subspan(static_cast<std::size_t>(unsent));
  if (messages.empty()) {
    return;
  }
  subscription.last_sent = batch.offsets.back();
  connection_->send_prepared(messages);
  app_->metrics.messages_delivered.increment(messages.size());
}

void ClientConnection::send(std::string text) {
  connection_->send(std::move(text));
}

}  // namespace surplus::notifications
