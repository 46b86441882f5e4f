#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <surplus/graphql/source_stream.hpp>

#include "notifications_link.hpp"

namespace surplus::gateway {

// The source stream of one subscription field, made of the events of one notifications
// channel. `convert` turns each event into the field's value. It returns nullopt for an
// event that the field does not report, such as another event type or an offer outside
// the radius.
class ChannelStream final : public graphql::SourceStream {
 public:
  using Convert = std::function<std::optional<Json>(const Json& envelope)>;

  // Events that arrived but were not yet executed and sent; one more ends the stream.
  static constexpr std::size_t kMaxQueuedEvents = 256;

  // Subscribes `channel` on `link`. Throws what NotificationsLink::subscribe throws.
  static std::shared_ptr<ChannelStream> open(std::shared_ptr<NotificationsLink> link,
                                             const std::string& channel, Convert convert,
                                             std::chrono::milliseconds timeout);

  void next(std::function<void(std::optional<Json> event)> on_event) override;
  // Unsubscribes the channel and ends the stream.
  void close() override;

  // True when the stream ended because events arrived faster than they were sent.
  bool overflowed() const { return overflowed_; }

 private:
  ChannelStream(std::shared_ptr<NotificationsLink> link, std::string channel, Convert convert);
  void receive(const Json& envelope);

  std::shared_ptr<NotificationsLink> link_;
  std::string channel_;
  Convert convert_;
  graphql::EventQueue queue_{kMaxQueuedEvents};
  std::atomic<std::uint64_t> sink_id_{0};
  std::atomic<bool> closed_{false};
  std::atomic<bool> overflowed_{false};
};

}  // namespace surplus::gateway
