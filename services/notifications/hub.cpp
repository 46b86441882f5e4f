#include "hub.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "protocol.hpp"

namespace surplus::notifications {

Hub::Hub(std::size_t max_queued) : max_queued_(max_queued), thread_([this] { run(); }) {}

Hub::~Hub() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queue_changed_.notify_all();
  thread_.join();
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
    for (const auto& subscriber : targets) {
      subscriber->deliver(next.channel, next.offset, next.message);
    }
    targets.clear();
  }
}

}  // namespace surplus::notifications
