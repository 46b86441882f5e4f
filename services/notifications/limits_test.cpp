// Connection limits over real sockets: channels per connection, connections per server,
// the bounded send queue, the pong deadline and the idle timeout.
#include <thread>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace surplus::notifications::testing {
namespace {

using namespace std::chrono_literals;

class LimitsTest : public NotificationsTest {
 protected:
  std::map<std::string, std::string> server_env() const override {
    return {{"WS_MAX_CHANNELS", "2"}, {"WS_MAX_CONNECTIONS", "3"}};
  }
};

TEST_P(LimitsTest, ChannelsPerConnection) {
  auto client = connect();
  subscribe(*client, "offers");
  subscribe(*client, "restaurant:r1:offers");
  client->send_json({{"type", "subscribe"}, {"channel", "restaurant:r2:offers"}});
  auto error = client->receive();
  EXPECT_EQ(error["code"], "TOO_MANY_CHANNELS");
  EXPECT_EQ(error["channel"], "restaurant:r2:offers");

  client->send_json({{"type", "unsubscribe"}, {"channel", "offers"}});
  EXPECT_EQ(client->receive()["type"], "unsubscribed");
  subscribe(*client, "restaurant:r2:offers");
}

TEST_P(LimitsTest, ConnectionsBeyondMaximumGet503) {
  auto first = connect();
  auto second = connect();
  auto third = connect();
  EXPECT_EQ(WsClient::upgrade_status(server().port(), "/ws"), 503);

  first->close();
  // The slot is released once the server has finished the closed connection; bounded wait.
  int status = 0;
  for (int attempt = 0; attempt < 100 && status != 101; ++attempt) {
    std::this_thread::sleep_for(50ms);
    status = WsClient::upgrade_status(server().port(), "/ws");
  }
  EXPECT_EQ(status, 101);
}

SURPLUS_DB_INSTANTIATE_ALL(LimitsTest);

class SlowReaderTest : public NotificationsTest {
 protected:
  std::map<std::string, std::string> server_env() const override {
    return {{"WS_MAX_QUEUE_MESSAGES", "256"},
            {"WS_MAX_QUEUE_BYTES", "1MiB"},
            {"HISTORY_SIZE", "10"},
            {"WS_CLOSE_TIMEOUT", "60s"}};
  }
};

// A client that stops reading is closed with 4000 once its send queue overflows. A client
// reading the same channel receives every event, and every batch is ingested while the slow
// client reads nothing.
TEST_P(SlowReaderTest, SlowReaderClosedFastReaderGetsAll) {
  // 8 MB in batches of 200 KB: well beyond the slow client's send queue and socket
  // buffers, while one batch fits in the fast client's queue with room to spare.
  constexpr int kBatches = 40;
  constexpr int kPerBatch = 50;
  constexpr int kTotal = kBatches * kPerBatch;
  auto closed_before = server().app().metrics.slow_readers_closed.value();
  WsClientOptions small_buffer;
  small_buffer.receive_buffer_bytes = 4096;
  auto slow = connect(std::nullopt, small_buffer);
  subscribe(*slow, "offers");
  auto fast = connect();
  subscribe(*fast, "offers");

  std::vector<std::int64_t> received;
  std::thread reader([&] {
    for (int i = 0; i < kTotal; ++i) {
      received.push_back(fast->receive()["offset"].get<std::int64_t>());
    }
  });
  std::string padding(4000, 'x');
  for (int batch = 0; batch < kBatches; ++batch) {
    std::vector<events::Event> events;
    for (int i = 0; i < kPerBatch; ++i) {
      events.push_back(events::make_event("test.event", {"offers"}, {{"padding", padding}}));
    }
    ingest(events);
  }
  reader.join();

  ASSERT_EQ(received.size(), static_cast<std::size_t>(kTotal));
  for (int i = 0; i < kTotal; ++i) {
    ASSERT_EQ(received[static_cast<std::size_t>(i)], i + 1);
  }
  EXPECT_EQ(slow->wait_for_close(30s), 4000);
  // The server counts the close once the connection has finished; bounded wait.
  for (int attempt = 0;
       attempt < 100 && server().app().metrics.slow_readers_closed.value() == closed_before;
       ++attempt) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(server().app().metrics.slow_readers_closed.value(), closed_before + 1);
}

SURPLUS_DB_INSTANTIATE_ALL(SlowReaderTest);

class IdleTimeoutTest : public NotificationsTest {
 protected:
  std::map<std::string, std::string> server_env() const override {
    return {{"WS_IDLE_TIMEOUT", "1s"}};
  }
};

TEST_P(IdleTimeoutTest, ClientThatSendsNothingIsClosedWith4001) {
  auto client = connect();
  EXPECT_EQ(client->wait_for_close(30s), 4001);
}

SURPLUS_DB_INSTANTIATE_ALL(IdleTimeoutTest);

class KeepAliveTest : public NotificationsTest {
 protected:
  std::map<std::string, std::string> server_env() const override {
    return {{"WS_PING_INTERVAL", "100ms"}, {"WS_PONG_TIMEOUT", "200ms"}};
  }
};

TEST_P(KeepAliveTest, ReadingClientStaysConnected) {
  auto client = connect();
  subscribe(*client, "offers");
  // Each receive() waits about 250 ms for the next event and replies to the server's pings
  // meanwhile. Over five rounds the connection lives far longer than the 300 ms after which
  // a client without pongs is dropped.
  for (int offset = 1; offset <= 5; ++offset) {
    std::thread producer([&] {
      std::this_thread::sleep_for(250ms);
      ingest(numbered_events({"offers"}, 1, offset));
    });
    auto message = client->receive();
    producer.join();
    EXPECT_EQ(message["offset"], offset);
  }
}

TEST_P(KeepAliveTest, ClientThatMissesPongIsDropped) {
  auto client = connect();
  // A client that does not read sends no pongs. The server drops the connection after
  // about 300 ms (ping interval plus pong deadline), ten times less than this wait, and
  // without a close frame.
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(client->wait_for_close(30s), std::nullopt);
}

SURPLUS_DB_INSTANTIATE_ALL(KeepAliveTest);

}  // namespace
}  // namespace surplus::notifications::testing
