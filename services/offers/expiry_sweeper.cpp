#include "expiry_sweeper.hpp"

#include <surplus/core/error.hpp>
#include <surplus/core/log.hpp>

#include "offer_operations.hpp"

namespace surplus::offers {

ExpirySweeper::ExpirySweeper(db::Database& database, std::chrono::milliseconds interval)
    : database_(database), interval_(interval) {}

ExpirySweeper::~ExpirySweeper() {
  stop();
}

void ExpirySweeper::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) {
    return;
  }
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  spdlog::info("offer expiry sweep started, every {} ms", interval_.count());
}

void ExpirySweeper::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    spdlog::info("offer expiry sweep stopped");
  }
}

void ExpirySweeper::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    sweep_once();
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

void ExpirySweeper::sweep_once() {
  try {
    std::size_t expired = expire_ended_offers(database_, core::now());
    if (expired > 0) {
      spdlog::info("expired {} offers whose pickup window ended", expired);
    }
    if (failures_in_a_row_ > 0) {
      spdlog::info("offer expiry sweep works again after {} failed attempts", failures_in_a_row_);
    }
    failures_in_a_row_ = 0;
  } catch (const core::Error& error) {
    // Logged on the first failure and then every 20th, so a database outage does not
    // flood the log.
    if (failures_in_a_row_++ % 20 == 0) {
      spdlog::warn("offer expiry sweep failed ({} in a row): {} {}", failures_in_a_row_,
                   error.message(), error.detail());
    }
  }
}

}  // namespace surplus::offers
