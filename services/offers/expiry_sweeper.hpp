#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <surplus/db/database.hpp>

namespace surplus::offers {

// Expires offers whose pickup window has ended, every `interval`, on a thread of its own.
// Searches and reservations already ignore such offers, so the sweep only makes the
// status, the events and the inventory catch up.
class ExpirySweeper {
 public:
  ExpirySweeper(db::Database& database, std::chrono::milliseconds interval);
  // Stops the thread if it runs.
  ~ExpirySweeper();
  ExpirySweeper(const ExpirySweeper&) = delete;
  ExpirySweeper& operator=(const ExpirySweeper&) = delete;

  void start();
  // Lets a sweep in progress finish, then joins the thread.
  void stop();

 private:
  void run();
  void sweep_once();

  db::Database& database_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int failures_in_a_row_ = 0;
  std::thread thread_;
};

}  // namespace surplus::offers
