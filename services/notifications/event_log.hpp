#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>
#include <surplus/events/event.hpp>

namespace surplus::notifications {

// A position in a channel: the offset of its latest event (0 before the first) within an
// epoch. Offsets from different epochs are not comparable.
struct ChannelPosition {
  std::string epoch;
  std::int64_t offset = 0;

  friend bool operator==(const ChannelPosition&, const ChannelPosition&) = default;
};

// One event as it appears in one channel: the envelope JSON text exactly as received.
struct ChannelEntry {
  std::string channel;
  std::int64_t offset = 0;
  std::string envelope;
};

struct AppendResult {
  std::size_t stored = 0;      // events new to the log
  std::size_t duplicates = 0;  // events whose id was already stored, skipped
  // The new entries, grouped by channel and in offset order within each channel.
  std::vector<ChannelEntry> entries;
};

// The entries and position that a subscriber with an optional `since` position receives.
struct Recovery {
  ChannelPosition position;  // the channel's position in the snapshot that was read
  // True when `since` was given and every entry after it up to `position` is in
  // `entries`; false otherwise, and then `entries` is empty.
  bool recovered = false;
  std::vector<ChannelEntry> entries;
};

struct HistoryLimits {
  std::size_t size = 500;
  std::chrono::milliseconds age{std::chrono::hours(24)};
  std::chrono::milliseconds dedup_window{std::chrono::hours(24 * 7)};
};

struct PruneResult {
  std::int64_t history_entries = 0;
  std::int64_t events = 0;
};

// The durable event log: each event once, keyed by its id, and per channel a gap-free
// sequence of offsets 1, 2, 3, ... with a bounded history. Thread-safe, but callers of
// append() must serialise those calls themselves when they need commit order to match
// the order in which they publish the results (see Ingestor).
class EventLog {
 public:
  // Reads or creates the database's epoch. Throws db::DatabaseError.
  EventLog(db::Database& database, HistoryLimits limits);

  // Stores the events that are new, in one transaction, and assigns each of them the next
  // offset in every one of its channels. A channel listed twice in one event gets one
  // entry. Returns after the commit.
  AppendResult append(const std::vector<events::Event>& events,
                      const std::vector<std::string>& envelopes);

  // Returns the current position of `channel`. A channel without events is at offset 0 of
  // the database epoch, which is also the epoch that its first event gives it.
  ChannelPosition position(const std::string& channel);

  // Reads, in one snapshot, the channel's position and, when `since` is given and still
  // covered by the history, every entry after it.
  Recovery read_since(const std::string& channel, const std::optional<ChannelPosition>& since);

  // Deletes history entries older than the history age and events older than the
  // deduplication window that no history entry refers to.
  PruneResult prune(core::Timestamp now);

  const std::string& database_epoch() const { return database_epoch_; }
  const HistoryLimits& limits() const { return limits_; }

 private:
  // Assigns the next offsets of `channel` to the new events at `indexes`, in that order,
  // writes their history rows and trims the history to its size limit.
  void append_to_channel(db::Session& session, const std::string& channel,
                         const std::vector<std::size_t>& indexes,
                         const std::vector<events::Event>& events,
                         const std::vector<std::string>& envelopes, std::int64_t now,
                         AppendResult& result);

  db::Database& database_;
  HistoryLimits limits_;
  std::string database_epoch_;
};

}  // namespace surplus::notifications
