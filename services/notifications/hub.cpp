#include "hub.hpp"

#include <algorithm>
#include <string_view>

#include <spdlog/spdlog.h>

#include "protocol.hpp"

namespace surplus::notifications {

namespace {

// A round with fewer (channel, subscriber) pairs is delivered by the dispatch thread alone,
// because waking the helpers would cost more than they save. An estimate, not a measured
// limit.
constexpr std::size_t kMinSharedDelivery = 256;
// Entries taken into one round. It bounds how long a round keeps the next entries waiting
// and how many messages one subscriber is given at once.
constexpr std::size_t kMaxRoundEntries = 256;

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
    auto message = std::make_shared<const http::PreparedMessage>(
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
  while (true) {
    {
      std::unique_lock lock(mutex_);
      queue_changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) {
        return;
      }
      take_round();
      queue_changed_.notify_all();
    }
    deliver_round();
    round_.clear();
    round_pairs_ = 0;
  }
}

void Hub::take_round() {
  std::unordered_map<std::string_view, std::size_t> index;
  auto count = std::min(queue_.size(), kMaxRoundEntries);
  for (std::size_t i = 0; i < count; ++i) {
    auto& item = queue_[i];
    auto [position, inserted] = index.try_emplace(item.channel, round_.size());
    if (inserted) {
      round_.push_back({item.channel, {}, {}, {}});
    }
    auto& channel = round_[position->second];
    channel.offsets.push_back(item.offset);
    channel.messages.push_back(std::move(item.message));
  }
  // The map's keys point into queue_, so the entries leave the queue only now.
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));

  for (auto& channel : round_) {
    // A copy, so subscribers may subscribe and unsubscribe during delivery.
    auto it = channels_.find(channel.channel);
    if (it != channels_.end()) {
      channel.targets = it->second;
      round_pairs_ += channel.targets.size();
    }
  }
}

void Hub::deliver_round() {
  if (shares_ == 1 || round_pairs_ < kMinSharedDelivery) {
    deliver_pairs(0, round_pairs_);
    return;
  }
  {
    std::lock_guard lock(round_mutex_);
    round_unfinished_ = shares_ - 1;
    ++round_generation_;
  }
  round_started_.notify_all();
  deliver_pairs(0, round_pairs_ / shares_);
  std::unique_lock lock(round_mutex_);
  round_finished_.wait(lock, [this] { return round_unfinished_ == 0; });
}

// A (channel, subscriber) pair is in one share only, and the next round waits for every
// share, so each subscriber still receives its channel's entries in order.
void Hub::deliver_pairs(std::size_t first, std::size_t last) const {
  std::size_t channel_first = 0;  // the number of pairs before `channel`
  for (const auto& channel : round_) {
    auto channel_last = channel_first + channel.targets.size();
    if (channel_first >= last) {
      break;
    }
    auto begin = std::max(first, channel_first);
    auto end = std::min(last, channel_last);
    EntryBatch batch{channel.offsets, channel.messages};
    for (auto i = begin; i < end; ++i) {
      channel.targets[i - channel_first]->deliver(channel.channel, batch);
    }
    channel_first = channel_last;
  }
}

void Hub::run_helper(std::size_t share) {
  std::uint64_t done_generation = 0;
  while (true) {
    {
      std::unique_lock lock(round_mutex_);
      round_started_.wait(
          lock, [&] { return helpers_stopping_ || round_generation_ != done_generation; });
      if (helpers_stopping_) {
        return;
      }
      done_generation = round_generation_;
    }
    deliver_pairs(round_pairs_ * share / shares_, round_pairs_ * (share + 1) / shares_);
    std::lock_guard lock(round_mutex_);
    if (--round_unfinished_ == 0) {
      round_finished_.notify_one();
    }
  }
}

}  // namespace surplus::notifications
