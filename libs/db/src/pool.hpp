#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "connection.hpp"

namespace surplus::db::detail {

// A bounded set of connections, opened on demand and reused. Thread-safe.
class Pool {
 public:
  using Factory = std::function<std::unique_ptr<Connection>()>;

  Pool(Factory factory, std::size_t max_size, std::chrono::milliseconds acquire_timeout);

  // A checked-out connection; returns it to the pool (or closes it when unhealthy) on
  // destruction.
  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    ~Lease();
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // Returns an idle connection, or opens a new one while fewer than max_size are open,
  // or else waits up to acquire_timeout. Throws DatabaseError (UNAVAILABLE) on timeout
  // or when opening fails.
  Lease acquire();

  void count_retry();
  PoolStats stats() const;

 private:
  void release(std::unique_ptr<Connection> connection) noexcept;

  Factory factory_;
  std::size_t max_size_;
  std::chrono::milliseconds acquire_timeout_;

  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;
  std::size_t waiting_ = 0;
  std::uint64_t acquired_total_ = 0;
  std::uint64_t retries_total_ = 0;
};

}  // namespace surplus::db::detail
