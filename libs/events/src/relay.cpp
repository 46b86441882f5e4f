#include <algorithm>

#include <spdlog/spdlog.h>

#include <surplus/core/error.hpp>
#include <surplus/core/time.hpp>
#include <surplus/events/relay.hpp>

namespace surplus::events {
namespace {

struct Batch {
  std::vector<std::int64_t> seqs;
  nlohmann::json events = nlohmann::json::array();
};

Batch read_unsent(db::Database& database, std::size_t limit) {
  auto rows = database.execute(
      "SELECT seq, envelope FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT $1",
      {static_cast<std::int64_t>(limit)});
  Batch batch;
  for (const auto& row : rows) {
    batch.seqs.push_back(row.get<std::int64_t>(0));
    batch.events.push_back(nlohmann::json::parse(row.get<std::string>(1)));
  }
  return batch;
}

void mark_sent(db::Database& database, const std::vector<std::int64_t>& seqs) {
  auto sent_at = core::to_unix_micros(core::now());
  database.transaction([&](db::Session& session) {
    // Rows are consecutive in seq order, but a range update would also mark a row that
    // another transaction inserted with a lower seq and committed after we read.
    for (auto seq : seqs) {
      session.execute("UPDATE outbox SET sent_at = $1 WHERE seq = $2", {sent_at, seq});
    }
  });
}

}  // namespace

OutboxRelay::OutboxRelay(db::Database& database, RelayOptions options)
    : database_(database),
      options_(std::move(options)),
      client_(http::ClientOptions{.request_timeout = options_.request_timeout, .max_attempts = 1}) {
}

OutboxRelay::~OutboxRelay() {
  stop();
}

void OutboxRelay::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable())
    return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  spdlog::info("outbox relay started, sending to {}", options_.url);
}

void OutboxRelay::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable())
      return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  spdlog::info("outbox relay stopped");
}

void OutboxRelay::notify() {
  {
    std::lock_guard lock(mutex_);
    notified_ = true;
  }
  wake_.notify_all();
}

RelayStats OutboxRelay::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::size_t OutboxRelay::send_next_batch() {
  auto batch = read_unsent(database_, options_.batch_size);
  if (batch.seqs.empty())
    return 0;

  auto request = http::ClientRequest::json("POST", options_.url, {{"events", batch.events}});
  request.headers.set("X-Service-Secret", options_.service_secret);
  auto response = client_.send(std::move(request));
  if (!response.ok()) {
    throw http::error_from_response(response, options_.url);
  }

  mark_sent(database_, batch.seqs);
  std::lock_guard lock(mutex_);
  stats_.events_sent += batch.seqs.size();
  stats_.batches_sent += 1;
  return batch.seqs.size();
}

std::size_t OutboxRelay::flush_once() {
  std::size_t total = 0;
  while (auto sent = send_next_batch()) {
    total += sent;
  }
  return total;
}

void OutboxRelay::run() {
  auto backoff = options_.min_backoff;
  std::uint64_t failures_in_a_row = 0;
  while (true) {
    std::chrono::milliseconds wait = options_.poll_interval;
    try {
      auto sent = send_next_batch();
      if (failures_in_a_row > 0) {
        spdlog::info("outbox relay delivers again after {} failed attempts", failures_in_a_row);
      }
      failures_in_a_row = 0;
      backoff = options_.min_backoff;
      if (sent == options_.batch_size)
        wait = std::chrono::milliseconds(0);
    } catch (const std::exception& error) {
      ++failures_in_a_row;
      {
        std::lock_guard lock(mutex_);
        stats_.failed_attempts += 1;
      }
      // The first failure and then every 20th, so a long outage does not flood the log.
      if (failures_in_a_row % 20 == 1) {
        auto* core_error = dynamic_cast<const core::Error*>(&error);
        spdlog::warn("outbox relay: delivery to {} failed ({} in a row): {} {}", options_.url,
                     failures_in_a_row, error.what(), core_error ? core_error->detail() : "");
      }
      wait = backoff;
      backoff = std::min(backoff * 2, options_.max_backoff);
    }

    std::unique_lock lock(mutex_);
    // A failure waits out its backoff even when notified, so bursts of commits do not
    // turn into bursts of requests to a receiver that is down.
    bool failing = failures_in_a_row > 0;
    wake_.wait_for(lock, wait, [&] { return stopping_ || (!failing && notified_); });
    notified_ = false;
    if (stopping_)
      return;
  }
}

}  // namespace surplus::events
