// Recovery with `since` over real sockets: missed events arrive in order, without a gap
// or a duplicate, also while new events keep arriving and across a restart.
#include <algorithm>
#include <iostream>
#include <thread>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace surplus::notifications::testing {
namespace {

class RecoveryTest : public NotificationsTest {
 protected:
  std::map<std::string, std::string> server_env() const override {
    return {{"HISTORY_SIZE", "1000"}, {"WS_MAX_QUEUE_MESSAGES", "4096"}};
  }

  nlohmann::json since(const nlohmann::json& subscribed) {
    return {{"epoch", subscribed["epoch"]}, {"offset", subscribed["offset"]}};
  }
};

TEST_P(RecoveryTest, ReconnectAfterMissing100Events) {
  auto first = connect();
  auto position = subscribe(*first, "offers");
  ingest(numbered_events({"offers"}, 5));
  for (int i = 0; i < 5; ++i) {
    first->receive();
  }
  first->close();

  ingest(numbered_events({"offers"}, 100, 5));

  auto second = connect();
  auto reply =
      subscribe(*second, "offers", nlohmann::json{{"epoch", position["epoch"]}, {"offset", 5}});
  EXPECT_EQ(reply["recovered"], true);
  EXPECT_EQ(reply["offset"], 105);
  for (int offset = 6; offset <= 105; ++offset) {
    auto message = second->receive();
    ASSERT_EQ(message["offset"], offset);
    ASSERT_EQ(message["event"]["data"]["n"], offset - 1);
  }
  ingest(numbered_events({"offers"}, 1, 105));
  EXPECT_EQ(second->receive()["offset"], 106);
}

TEST_P(RecoveryTest, PositionOutOfHistoryIsNotRecovered) {
  ingest(numbered_events({"offers"}, 500));
  ingest(numbered_events({"offers"}, 500, 500));
  ingest(numbered_events({"offers"}, 10, 1000));
  auto client = connect();
  auto epoch = server().app().log.database_epoch();
  auto reply = subscribe(*client, "offers", nlohmann::json{{"epoch", epoch}, {"offset", 5}});
  EXPECT_EQ(reply["recovered"], false);
  EXPECT_EQ(reply["offset"], 1010);
  ingest(numbered_events({"offers"}, 1, 1010));
  // Nothing from the history was sent: the next message is the new event.
  EXPECT_EQ(client->receive()["offset"], 1011);
}

TEST_P(RecoveryTest, OtherEpochIsNotRecovered) {
  ingest(numbered_events({"offers"}, 3));
  auto client = connect();
  auto reply = subscribe(*client, "offers", nlohmann::json{{"epoch", "old-epoch"}, {"offset", 1}});
  EXPECT_EQ(reply["recovered"], false);
  EXPECT_EQ(reply["epoch"], server().app().log.database_epoch());
  EXPECT_EQ(reply["offset"], 3);
}

// The switch from history to live events. A producer keeps ingesting while clients
// subscribe with `since`, and each client must see every offset exactly once and in order.
TEST_P(RecoveryTest, NoGapNoDuplicateWhileEventsArrive) {
  constexpr int kInitial = 20;
  constexpr int kBatches = 100;
  constexpr int kFinal = kInitial + kBatches * 2;
  ingest(numbered_events({"offers"}, kInitial));
  auto epoch = server().app().log.database_epoch();

  std::thread producer([&] {
    for (int batch = 0; batch < kBatches; ++batch) {
      ingest(numbered_events({"offers"}, 2, kInitial + batch * 2));
    }
  });

  int switches_with_live_events = 0;
  for (int round = 0; round < 8; ++round) {
    auto client = connect();
    auto start = round * 2;
    auto reply = subscribe(*client, "offers", nlohmann::json{{"epoch", epoch}, {"offset", start}});
    ASSERT_EQ(reply["recovered"], true) << reply.dump();
    std::int64_t switch_offset = reply["offset"];
    if (switch_offset < kFinal) {
      ++switches_with_live_events;
    }
    // History up to the switch, then live events past it; every offset once, in order.
    auto last = std::min<std::int64_t>(switch_offset + 5, kFinal);
    for (std::int64_t expected = start + 1; expected <= last; ++expected) {
      auto message = client->receive();
      ASSERT_EQ(message["offset"], expected) << "round " << round;
      ASSERT_EQ(message["event"]["data"]["n"], expected - 1) << "round " << round;
    }
  }
  producer.join();
  // NOTE: whether a switch happens while the producer runs depends on scheduling. The
  // count is printed, so a run where it never did is visible.
  std::cout << "subscriptions that switched while events arrived: " << switches_with_live_events
            << " of 8\n";
}

TEST_P(RecoveryTest, RestartLosesNoAcknowledgedEvent) {
  auto epoch = server().app().log.database_epoch();
  ingest(numbered_events({"user:u1"}, 10));
  restart_server();
  ingest(numbered_events({"user:u1"}, 2, 10));

  auto client = connect(token(auth::Role::kCustomer, "u1"));
  auto reply = subscribe(*client, "user:u1", nlohmann::json{{"epoch", epoch}, {"offset", 0}});
  EXPECT_EQ(reply["recovered"], true);
  EXPECT_EQ(reply["epoch"], epoch);
  EXPECT_EQ(reply["offset"], 12);
  for (int offset = 1; offset <= 12; ++offset) {
    ASSERT_EQ(client->receive()["offset"], offset);
  }
}

SURPLUS_DB_INSTANTIATE_ALL(RecoveryTest);

}  // namespace
}  // namespace surplus::notifications::testing
