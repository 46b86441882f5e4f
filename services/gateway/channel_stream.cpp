#include "channel_stream.hpp"

#include <spdlog/spdlog.h>

namespace surplus::gateway {

ChannelStream::ChannelStream(std::shared_ptr<NotificationsLink> link, std::string channel,
                             Convert convert)
    : link_(std::move(link)), channel_(std::move(channel)), convert_(std::move(convert)) {}

std::shared_ptr<ChannelStream> ChannelStream::open(std::shared_ptr<NotificationsLink> link,
                                                   const std::string& channel, Convert convert,
                                                   std::chrono::milliseconds timeout) {
  std::shared_ptr<ChannelStream> stream(new ChannelStream(link, channel, std::move(convert)));
  // The sink keeps only a weak reference, because the subscription owns the stream, not
  // the link.
  const std::weak_ptr<ChannelStream> weak = stream;
  stream->sink_id_ = link->subscribe(
      channel,
      [weak](const Json& envelope) {
        if (const auto alive = weak.lock()) {
          alive->receive(envelope);
        }
      },
      timeout);
  return stream;
}

void ChannelStream::receive(const Json& envelope) {
  std::optional<Json> value;
  try {
    value = convert_(envelope);
  } catch (const std::exception& error) {
    spdlog::warn("ignoring an event of channel {} that does not fit its field: {}", channel_,
                 error.what());
    return;
  }
  if (!value || queue_.push(std::move(*value)) || closed_) {
    return;
  }
  // The queue is full because the client reads more slowly than events arrive. Ending the
  // stream lets the client notice, which silently dropping events would not.
  spdlog::warn("subscription to channel {} ended: more than {} events waiting", channel_,
               kMaxQueuedEvents);
  overflowed_ = true;
  queue_.end();
}

void ChannelStream::next(std::function<void(std::optional<Json> event)> on_event) {
  queue_.next(std::move(on_event));
}

void ChannelStream::close() {
  if (closed_.exchange(true)) {
    return;
  }
  link_->unsubscribe(channel_, sink_id_);
  queue_.close();
}

}  // namespace surplus::gateway
