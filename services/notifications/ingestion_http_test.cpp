// POST /internal/events against the real server, and the outbox relay of libs/events
// delivering to it.
#include <gtest/gtest.h>

#include <surplus/db/testing.hpp>
#include <surplus/events/outbox.hpp>
#include <surplus/events/relay.hpp>

#include "test_support.hpp"

namespace surplus::notifications::testing {
namespace {

class IngestionTest : public NotificationsTest {
 protected:
  std::map<std::string, std::string> server_env() const override {
    return {{"INGEST_MAX_BATCH", "5"}};
  }

  std::int64_t count(const std::string& sql) {
    return db().execute(sql).one().get<std::int64_t>(0);
  }

  static std::string problem_code(const http::Response& response) {
    return nlohmann::json::parse(response.body, nullptr, false).value("code", "");
  }
  static std::string first_field(const http::Response& response) {
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    return body.contains("errors") ? body["errors"][0].value("field", "") : "";
  }
};

TEST_P(IngestionTest, StoresBatchAndCountsDuplicates) {
  auto batch = numbered_events({"offers"}, 3);

  auto first = ingest(batch);
  EXPECT_EQ(first["stored"], 3);
  EXPECT_EQ(first["duplicates"], 0);

  auto replay = ingest(batch);
  EXPECT_EQ(replay["stored"], 0);
  EXPECT_EQ(replay["duplicates"], 3);

  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM channel_events"), 3);
  EXPECT_EQ(count("SELECT last_offset FROM channels WHERE name = 'offers'"), 3);
}

TEST_P(IngestionTest, ReplayedBatchDeliversNothingTwice) {
  auto client = connect();
  subscribe(*client, "offers");
  auto batch = numbered_events({"offers"}, 2);
  ingest(batch);
  ingest(batch);
  ingest(numbered_events({"offers"}, 1, 2));

  for (int expected = 1; expected <= 3; ++expected) {
    auto message = client->receive();
    EXPECT_EQ(message["type"], "event");
    EXPECT_EQ(message["offset"], expected);
    EXPECT_EQ(message["event"]["data"]["n"], expected - 1);
  }
}

TEST_P(IngestionTest, RequiresServiceSecret) {
  auto body = nlohmann::json{{"events", nlohmann::json::array()}};
  auto missing = post_events(body, std::nullopt);
  EXPECT_EQ(missing.status, 401);
  auto wrong = post_events(body, std::string("not-the-secret-at-all"));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(post_events(body).status, 200);
}

TEST_P(IngestionTest, RejectsInvalidEnvelopeWithItsField) {
  auto valid = events::to_envelope(numbered_events({"offers"}, 1)[0]);
  auto invalid = events::to_envelope(numbered_events({"offers"}, 1)[0]);
  invalid["occurredAt"] = "yesterday";

  auto response = post_events({{"events", {valid, invalid}}});

  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(problem_code(response), "VALIDATION_FAILED");
  EXPECT_EQ(first_field(response), "events[1].occurredAt");
  // The batch is stored entirely or not at all.
  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), 0);
}

TEST_P(IngestionTest, RejectsMalformedBodies) {
  EXPECT_EQ(post_events(nlohmann::json::array()).status, 400);
  EXPECT_EQ(post_events({{"events", "none"}}).status, 400);
  auto no_channels = events::to_envelope(numbered_events({"offers"}, 1)[0]);
  no_channels["channels"] = nlohmann::json::array();
  auto response = post_events({{"events", {no_channels}}});
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(first_field(response), "events[0].channels");
}

TEST_P(IngestionTest, RejectsOverlongChannelName) {
  auto event = numbered_events({std::string(201, 'x')}, 1)[0];
  auto response = post_events({{"events", {events::to_envelope(event)}}});
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(first_field(response), "events[0].channels");
}

TEST_P(IngestionTest, RejectsBatchAboveLimitWith413) {
  nlohmann::json envelopes = nlohmann::json::array();
  for (const auto& event : numbered_events({"offers"}, 6)) {
    envelopes.push_back(events::to_envelope(event));
  }
  auto response = post_events({{"events", envelopes}});
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(problem_code(response), "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), 0);
}

TEST_P(IngestionTest, ConcurrentBatchesGetGapFreeOffsets) {
  constexpr int kThreads = 4;
  constexpr int kBatches = 5;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int b = 0; b < kBatches; ++b) {
        ingest(numbered_events({"shared", "own:" + std::to_string(t)}, 5, (t * kBatches + b) * 5));
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  auto total = kThreads * kBatches * 5;
  EXPECT_EQ(count("SELECT COUNT(*) FROM channel_events WHERE channel = 'shared'"), total);
  EXPECT_EQ(count("SELECT MIN(channel_offset) FROM channel_events WHERE channel = 'shared'"), 1);
  EXPECT_EQ(count("SELECT MAX(channel_offset) FROM channel_events WHERE channel = 'shared'"),
            total);
}

// The outbox relay of libs/events reads a producer's outbox in another database and
// delivers it to the real service. A second flush, after the rows were marked unsent again
// as after a crash before the acknowledgement was recorded, stores nothing twice.
TEST_P(IngestionTest, OutboxRelayDeliversToService) {
  db::testing::TestDatabase producer(GetParam());
  // The outbox table as the producing services' migration 001_outbox creates it.
  bool sqlite = producer.database().dialect() == db::Dialect::kSqlite;
  producer.database().execute(
      std::string("CREATE TABLE outbox (seq ") +
      (sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT"
              : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY") +
      ", event_id TEXT NOT NULL UNIQUE, event_type TEXT NOT NULL, envelope TEXT NOT NULL, "
      "occurred_at BIGINT NOT NULL, sent_at BIGINT)");
  auto client = connect();
  subscribe(*client, "restaurant:r1:offers");

  auto batch = numbered_events({"restaurant:r1:offers"}, 3);
  producer.database().transaction([&](db::Session& session) {
    for (const auto& event : batch) {
      events::write_to_outbox(session, event);
    }
  });
  events::RelayOptions options;
  options.url = server().url() + "/internal/events";
  options.service_secret = std::string(kTestServiceSecret);
  options.batch_size = 2;
  events::OutboxRelay relay(producer.database(), options);

  EXPECT_EQ(relay.flush_once(), 3u);
  producer.database().execute("UPDATE outbox SET sent_at = NULL");
  EXPECT_EQ(relay.flush_once(), 3u);

  for (int expected = 1; expected <= 3; ++expected) {
    auto message = client->receive();
    EXPECT_EQ(message["offset"], expected);
    EXPECT_EQ(message["event"]["id"], batch[static_cast<std::size_t>(expected - 1)].id);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM events"), 3);
}

SURPLUS_DB_INSTANTIATE_ALL(IngestionTest);

}  // namespace
}  // namespace surplus::notifications::testing
