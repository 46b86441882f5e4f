#include "event_log.hpp"

#include <gtest/gtest.h>

#include <surplus/db/migrate.hpp>
#include <surplus/db/testing.hpp>

#include "migrations.hpp"

namespace surplus::notifications {
namespace {

using namespace std::chrono_literals;

class EventLogTest : public db::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    db::migrate(db(), migrations());
  }

  EventLog make_log(std::size_t size = 10, std::chrono::milliseconds age = 24h) {
    return EventLog(db(), HistoryLimits{size, age, 48h});
  }

  static events::Event event(std::vector<std::string> channels, int n) {
    return events::make_event("test.event", std::move(channels), {{"n", n}});
  }

  static AppendResult append(EventLog& log, const std::vector<events::Event>& batch) {
    std::vector<std::string> envelopes;
    for (const auto& item : batch) {
      envelopes.push_back(events::to_envelope(item).dump());
    }
    return log.append(batch, envelopes);
  }

  std::int64_t count(const std::string& table) {
    return db().execute("SELECT COUNT(*) FROM " + table).one().get<std::int64_t>(0);
  }
};

TEST_P(EventLogTest, OffsetsArePerChannelAndGapFree) {
  auto log = make_log();
  auto result = append(log, {event({"a", "b"}, 1), event({"a"}, 2), event({"b", "c"}, 3)});

  EXPECT_EQ(result.stored, 3u);
  ASSERT_EQ(result.entries.size(), 5u);
  std::vector<std::pair<std::string, std::int64_t>> entries;
  for (const auto& entry : result.entries) {
    entries.emplace_back(entry.channel, entry.offset);
  }
  // Grouped by channel, in offset order within each.
  std::vector<std::pair<std::string, std::int64_t>> expected{
      {"a", 1}, {"a", 2}, {"b", 1}, {"b", 2}, {"c", 1}};
  EXPECT_EQ(entries, expected);
  EXPECT_EQ(log.position("a").offset, 2);
  EXPECT_EQ(log.position("c").offset, 1);
  EXPECT_EQ(log.position("a").epoch, log.database_epoch());
}

TEST_P(EventLogTest, ReplayedEventIsStoredOnce) {
  auto log = make_log();
  auto first = event({"a"}, 1);
  auto second = event({"a"}, 2);
  append(log, {first});

  auto result = append(log, {first, second, second});

  EXPECT_EQ(result.stored, 1u);
  EXPECT_EQ(result.duplicates, 2u);
  ASSERT_EQ(result.entries.size(), 1u);
  EXPECT_EQ(result.entries[0].offset, 2);
  EXPECT_EQ(count("events"), 2);
  EXPECT_EQ(count("channel_events"), 2);
}

TEST_P(EventLogTest, ChannelListedTwiceGetsOneEntry) {
  auto log = make_log();
  auto result = append(log, {event({"a", "a"}, 1)});
  EXPECT_EQ(result.entries.size(), 1u);
  EXPECT_EQ(log.position("a").offset, 1);
}

TEST_P(EventLogTest, LargeBatchKeepsEveryOffset) {
  // More events of one channel than one history INSERT writes, and a history that keeps
  // them all.
  auto log = make_log(1000);
  std::vector<events::Event> batch;
  for (int i = 1; i <= 250; ++i) {
    batch.push_back(event({"a"}, i));
  }
  batch.push_back(event({"b"}, 251));

  auto result = append(log, batch);

  EXPECT_EQ(result.stored, 251u);
  ASSERT_EQ(result.entries.size(), 251u);
  for (std::size_t i = 0; i < 250; ++i) {
    ASSERT_EQ(result.entries[i].channel, "a") << "entry " << i;
    ASSERT_EQ(result.entries[i].offset, static_cast<std::int64_t>(i) + 1) << "entry " << i;
    ASSERT_EQ(nlohmann::json::parse(result.entries[i].envelope)["data"]["n"], i + 1);
  }
  EXPECT_EQ(result.entries[250].channel, "b");
  EXPECT_EQ(result.entries[250].offset, 1);
  EXPECT_EQ(count("channel_events"), 251);
  EXPECT_EQ(log.position("a").offset, 250);

  auto recovery = log.read_since("a", ChannelPosition{log.database_epoch(), 240});
  ASSERT_TRUE(recovery.recovered);
  ASSERT_EQ(recovery.entries.size(), 10u);
  EXPECT_EQ(recovery.entries.front().offset, 241);
  EXPECT_EQ(nlohmann::json::parse(recovery.entries.back().envelope)["data"]["n"], 250);
}

TEST_P(EventLogTest, EpochSurvivesReopening) {
  auto first = make_log();
  auto second = make_log();
  EXPECT_FALSE(first.database_epoch().empty());
  EXPECT_EQ(first.database_epoch(), second.database_epoch());
}

TEST_P(EventLogTest, UnknownChannelIsAtOffsetZero) {
  auto log = make_log();
  auto position = log.position("never-used");
  EXPECT_EQ(position.offset, 0);
  EXPECT_EQ(position.epoch, log.database_epoch());
}

TEST_P(EventLogTest, RecoveryReturnsEveryLaterEntry) {
  auto log = make_log();
  for (int i = 1; i <= 5; ++i) {
    append(log, {event({"a"}, i)});
  }

  auto recovery = log.read_since("a", ChannelPosition{log.database_epoch(), 2});

  EXPECT_TRUE(recovery.recovered);
  EXPECT_EQ(recovery.position.offset, 5);
  ASSERT_EQ(recovery.entries.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(recovery.entries[i].offset, static_cast<std::int64_t>(i) + 3);
    EXPECT_EQ(nlohmann::json::parse(recovery.entries[i].envelope)["data"]["n"], i + 3);
  }
}

TEST_P(EventLogTest, RecoveryAtCurrentPositionIsEmpty) {
  auto log = make_log();
  append(log, {event({"a"}, 1)});
  auto recovery = log.read_since("a", ChannelPosition{log.database_epoch(), 1});
  EXPECT_TRUE(recovery.recovered);
  EXPECT_TRUE(recovery.entries.empty());
}

TEST_P(EventLogTest, RecoveryFailsOutsideHistory) {
  auto log = make_log(3);
  for (int i = 1; i <= 6; ++i) {
    append(log, {event({"a"}, i)});
  }
  EXPECT_EQ(count("channel_events"), 3);

  auto too_old = log.read_since("a", ChannelPosition{log.database_epoch(), 2});
  EXPECT_FALSE(too_old.recovered);
  EXPECT_TRUE(too_old.entries.empty());
  EXPECT_EQ(too_old.position.offset, 6);

  auto oldest_possible = log.read_since("a", ChannelPosition{log.database_epoch(), 3});
  EXPECT_TRUE(oldest_possible.recovered);
  EXPECT_EQ(oldest_possible.entries.size(), 3u);
}

TEST_P(EventLogTest, RecoveryFailsForOtherEpochOrFutureOffset) {
  auto log = make_log();
  append(log, {event({"a"}, 1), event({"a"}, 2)});

  auto other_epoch = log.read_since("a", ChannelPosition{"another-epoch", 1});
  EXPECT_FALSE(other_epoch.recovered);
  EXPECT_EQ(other_epoch.position, (ChannelPosition{log.database_epoch(), 2}));

  auto future = log.read_since("a", ChannelPosition{log.database_epoch(), 7});
  EXPECT_FALSE(future.recovered);
  EXPECT_EQ(future.position.offset, 2);
}

TEST_P(EventLogTest, WithoutSinceOnlyPositionIsRead) {
  auto log = make_log();
  append(log, {event({"a"}, 1)});
  auto recovery = log.read_since("a", std::nullopt);
  EXPECT_FALSE(recovery.recovered);
  EXPECT_TRUE(recovery.entries.empty());
  EXPECT_EQ(recovery.position.offset, 1);
}

TEST_P(EventLogTest, AgedHistoryIsNotServedAndIsPruned) {
  auto log = make_log(10, 1h);
  append(log, {event({"a"}, 1), event({"a"}, 2)});
  // Make the first entry older than the history age.
  auto old = core::to_unix_micros(core::now() - 2h);
  db().execute("UPDATE channel_events SET stored_at = $1 WHERE channel_offset = 1", {old});
  db().execute("UPDATE events SET received_at = $1", {old});

  EXPECT_FALSE(log.read_since("a", ChannelPosition{log.database_epoch(), 0}).recovered);
  EXPECT_TRUE(log.read_since("a", ChannelPosition{log.database_epoch(), 1}).recovered);

  auto pruned = log.prune(core::now());
  EXPECT_EQ(pruned.history_entries, 1);
  EXPECT_EQ(pruned.events, 0);  // within the deduplication window of 48 h
  EXPECT_EQ(count("channel_events"), 1);

  auto later = log.prune(core::now() + 49h);
  EXPECT_EQ(later.history_entries, 1);
  EXPECT_EQ(later.events, 2);
  EXPECT_EQ(log.position("a").offset, 2);  // the channel keeps its position
}

SURPLUS_DB_INSTANTIATE_ALL(EventLogTest);

}  // namespace
}  // namespace surplus::notifications
