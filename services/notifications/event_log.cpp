#include "event_log.hpp"

#include <algorithm>
#include <map>

#include <surplus/core/id.hpp>

namespace surplus::notifications {
namespace {

std::int64_t micros(std::chrono::milliseconds duration) {
  return std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
}

std::string load_database_epoch(db::Database& database) {
  return database.transaction([](db::Session& session) {
    session.execute("INSERT INTO log_epoch (id, epoch) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
                    {core::new_uuid_v7()});
    return session.execute("SELECT epoch FROM log_epoch WHERE id = 1").one().get<std::string>(0);
  });
}

std::vector<std::string> unique_channels(const std::vector<std::string>& channels) {
  std::vector<std::string> unique;
  for (const auto& channel : channels) {
    if (std::find(unique.begin(), unique.end(), channel) == unique.end()) {
      unique.push_back(channel);
    }
  }
  return unique;
}

// Appends `event` to each of its channels; returns false when its id was already stored.
bool append_event(db::Session& session, const events::Event& event, const std::string& envelope,
                  const std::string& epoch, std::int64_t now, AppendResult& result,
                  std::map<std::string, std::int64_t>& last_offsets) {
  auto inserted = session.execute(
      "INSERT INTO events (event_id, event_type, envelope, occurred_at, received_at) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
      {event.id, event.type, envelope, core::to_unix_micros(event.occurred_at), now});
  if (inserted.empty()) {
    return false;
  }
  for (auto& channel : unique_channels(event.channels)) {
    // The row lock taken by the upsert orders concurrent writers of one channel, and a
    // rollback takes the increment back, so offsets have no gaps.
    auto offset = session
                      .execute(
                          "INSERT INTO channels (name, epoch, last_offset) VALUES ($1, $2, 1) "
                          "ON CONFLICT (name) DO UPDATE SET last_offset = channels.last_offset + 1 "
                          "RETURNING last_offset",
                          {channel, epoch})
                      .one()
                      .get<std::int64_t>(0);
    session.execute(
        "INSERT INTO channel_events (channel, channel_offset, event_id, stored_at) "
        "VALUES ($1, $2, $3, $4)",
        {channel, offset, event.id, now});
    last_offsets[channel] = offset;
    result.entries.push_back({std::move(channel), offset, envelope});
  }
  return true;
}

}  // namespace

EventLog::EventLog(db::Database& database, HistoryLimits limits)
    : database_(database), limits_(limits), database_epoch_(load_database_epoch(database)) {}

AppendResult EventLog::append(const std::vector<events::Event>& events,
                              const std::vector<std::string>& envelopes) {
  auto size = static_cast<std::int64_t>(limits_.size);
  return database_.transaction([&](db::Session& session) {
    AppendResult result;
    std::map<std::string, std::int64_t> last_offsets;
    auto now = core::to_unix_micros(core::now());
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (append_event(session, events[i], envelopes[i], database_epoch_, now, result,
                       last_offsets)) {
        ++result.stored;
      } else {
        ++result.duplicates;
      }
    }
    // Trimming to the size limit here keeps each channel's history bounded between sweeps.
    for (const auto& [channel, last] : last_offsets) {
      if (last > size) {
        session.execute("DELETE FROM channel_events WHERE channel = $1 AND channel_offset <= $2",
                        {channel, last - size});
      }
    }
    return result;
  });
}

ChannelPosition EventLog::position(const std::string& channel) {
  auto row = database_.execute("SELECT epoch, last_offset FROM channels WHERE name = $1", {channel})
                 .maybe_one();
  if (!row) {
    return {database_epoch_, 0};
  }
  return {row->get<std::string>(0), row->get<std::int64_t>(1)};
}

Recovery EventLog::read_since(const std::string& channel,
                              const std::optional<ChannelPosition>& since) {
  db::TxOptions options;
  options.isolation = db::Isolation::kRepeatableRead;
  options.read_only = true;
  auto oldest_kept = core::to_unix_micros(core::now()) - micros(limits_.age);
  return database_.transaction(
      [&](db::Session& session) {
        Recovery recovery;
        auto row =
            session.execute("SELECT epoch, last_offset FROM channels WHERE name = $1", {channel})
                .maybe_one();
        recovery.position =
            row ? ChannelPosition{row->get<std::string>(0), row->get<std::int64_t>(1)}
                : ChannelPosition{database_epoch_, 0};
        if (!since || since->epoch != recovery.position.epoch || since->offset < 0 ||
            since->offset > recovery.position.offset) {
          return recovery;
        }
        auto missed = recovery.position.offset - since->offset;
        if (missed > static_cast<std::int64_t>(limits_.size)) {
          return recovery;
        }
        auto rows = session.execute(
            "SELECT ce.channel_offset, e.envelope FROM channel_events ce "
            "JOIN events e ON e.event_id = ce.event_id "
            "WHERE ce.channel = $1 AND ce.channel_offset > $2 AND ce.stored_at >= $3 "
            "ORDER BY ce.channel_offset",
            {channel, since->offset, oldest_kept});
        // Offsets are unique and at most position.offset, so as many rows as events missed
        // means none of them is missing.
        if (static_cast<std::int64_t>(rows.size()) != missed) {
          return recovery;
        }
        recovery.recovered = true;
        for (const auto& entry : rows) {
          recovery.entries.push_back(
              {channel, entry.get<std::int64_t>(0), entry.get<std::string>(1)});
        }
        return recovery;
      },
      options);
}

PruneResult EventLog::prune(core::Timestamp now) {
  auto now_micros = core::to_unix_micros(now);
  PruneResult result;
  result.history_entries = database_
                               .execute("DELETE FROM channel_events WHERE stored_at < $1",
                                        {now_micros - micros(limits_.age)})
                               .affected_rows();
  result.events = database_
                      .execute(
                          "DELETE FROM events WHERE received_at < $1 AND NOT EXISTS "
                          "(SELECT 1 FROM channel_events ce WHERE ce.event_id = events.event_id)",
                          {now_micros - micros(limits_.dedup_window)})
                      .affected_rows();
  return result;
}

}  // namespace surplus::notifications
