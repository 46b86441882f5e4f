#include "pool.hpp"

#include <utility>

#include <fmt/format.h>

namespace surplus::db::detail {

Pool::Pool(Factory factory, std::size_t max_size, std::chrono::milliseconds acquire_timeout)
    : factory_(std::move(factory)),
      max_size_(std::max<std::size_t>(1, max_size)),
      acquire_timeout_(acquire_timeout) {}

Pool::Lease::~Lease() {
  if (connection_) {
    pool_->release(std::move(connection_));
  }
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
  while (idle_.empty() && open_ >= max_size_) {
    ++waiting_;
    bool woken = available_.wait_until(lock, deadline,
                                       [this] { return !idle_.empty() || open_ < max_size_; });
    --waiting_;
    if (!woken) {
      throw DatabaseError(
          core::ErrorCode::kUnavailable, "the database is busy, try again",
          fmt::format("no pooled connection became free within {} ms ({} of {} in use); "
                      "raise the pool size, or check for a transaction body that calls "
                      "Database::execute instead of its Session",
                      acquire_timeout_.count(), open_, max_size_));
    }
  }
  ++acquired_total_;

  if (!idle_.empty()) {
    std::unique_ptr<Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }

  ++open_;
  lock.unlock();
  try {
    return Lease(*this, factory_());
  } catch (...) {
    lock.lock();
    --open_;
    available_.notify_one();
    throw;
  }
}

void Pool::release(std::unique_ptr<Connection> connection) noexcept {
  bool keep = connection->healthy();
  {
    std::lock_guard lock(mutex_);
    if (keep) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  available_.notify_one();
  // An unhealthy connection is closed here, outside the lock.
}

void Pool::count_retry() {
  std::lock_guard lock(mutex_);
  ++retries_total_;
}

PoolStats Pool::stats() const {
  std::lock_guard lock(mutex_);
  PoolStats stats;
  stats.max_size = max_size_;
  stats.open = open_;
  stats.idle = idle_.size();
  stats.waiting = waiting_;
  stats.acquired_total = acquired_total_;
  stats.retries_total = retries_total_;
  return stats;
}

}  // namespace surplus::db::detail
