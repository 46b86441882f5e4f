#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "event_log.hpp"

namespace surplus::notifications {

// The receiving end of a subscription: one WebSocket connection.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Called on the hub's dispatch thread for every entry of a channel the subscriber is
  // registered for, in offset order. Must not block: it only queues the message.
  virtual void deliver(const std::string& channel, std::int64_t offset,
                       const std::shared_ptr<const std::string>& message) = 0;
};

// Live fan-out. Stored entries are queued by publish() and taken one at a time by a
// dispatch thread, so every subscriber of a channel receives its entries in the order they
// were published. A slow subscriber costs the dispatch thread only a failed enqueue.
// With `delivery_threads` above 1, helper threads each deliver an entry to a share of a
// large channel's subscribers, and the next entry starts when all shares are done.
class Hub {
 public:
  // `max_queued` bounds the entries waiting for dispatch; publish() waits while full.
  explicit Hub(std::size_t max_queued, std::size_t delivery_threads = 1);
  // Stops the dispatch and delivery threads; entries still queued are dropped.
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  void subscribe(const std::string& channel, std::shared_ptr<Subscriber> subscriber);
  void unsubscribe(const std::string& channel, const Subscriber* subscriber);

  // Queues the entries for delivery after the ones queued before.
  void publish(std::vector<ChannelEntry> entries);

  std::size_t channel_count() const;
  std::size_t queued() const;

 private:
  struct Queued {
    std::string channel;
    std::int64_t offset = 0;
    std::shared_ptr<const std::string> message;
  };

  void run();
  void run_helper(std::size_t share);
  // Delivers `item` to all `targets`, in shares when helper threads exist.
  void deliver(const Queued& item, const std::vector<std::shared_ptr<Subscriber>>& targets);
  void deliver_share(const Queued& item, const std::vector<std::shared_ptr<Subscriber>>& targets,
                     std::size_t share) const;

  std::size_t max_queued_;
  const std::size_t shares_;  // delivery threads, the dispatch thread included
  mutable std::mutex mutex_;
  std::condition_variable queue_changed_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  std::unordered_map<std::string, std::vector<std::shared_ptr<Subscriber>>> channels_;

  // The entry that the helpers are delivering; a new generation starts the next one.
  std::mutex round_mutex_;
  std::condition_variable round_started_;
  std::condition_variable round_finished_;
  std::uint64_t round_generation_ = 0;
  std::size_t round_unfinished_ = 0;
  const Queued* round_item_ = nullptr;
  const std::vector<std::shared_ptr<Subscriber>>* round_targets_ = nullptr;
  bool helpers_stopping_ = false;
  std::vector<std::thread> helpers_;

  std::thread thread_;
};

}  // namespace surplus::notifications
