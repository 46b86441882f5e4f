#include "hub.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "protocol.hpp"

namespace surplus::notifications {

namespace {

// A channel with fewer subscribers is delivered by the dispatch thread alone, because
// waking the helpers would cost more than they save. An estimate, not a measured limit.
constexpr std::size_t kMinSharedDelivery = 256;

}  // namespace

Hub::Hub(std::size_t max_queued, std::size_t delivery_threads)
    : max_queued_(max_queued),
      shares_(std::max<std::size_t>(delivery_threads, 1)),
      thread_([this] { run(); }) {
  for (std::size_t share = 1; share < shares_; ++share) {
    helpers_.emplace_back([this, share] { run_helper(share); });
  }
}

Hub::~Hub() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queue_changed_.notify_all();
  // The dispatch thread first: it may wait for the helpers to finish a round.
  thread_.join();
  {
    std::lock_guard lock(round_mutex_);
    helpers_stopping_ = true;
  }
  round_started_.notify_all();
  for (auto& helper : helpers_) {
    helper.join();
  }
}

void Hub::subscribe(const std::string& channel, std::shared_ptr<Subscriber> subscriber) {
  std::lock_guard lock(mutex_);
  channels_[channel].push_back(std::move(subscriber));
}

void Hub::unsubscribe(const std::string& channel, const Subscriber* subscriber) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(channel);
  if (it == channels_.end()) {
    return;
  }
  auto& subscribers = it->second;
  std::erase_if(subscribers, [subscriber](const auto& entry) { return entry.get() == subscriber; });
  if (subscribers.empty()) {
    channels_.erase(it);
  }
}

void Hub::publish(std::vector<ChannelEntry> entries) {
  std::vector<Queued> prepared;
  prepared.reserve(entries.size());
  for (auto& entry : entries) {
    auto message = std::make_shared<const std::string>(
        event_message(entry.channel, entry.offset, entry.envelope));
    prepared.push_back({std::move(entry.channel), entry.offset, std::move(message)});
  }

  std::unique_lock lock(mutex_);
  for (auto& item : prepared) {
    queue_changed_.wait(lock, [this] { return stopping_ || queue_.size() < max_queued_; });
    if (stopping_) {
      return;
    }
    queue_.push_back(std::move(item));
    queue_changed_.notify_all();
  }
}

std::size_t Hub::channel_count() const {
  std::lock_guard lock(mutex_);
  return channels_.size();
}

std::size_t Hub::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void Hub::run() {
  std::vector<std::shared_ptr<Subscriber>> targets;
  while (true) {
    Queued next;
    {
      std::unique_lock lock(mutex_);
      queue_changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        return;
      }
      next = std::move(queue_.front());
      queue_.pop_front();
      queue_changed_.notify_all();
      // A copy, so subscribers may subscribe and unsubscribe during delivery.
      auto it = channels_.find(next.channel);
      if (it != channels_.end()) {
        targets = it->second;
      }
    }
    deliver(next, targets);
    targets.clear();
  }
}

void Hub::deliver(const Queued& item, const std::vector<std::shared_ptr<Subscriber>>& targets) {
  if (shares_ == 1 || targets.size() < kMinSharedDelivery) {
    for (const auto& subscriber : targets) {
      subscriber->deliver(item.channel, item.offset, item.message);
    }
    return;
  }
  {
    std::lock_guard lock(round_mutex_);
    round_item_ = &item;
    round_targets_ = &targets;
    round_unfinished_ = shares_ - 1;
    ++round_generation_;
  }
  round_started_.notify_all();
  deliver_share(item, targets, 0);
  std::unique_lock lock(round_mutex_);
  round_finished_.wait(lock, [this] { return round_unfinished_ == 0; });
}

// A subscriber stays in one share for the whole entry, and the next entry waits for every
// share, so each subscriber still receives its channel's entries in order.
void Hub::deliver_share(const Queued& item, const std::vector<std::shared_ptr<Subscriber>>& targets,
                        std::size_t share) const {
  auto begin = targets.size() * share / shares_;
  auto end = targets.size() * (share + 1) / shares_;
  for (auto i = begin; i < end; ++i) {
    targets[i]->deliver(item.channel, item.offset, item.message);
  }
}

void Hub::run_helper(std::size_t share) {
  std::uint64_t done_generation = 0;
  while (true) {
    const Queued* item = nullptr;
    const std::vector<std::shared_ptr<Subscriber>>* targets = nullptr;
    {
      std::unique_lock lock(round_mutex_);
      round_started_.wait(
          lock, [&] { return helpers_stopping_ || round_generation_ != done_generation; });
      if (helpers_stopping_) {
        return;
      }
      done_generation = round_generation_;
      item = round_item_;
      targets = round_targets_;
    }
    deliver_share(*item, *targets, share);
    std::lock_guard lock(round_mutex_);
    if (--round_unfinished_ == 0) {
      round_finished_.notify_one();
    }
  }
}

}  // namespace surplus::notifications
