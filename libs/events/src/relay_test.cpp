#include <atomic>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include <surplus/db/testing.hpp>
#include <surplus/events/outbox.hpp>
#include <surplus/events/relay.hpp>
#include <surplus/http/server.hpp>

namespace surplus::events {
namespace {

using namespace std::chrono_literals;

// The same table as the services' migration 001_outbox.
void create_outbox(db::Database& database) {
  auto id_column = database.dialect() == db::Dialect::kSqlite
                       ? "seq INTEGER PRIMARY KEY AUTOINCREMENT"
                       : "seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
  database.transaction([&](db::Session& session) {
    session.execute_script(std::string("CREATE TABLE outbox (") + id_column +
                           ", event_id TEXT NOT NULL UNIQUE, event_type TEXT NOT NULL,"
                           " envelope TEXT NOT NULL, occurred_at BIGINT NOT NULL,"
                           " sent_at BIGINT)");
  });
}

// A real HTTP receiver standing in for the notifications service. It records the event
// ids of every accepted batch and responds with `status`.
class Receiver {
 public:
  Receiver() {
    http::Router router;
    router.post("/internal/events", [this](http::Request& request) {
      if (request.header("X-Service-Secret").value_or("") != "secret") {
        return http::Response::json({{"error", "bad secret"}}, 401);
      }
      int status = status_.load();
      if (status == 200) {
        auto body = request.json();
        std::lock_guard lock(mutex_);
        ++batches_;
        for (const auto& event : body["events"]) {
          ids_.push_back(event["id"].get<std::string>());
        }
      }
      return http::Response::json({{"accepted", status == 200}}, status);
    });
    server_ = std::make_unique<http::Server>(http::ServerOptions{}, std::move(router));
    server_->start();
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/internal/events";
  }
  void set_status(int status) { status_ = status; }
  std::vector<std::string> ids() const {
    std::lock_guard lock(mutex_);
    return ids_;
  }
  int batches() const {
    std::lock_guard lock(mutex_);
    return batches_;
  }

 private:
  std::atomic<int> status_{200};
  mutable std::mutex mutex_;
  std::vector<std::string> ids_;
  int batches_ = 0;
  std::unique_ptr<http::Server> server_;
};

class RelayTest : public db::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure())
      return;
    create_outbox(db());
  }

  std::vector<std::string> write_events(int count) {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) {
      auto event = make_event("offer.updated", {"offers"}, {{"index", i}});
      db().transaction([&](db::Session& session) { write_to_outbox(session, event); });
      ids.push_back(event.id);
    }
    return ids;
  }

  std::int64_t unsent_count() {
    return db()
        .execute("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
        .one()
        .get<std::int64_t>(0);
  }

  RelayOptions options_for(const Receiver& receiver) {
    RelayOptions options;
    options.url = receiver.url();
    options.service_secret = "secret";
    options.batch_size = 100;
    options.poll_interval = 50ms;
    options.min_backoff = 20ms;
    options.max_backoff = 100ms;
    return options;
  }
};

TEST_P(RelayTest, DeliversInOrderAndMarksSent) {
  Receiver receiver;
  auto ids = write_events(250);
  OutboxRelay relay(db(), options_for(receiver));

  EXPECT_EQ(relay.flush_once(), 250u);
  EXPECT_EQ(receiver.ids(), ids);
  EXPECT_EQ(receiver.batches(), 3);
  EXPECT_EQ(unsent_count(), 0);
  EXPECT_EQ(relay.flush_once(), 0u);
  EXPECT_EQ(receiver.batches(), 3);
}

TEST_P(RelayTest, FailedBatchStaysUnsent) {
  Receiver receiver;
  write_events(5);
  receiver.set_status(503);
  OutboxRelay relay(db(), options_for(receiver));

  try {
    relay.flush_once();
    FAIL() << "a 503 answer was treated as acknowledged";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kUnavailable);
  }
  EXPECT_EQ(unsent_count(), 5);
  EXPECT_TRUE(receiver.ids().empty());
}

TEST_P(RelayTest, WrongSecretIsNotAcknowledged) {
  Receiver receiver;
  write_events(2);
  auto options = options_for(receiver);
  options.service_secret = "guess";
  OutboxRelay relay(db(), options);
  EXPECT_THROW(relay.flush_once(), core::Error);
  EXPECT_EQ(unsent_count(), 2);
}

TEST_P(RelayTest, ReceiverDownThenUpLosesNothing) {
  std::vector<std::string> ids;
  RelayOptions options;
  {
    // Start a receiver only to learn a free port, then stop it so the port refuses.
    Receiver probe;
    options = options_for(probe);
  }
  ids = write_events(30);
  OutboxRelay relay(db(), options);
  relay.start();
  std::this_thread::sleep_for(300ms);
  EXPECT_GT(relay.stats().failed_attempts, 0u);
  EXPECT_EQ(unsent_count(), 30);
  relay.stop();

  Receiver receiver;
  options.url = receiver.url();
  OutboxRelay second(db(), options);
  second.start();
  for (int i = 0; i < 200 && unsent_count() > 0; ++i)
    std::this_thread::sleep_for(20ms);
  second.stop();
  EXPECT_EQ(unsent_count(), 0);
  EXPECT_EQ(receiver.ids(), ids);
}

TEST_P(RelayTest, BackgroundRelayRecoversFromErrors) {
  Receiver receiver;
  receiver.set_status(500);
  OutboxRelay relay(db(), options_for(receiver));
  relay.start();
  auto ids = write_events(40);
  relay.notify();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(unsent_count(), 40);

  receiver.set_status(200);
  for (int i = 0; i < 200 && unsent_count() > 0; ++i)
    std::this_thread::sleep_for(20ms);
  relay.stop();
  EXPECT_EQ(unsent_count(), 0);
  EXPECT_EQ(receiver.ids(), ids);
  EXPECT_GT(relay.stats().failed_attempts, 0u);
  EXPECT_EQ(relay.stats().events_sent, 40u);
}

TEST_P(RelayTest, RestartDoesNotResendAcknowledged) {
  Receiver receiver;
  auto first_ids = write_events(10);
  {
    OutboxRelay relay(db(), options_for(receiver));
    EXPECT_EQ(relay.flush_once(), 10u);
  }
  auto second_ids = write_events(5);
  OutboxRelay restarted(db(), options_for(receiver));
  EXPECT_EQ(restarted.flush_once(), 5u);

  auto expected = first_ids;
  expected.insert(expected.end(), second_ids.begin(), second_ids.end());
  EXPECT_EQ(receiver.ids(), expected);
}

SURPLUS_DB_INSTANTIATE_ALL(RelayTest);

}  // namespace
}  // namespace surplus::events
