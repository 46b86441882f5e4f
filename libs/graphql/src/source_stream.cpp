#include <utility>

#include <surplus/graphql/source_stream.hpp>

namespace surplus::graphql {

// Consumers are called outside the lock, so that they may push or request the next event.

bool EventQueue::push(Json event) {
  std::function<void(std::optional<Json>)> consumer;
  {
    const std::lock_guard lock(mutex_);
    if (closed_ || ended_ || events_.size() >= capacity_) {
      return false;
    }
    if (!waiting_) {
      events_.push_back(std::move(event));
      return true;
    }
    consumer = std::move(waiting_);
    waiting_ = nullptr;
  }
  consumer(std::move(event));
  return true;
}

void EventQueue::end() {
  std::function<void(std::optional<Json>)> consumer;
  {
    const std::lock_guard lock(mutex_);
    ended_ = true;
    if (!events_.empty() || !waiting_) {
      return;
    }
    consumer = std::move(waiting_);
    waiting_ = nullptr;
  }
  consumer(std::nullopt);
}

void EventQueue::next(std::function<void(std::optional<Json> event)> on_event) {
  std::optional<Json> event;
  {
    const std::lock_guard lock(mutex_);
    if (!closed_ && !events_.empty()) {
      event = std::move(events_.front());
      events_.pop_front();
    } else if (!closed_ && !ended_) {
      waiting_ = std::move(on_event);
      return;
    }
  }
  on_event(std::move(event));
}

void EventQueue::close() {
  std::function<void(std::optional<Json>)> consumer;
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    events_.clear();
    consumer = std::move(waiting_);
    waiting_ = nullptr;
  }
  if (consumer) {
    consumer(std::nullopt);
  }
}

}  // namespace surplus::graphql
