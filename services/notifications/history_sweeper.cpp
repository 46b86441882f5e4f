#include "history_sweeper.hpp"

#include <spdlog/spdlog.h>

#include <surplus/core/error.hpp>

namespace surplus::notifications {

HistorySweeper::HistorySweeper(EventLog& log, std::chrono::milliseconds interval)
    : log_(log), interval_(interval), thread_([this] { run(); }) {}

HistorySweeper::~HistorySweeper() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  thread_.join();
}

void HistorySweeper::run() {
  std::unique_lock lock(mutex_);
  while (!stop_requested_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    try {
      auto pruned = log_.prune(core::now());
      if (pruned.history_entries > 0 || pruned.events > 0) {
        spdlog::info("history pruned: {} channel entries, {} events", pruned.history_entries,
                     pruned.events);
      }
    } catch (const core::Error& error) {
      spdlog::error("pruning the history failed: {} ({})", error.message(), error.detail());
    }
    lock.lock();
  }
}

}  // namespace surplus::notifications
