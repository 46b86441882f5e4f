#include "reconciler.hpp"

#include <spdlog/spdlog.h>

#include <surplus/core/error.hpp>

#include "order_flow.hpp"
#include "orders_store.hpp"
#include "restaurant_sync.hpp"

namespace surplus::orders {
namespace {

constexpr std::size_t kBatchSize = 100;

template <class Rep, class Period>
long long milliseconds_of(std::chrono::duration<Rep, Period> duration) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
}

}  // namespace

Reconciler::Reconciler(std::shared_ptr<OrdersApp> app) : app_(std::move(app)) {}

Reconciler::~Reconciler() {
  stop();
}

void Reconciler::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) {
    return;
  }
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  spdlog::info(
      "order reconciler started: every {} ms, PENDING orders after {} ms, rejected after {} ms",
      milliseconds_of(app_->config.reconcile_interval),
      milliseconds_of(app_->config.pending_min_age),
      milliseconds_of(app_->config.pending_deadline));
}

void Reconciler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
    spdlog::info("order reconciler stopped");
  }
}

void Reconciler::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      run_once(core::now());
      if (failures_in_a_row_ > 0) {
        spdlog::info("order reconciler works again after {} failed passes", failures_in_a_row_);
      }
      failures_in_a_row_ = 0;
    } catch (const std::exception& error) {
      // Logged on the first failure and then every 20th, so a database outage does not
      // flood the log.
      if (failures_in_a_row_++ % 20 == 0) {
        spdlog::warn("order reconciler pass failed ({} in a row): {}", failures_in_a_row_,
                     error.what());
      }
    }
    lock.lock();
    wake_.wait_for(lock, app_->config.reconcile_interval, [this] { return stopping_; });
  }
}

ReconcileStats Reconciler::run_once(core::Timestamp now) {
  ReconcileStats stats;
  reconcile_pending(now, stats);
  retry_releases(stats);
  retry_deliveries(stats);
  follow_deliveries(stats);
  stats.no_shows = mark_no_shows(*app_, now);
  sync_restaurants(now, stats);
  return stats;
}

void Reconciler::reconcile_pending(core::Timestamp now, ReconcileStats& stats) {
  auto& app = *app_;
  auto created_before =
      now - std::chrono::duration_cast<std::chrono::microseconds>(app.config.pending_min_age);
  auto deadline_before =
      now - std::chrono::duration_cast<std::chrono::microseconds>(app.config.pending_deadline);
  auto lease_end =
      now + std::chrono::duration_cast<std::chrono::microseconds>(app.config.claim_lease);
  auto candidates = app.database.transaction(
      [&](db::Session& session) {
        return pending_candidates(session, created_before, now, kBatchSize);
      },
      kReadOnly);
  for (const auto& id : candidates) {
    try {
      auto claimed = app.database.transaction([&](db::Session& session) -> std::optional<Order> {
        if (!claim_pending(session, id, now, lease_end)) {
          return std::nullopt;
        }
        return find_order(session, id);
      });
      if (!claimed) {
        continue;  // another reconciler took it
      }
      ++stats.claimed;
      if (claimed->created_at <= deadline_before) {
        reject_pending(app, id, "UNAVAILABLE",
                       "the offers service did not confirm the reservation in time");
        ++stats.expired;
        continue;
      }
      if (complete_pending(app, *claimed).status == OrderStatus::kPending) {
        ++stats.still_pending;
      }
    } catch (const core::Error& error) {
      spdlog::warn("reconciling order {} failed: {} {}", id, error.message(), error.detail());
    }
  }
}

void Reconciler::retry_releases(ReconcileStats& stats) {
  auto ids = app_->database.transaction(
      [&](db::Session& session) { return orders_requiring_release(session, kBatchSize); },
      kReadOnly);
  for (const auto& id : ids) {
    if (release_reservation(*app_, id)) {
      ++stats.released;
    }
  }
}

void Reconciler::retry_deliveries(ReconcileStats& stats) {
  auto ids = app_->database.transaction(
      [&](db::Session& session) { return orders_requiring_delivery(session, kBatchSize); },
      kReadOnly);
  for (const auto& id : ids) {
    try {
      if (create_delivery_for(*app_, id)) {
        ++stats.deliveries_created;
      }
    } catch (const core::Error& error) {
      spdlog::warn("creating the delivery of order {} failed: {} {}", id, error.message(),
                   error.detail());
    }
  }
}

void Reconciler::follow_deliveries(ReconcileStats& stats) {
  auto orders = app_->database.transaction(
      [&](db::Session& session) { return orders_following_delivery(session, kBatchSize); },
      kReadOnly);
  for (const auto& order : orders) {
    try {
      if (follow_delivery(*app_, order)) {
        ++stats.deliveries_followed;
      }
    } catch (const core::Error& error) {
      spdlog::warn("following the delivery of order {} failed: {} {}", order.id, error.message(),
                   error.detail());
    }
  }
}

void Reconciler::sync_restaurants(core::Timestamp now, ReconcileStats& stats) {
  auto ids = app_->database.transaction(
      [&](db::Session& session) { return restaurants_due_for_sync(session, now, kBatchSize); },
      kReadOnly);
  for (const auto& id : ids) {
    try {
      if (push_restaurant(*app_, id, now)) {
        ++stats.restaurants_synced;
      }
    } catch (const core::Error& error) {
      spdlog::warn("sending restaurant {} to the offers service failed: {} {}", id, error.message(),
                   error.detail());
    }
  }
}

}  // namespace surplus::orders
