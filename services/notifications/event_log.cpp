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

// History rows written by one INSERT. With 4 parameters a row, this stays far below the
// parameter limits of SQLite (32,766) and PostgreSQL (65,535).
constexpr std::size_t kRowsPerInsert = 100;

// Stores `event` unless its id is already stored, and returns whether it was new.
bool insert_event(db::Session& session, const events::Event& event, const std::string& envelope,
                  std::int64_t now) {
  auto inserted = session.execute(
      "INSERT INTO events (event_id, event_type, envelope, occurred_at, received_at) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
      {event.id, event.type, envelope, core::to_unix_micros(event.occurred_at), now});
  return !inserted.empty();
}

// Reserves `count` consecutive offsets in `channel` and returns the first. The row lock taken
// by the upsert orders concurrent writers of one channel, and a rollback takes the increment
// back, so offsets have no gaps.
std::int64_t reserve_offsets(db::Session& session, const std::string& channel,
                             const std::string& epoch, std::int64_t count) {
  auto last = session
                  .execute(
                      "INSERT INTO channels (name, epoch, last_offset) VALUES ($1, $2, $3) "
                      "ON CONFLICT (name) DO UPDATE SET last_offset = channels.last_offset + $3 "
                      "RETURNING last_offset",
                      {channel, epoch, count})
                  .one()
                  .get<std::int64_t>(0);
  return last - count + 1;
}

// Writes the history rows of `channel` for `events`, at offsets `first`, `first` + 1 and so on.
void insert_history(db::Session& session, const std::string& channel,
                    const std::vector<const events::Event*>& events, std::int64_t first,
                    std::int64_t now) {
  for (std::size_t begin = 0; begin < events.size(); begin += kRowsPerInsert) {
    auto end = std::min(events.size(), begin + kRowsPerInsert);
    std::string sql =
        "INSERT INTO channel_events (channel, channel_offset, event_id, stored_at) "
        "VALUES ";
    db::Params params;
    params.reserve((end - begin) * 4);
    for (auto i = begin; i < end; ++i) {
      auto base = params.size();
      if (i > begin) {
        sql += ", ";
      }
      sql += "($" + std::to_string(base + 1) + ", $" + std::to_string(base + 2) + ", $" +
             std::to_string(base + 3) + ", $" + std::to_string(base + 4) + ")";
      params.emplace_back(channel);
      params.emplace_back(first + static_cast<std::int64_t>(i));
      params.emplace_back(events[i]->id);
      params.emplace_back(now);
    }
    session.execute(sql, params);
  }
}

}  // namespace

EventLog::EventLog(db::Database& database, HistoryLimits limits)
    : database_(database), limits_(limits), database_epoch_(load_database_epoch(database)) {}

AppendResult EventLog::append(const std::vector<events::Event>& events,
                              const std::vector<std::string>& envelopes) {
  return database_.transaction([&](db::Session& session) {
    AppendResult result;
    auto now = core::to_unix_micros(core::now());

    // The new events of each channel in batch order. The channels are then written in name
    // order, so concurrent writers lock their rows in the same order.
    std::map<std::string, std::vector<std::size_t>> new_events;
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (!insert_event(session, events[i], envelopes[i], now)) {
        ++result.duplicates;
        continue;
      }
      ++result.stored;
      for (auto& channel : unique_channels(events[i].channels)) {
        new_events[std::move(channel)].push_back(i);
      }
    }

    for (const auto& [channel, indexes] : new_events) {
      append_to_channel(session, channel, indexes, events, envelopes, now, result);
    }
    return result;
  });
}

void EventLog::append_to_channel(db::Session& session, const std::string& channel,
                                 const std::vector<std::size_t>& indexes,
                                 const std::vector<events::Event>& events,
                                 const std::vector<std::string>& envelopes, std::int64_t now,
                                 AppendResult& result) {
  auto count = static_cast<std::int64_t>(indexes.size());
  auto first = reserve_offsets(session, channel, database_epoch_, count);
  std::vector<const events::Event*> channel_events;
  channel_events.reserve(indexes.size());
  for (auto index : indexes) {
    channel_events.push_back(&events[index]);
  }
  insert_history(session, channel, channel_events, first, now);
  for (std::size_t i = 0; i < indexes.size(); ++i) {
    result.entries.push_back(
        {channel, first + static_cast<std::int64_t>(i), envelopes[indexes[i]]});
  }

  // Trimming to the size limit here keeps each channel's history bounded between sweeps.
  auto last = first + count - 1;
  auto size = static_cast<std::int64_t>(limits_.size);
  if (last > size) {
    session.execute("DELETE FROM channel_events WHERE channel = $1 AND channel_offset <= $2",
                    {channel, last - size});
  }
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
