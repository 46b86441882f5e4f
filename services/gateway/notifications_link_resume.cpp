// Reconnecting a NotificationsLink after a drop and resuming its channels with `since`.
#include <algorithm>
#include <random>
// g++ 12 needs <utility> before Asio's headers.
#include <utility>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "notifications_link.hpp"
#include "notifications_link_io.hpp"

namespace surplus::gateway {

using namespace link_io;

namespace {

// Backoff between reconnect attempts: each wait is drawn from [d/2, d], and d doubles from
// the first value up to the maximum, so links of many clients do not retry in step.
constexpr std::chrono::milliseconds kFirstRetryDelay{100};
constexpr std::chrono::milliseconds kMaxRetryDelay{2000};

std::chrono::milliseconds jittered(std::chrono::milliseconds delay) {
  thread_local std::minstd_rand random{std::random_device{}()};
  std::uniform_int_distribution<std::int64_t> pick(delay.count() / 2, delay.count());
  return std::chrono::milliseconds(pick(random));
}

}  // namespace

asio::awaitable<std::optional<LinkEnd>> NotificationsLink::reconnect(const std::string& reason) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  using clock = std::chrono::steady_clock;
  const std::string& id = options_.connection_id;
  if (options_.reconnect_timeout.count() <= 0) {
    spdlog::warn("notifications link of connection {} dropped: {}", id, reason);
    co_return LinkEnd{LinkEnd::Cause::kLost, reason};
  }
  if (!stream_->outage_deadline) {
    stream_->outage_deadline = clock::now() + options_.reconnect_timeout;
  }
  const auto deadline = *stream_->outage_deadline;
  spdlog::warn("notifications link of connection {} dropped: {}; reconnecting for up to {} ms", id,
               reason, duration_cast<milliseconds>(deadline - clock::now()).count());

  std::string last_error = reason;
  auto delay = kFirstRetryDelay;
  for (int attempt = 1;; ++attempt) {
    const auto remaining = duration_cast<milliseconds>(deadline - clock::now());
    if (remaining.count() <= 0) {
      co_return LinkEnd{LinkEnd::Cause::kLost,
                        "not reconnected within " +
                            std::to_string(options_.reconnect_timeout.count()) +
                            " ms; last error: " + last_error};
    }
    const Attempt result = co_await connect(std::min(options_.connect_timeout, remaining));
    if (stopping()) {
      co_return std::nullopt;
    }
    if (result.result == Attempt::Result::kConnected) {
      spdlog::info("notifications link of connection {} reconnected at attempt {}", id, attempt);
      stream_->connection->open = true;
      resume();
      co_return std::nullopt;
    }
    if (result.result == Attempt::Result::kTokenRejected) {
      co_return LinkEnd{LinkEnd::Cause::kAccessRejected,
                        "the service rejected the access token on reconnecting: " + result.detail};
    }
    last_error = result.detail;
    spdlog::debug("notifications link of connection {}: reconnect attempt {} failed: {}", id,
                  attempt, result.detail);

    boost::system::error_code ec;
    stream_->retry_timer.expires_after(std::min(jittered(delay), remaining));
    co_await stream_->retry_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (stopping()) {
      co_return std::nullopt;
    }
    delay = std::min(delay * 2, kMaxRetryDelay);
  }
}

// Subscribes every channel again on the new connection. An active channel gets `since`
// with its last delivered offset, and one still waiting for its first reply gets none.
void NotificationsLink::resume() {
  const auto connection = stream_->connection;
  std::vector<std::string> messages;
  std::size_t resuming = 0;
  {
    const std::lock_guard lock(mutex_);
    for (auto& [name, channel] : channels_) {
      channel.resuming = true;
      ++resuming;
      messages.push_back(Json{{"type", "subscribe"},
                              {"channel", name},
                              {"since", {{"epoch", channel.epoch}, {"offset", channel.offset}}}}
                             .dump());
    }
    for (auto& [name, pending] : pending_) {
      pending->sent_on = connection->generation;
      messages.push_back(subscribe_message(name));
    }
  }
  stream_->resuming = true;
  stream_->resumed_channels = resuming;
  if (resuming > 0) {
    // A reply that does not come before the deadline ends this connection, and with it the
    // link, because reconnect() finds no time left.
    stream_->resume_timer.expires_at(*stream_->outage_deadline);
    stream_->resume_timer.async_wait(
        [self = shared_from_this(), connection](boost::system::error_code ec) {
          if (!ec && self->stream_->resuming && self->stream_->connection == connection) {
            beast::get_lowest_layer(connection->ws).close();
          }
        });
  }
  for (auto& message : messages) {
    connection->outgoing.push_back(std::move(message));
  }
  write_next(connection);
  check_resumed();
}

// Ends the outage once no channel waits for its `subscribed` reply any more.
void NotificationsLink::check_resumed() {
  if (!stream_->resuming) {
    return;
  }
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [name, channel] : channels_) {
      if (channel.resuming) {
        return;
      }
    }
  }
  stream_->resuming = false;
  stream_->outage_deadline.reset();
  stream_->resume_timer.cancel();
  spdlog::info("notifications link of connection {} resumed, channels: {}", options_.connection_id,
               stream_->resumed_channels);
}

// Handles the reply to a subscribe with `since` sent by resume().
void NotificationsLink::resumed(const std::string& channel, const Json& message) {
  const std::string& id = options_.connection_id;
  if (message.value("type", "") == "error") {
    const std::string code = message.value("code", "");
    const std::string detail =
        "channel " + channel + " was rejected: " + code + " " + message.value("message", "");
    if (code == "UNAVAILABLE") {
      // The service could not read its history, but a later attempt may succeed.
      spdlog::warn("notifications link of connection {}: {}; reconnecting", id, detail);
      beast::get_lowest_layer(stream_->connection->ws).close();
    } else if (code == "FORBIDDEN" || code == "UNAUTHENTICATED") {
      fail_resume({LinkEnd::Cause::kAccessRejected, detail});
    } else {
      fail_resume({LinkEnd::Cause::kNotRecoverable, detail});
    }
    return;
  }

  const bool recovered = message.value("recovered", false);
  std::string detail;
  {
    const std::lock_guard lock(mutex_);
    const auto found = channels_.find(channel);
    if (found == channels_.end()) {
      // Its last sink went meanwhile, and unsubscribe() sent the unsubscribe message.
      return;
    }
    Channel& entry = found->second;
    entry.resuming = false;
    if (!recovered) {
      detail = "channel " + channel + " could not be resumed after offset " +
               std::to_string(entry.offset) + " of epoch " + entry.epoch +
               "; the service is at offset " + std::to_string(offset_of(message)) + " of epoch " +
               message.value("epoch", "");
    }
  }
  if (!recovered) {
    fail_resume({LinkEnd::Cause::kNotRecoverable, detail});
    return;
  }
  check_resumed();
}

// Ends the link after a channel could not be resumed: closing the socket stops the read
// loop, and run() then reports `end`.
void NotificationsLink::fail_resume(LinkEnd end) {
  stream_->failure = std::move(end);
  stream_->resuming = false;
  stream_->resume_timer.cancel();
  beast::get_lowest_layer(stream_->connection->ws).close();
}

}  // namespace surplus::gateway
