#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>

#include <surplus/core/time.hpp>

#include "orders_config.hpp"

namespace surplus::orders {

// Counters of one reconciler pass.
struct ReconcileStats {
  std::size_t claimed = 0;  // PENDING orders this pass took over
  std::size_t still_pending = 0;
  std::size_t expired = 0;   // rejected because they outlived ORDER_PENDING_DEADLINE
  std::size_t released = 0;  // reservations released after an earlier failure
  std::size_t deliveries_created = 0;
  std::size_t deliveries_followed = 0;
  std::size_t no_shows = 0;
  std::size_t restaurants_synced = 0;  // restaurant changes the offers service now has
};

// Completes the work that requests left unfinished. PENDING orders older than
// ORDER_PENDING_MIN_AGE are claimed with a conditional UPDATE, so of several instances
// exactly one takes each order. The claimed order's idempotent reservation is repeated,
// or, past ORDER_PENDING_DEADLINE, the order is rejected with UNAVAILABLE and released.
// A pass also retries releases and delivery creation that the offers service did not
// acknowledge, follows open deliveries, marks NO_SHOW and sends restaurant changes that
// have not reached the offers service yet (see restaurant_sync.hpp). Once started, it runs every
// ORDER_RECONCILE_INTERVAL on a thread of its own.
class Reconciler {
 public:
  explicit Reconciler(std::shared_ptr<OrdersApp> app);
  // Stops the thread if it runs.
  ~Reconciler();
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;

  void start();
  // Lets a pass in progress finish, then joins the thread.
  void stop();

  // One pass at `now`, on the calling thread; tests call it directly. Database errors of
  // one order are logged and do not stop the pass.
  ReconcileStats run_once(core::Timestamp now);

 private:
  void run();
  void reconcile_pending(core::Timestamp now, ReconcileStats& stats);
  void retry_releases(ReconcileStats& stats);
  void retry_deliveries(ReconcileStats& stats);
  void follow_deliveries(ReconcileStats& stats);
  void sync_restaurants(core::Timestamp now, ReconcileStats& stats);

  std::shared_ptr<OrdersApp> app_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int failures_in_a_row_ = 0;
  std::thread thread_;
};

}  // namespace surplus::orders
