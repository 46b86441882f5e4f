#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <surplus/db/database.hpp>
#include <surplus/http/client.hpp>

namespace surplus::events {

struct RelayOptions {
  // Where batches go: POST <url> with {"events": [envelope, ...]}.
  std::string url = "http://127.0.0.1:4003/internal/events";
  std::string service_secret;  // sent as X-Service-Secret
  std::size_t batch_size = 100;
  // How often the outbox is read when notify() is not called.
  std::chrono::milliseconds poll_interval{500};
  // Delay after a failed delivery, doubling up to max_backoff.
  std::chrono::milliseconds min_backoff{200};
  std::chrono::milliseconds max_backoff{10000};
  std::chrono::milliseconds request_timeout{5000};
};

struct RelayStats {
  std::uint64_t events_sent = 0;
  std::uint64_t batches_sent = 0;
  std::uint64_t failed_attempts = 0;
};

// Delivers a service's outbox to the notifications service. One thread reads the oldest
// unsent rows, posts them as one batch and marks them sent only after a 2xx response, so an
// event is delivered at least once and in outbox order; the receiver deduplicates by
// event id. While the receiver is down or failing, the same batch is retried with
// exponential backoff. Nothing is lost across restarts, because unsent rows stay in the
// database until acknowledged.
class OutboxRelay {
 public:
  OutboxRelay(db::Database& database, RelayOptions options);
  // Stops the thread if it runs.
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  void start();
  // Finishes the attempt in progress, then joins the thread. Unsent rows stay unsent.
  void stop();
  // Wakes the relay now, e.g. right after a transaction that wrote events commits.
  void notify();

  // Sends every unsent row once, in batches, on the calling thread; returns the number of
  // events acknowledged. Throws core::Error when a batch is not acknowledged. For tests
  // and for `surplus` maintenance commands; do not mix with a started relay.
  std::size_t flush_once();

  RelayStats stats() const;

 private:
  void run();
  std::size_t send_next_batch();

  db::Database& database_;
  RelayOptions options_;
  http::Client client_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool notified_ = false;
  RelayStats stats_;
  std::thread thread_;
};

}  // namespace surplus::events
