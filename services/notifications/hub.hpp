#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <surplus/http/websocket.hpp>

#include "event_log.hpp"

namespace surplus::notifications {

// Consecutive entries of one channel in offset order: offsets[i] belongs to messages[i],
// the `event` message of that entry, encoded once for all subscribers.
struct EntryBatch {
  std::span<const std::int64_t> offsets;
  std::span<const http::SharedMessage> messages;
};

// The receiving end of a subscription: one WebSocket connection.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Called on one of the hub's delivery threads with the next entries of a channel that the
  // subscriber is registered for, never for one channel on two threads at once, so
  // successive calls for a channel continue in offset order. Must not block: it only
  // queues the messages.
  virtual void deliver(const std::string& channel, const EntryBatch& batch) = 0;
};

// Live fan-out. Stored entries are queued by publish(). A dispatch thread takes the queued
// entries (up to a bound) as a round and groups them by channel. Each subscriber gets a
// channel's entries of the round in one call, which a connection that keeps up writes with
// one system call. A slow subscriber costs the delivering thread only a failed enqueue. With
// `delivery_threads` above 1, helper threads each take a share of the round's (channel, subscriber)
// pairs, and the next round starts when all shares are done, so every subscriber still receives its
// channels' entries in order.
class Hub {
 public:
  // `max_queued` bounds the entries waiting for dispatch; publish() waits while full.
  // NOTE: the bound counts entries, not deliveries, so with channels of many thousands of
  // subscribers a full queue contains seconds of delivery work.
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
    http::SharedMessage message;
  };
  // The entries of one channel in the current round, and its subscribers when it started.
  struct ChannelRound {
    std::string channel;
    std::vector<std::int64_t> offsets;
    std::vector<http::SharedMessage> messages;
    std::vector<std::shared_ptr<Subscriber>> targets;
  };

  void run();
  void run_helper(std::size_t share);
  // Moves up to kMaxRoundEntries queued entries into round_. Called with `mutex_` held.
  void take_round();
  // Delivers round_, in shares when helper threads exist and the round is large enough.
  void deliver_round();
  // Delivers the pairs [first, last) of round_, counted channel by channel.
  void deliver_pairs(std::size_t first, std::size_t last) const;

  std::size_t max_queued_;
  const std::size_t shares_;  // delivery threads, the dispatch thread included
  mutable std::mutex mutex_;
  std::condition_variable queue_changed_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  std::unordered_map<std::string, std::vector<std::shared_ptr<Subscriber>>> channels_;

  // Written by the dispatch thread between rounds only, and read by helpers during a round.
  std::vector<ChannelRound> round_;
  std::size_t round_pairs_ = 0;  // (channel, subscriber) pairs in round_

  // A new generation starts the helpers on the current round.
  std::mutex round_mutex_;
  std::condition_variable round_started_;
  std::condition_variable round_finished_;
  std::uint64_t round_generation_ = 0;
  std::size_t round_unfinished_ = 0;
  bool helpers_stopping_ = false;
  std::vector<std::thread> helpers_;

  std::thread thread_;
};

}  // namespace surplus::notifications
