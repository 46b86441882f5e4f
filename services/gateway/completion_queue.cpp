#include "completion_queue.hpp"

#include <utility>

namespace surplus::gateway {

void CompletionQueue::post(std::function<void()> task) {
  {
    const std::lock_guard lock(mutex_);
    if (!closed_) {
      tasks_.push_back(std::move(task));
      changed_.notify_one();
      return;
    }
  }
  task();
}

void CompletionQueue::run_until_ready(const graphql::Future& future) {
  if (future.is_ready()) {
    return;
  }
  // Wakes this thread when another thread completes `future`. The callback may run after
  // this function returned, so it keeps the queue alive.
  future.on_ready([self = shared_from_this()] {
    const std::lock_guard lock(self->mutex_);
    self->changed_.notify_all();
  });
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return !tasks_.empty() || future.is_ready(); });
      if (future.is_ready()) {
        return;
      }
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

void CompletionQueue::close() {
  std::deque<std::function<void()>> remaining;
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    remaining.swap(tasks_);
  }
  for (auto& task : remaining) {
    task();
  }
}

}  // namespace surplus::gateway
