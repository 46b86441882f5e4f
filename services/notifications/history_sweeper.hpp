#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "event_log.hpp"

namespace surplus::notifications {

// Deletes expired history and events every `interval` on a thread of its own; a failed
// sweep is logged and retried at the next interval.
class HistorySweeper {
 public:
  HistorySweeper(EventLog& log, std::chrono::milliseconds interval);
  // Stops the thread.
  ~HistorySweeper();
  HistorySweeper(const HistorySweeper&) = delete;
  HistorySweeper& operator=(const HistorySweeper&) = delete;

 private:
  void run();

  EventLog& log_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace surplus::notifications
