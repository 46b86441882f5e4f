#pragma once

// Test support: the real notifications routes on an http::Server bound to a free loopback
// port, over a fresh SQLite or PostgreSQL database, with tokens signed by a test key.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/auth/jwt.hpp>
#include <surplus/db/testing.hpp>
#include <surplus/events/event.hpp>
#include <surplus/http/client.hpp>
#include <surplus/http/server.hpp>

#include "notifications_app.hpp"
#include "ws_test_client.hpp"

namespace surplus::notifications::testing {

inline constexpr std::string_view kTestServiceSecret = "notifications-test-secret";

// One running notifications server. `env` sets the service's variables (HISTORY_SIZE,
// WS_MAX_CHANNELS, ...) as the environment would; SERVICE_SECRET defaults to
// kTestServiceSecret and ORDERS_URL to "off".
class NotificationsServer {
 public:
  NotificationsServer(db::Database& database, const auth::PublicKey& token_key,
                      std::map<std::string, std::string> env = {});
  ~NotificationsServer();

  // Stops like SIGTERM does: WebSockets get close 1001.
  void stop();
  std::uint16_t port() const { return server_->port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  NotificationsApp& app() { return *app_; }

 private:
  std::shared_ptr<NotificationsApp> app_;
  std::unique_ptr<http::Server> server_;
};

// A fixture with a server per test on the backend parameter.
class NotificationsTest : public db::testing::DatabaseTest {
 protected:
  void SetUp() override;
  void TearDown() override;
  virtual std::map<std::string, std::string> server_env() const { return {}; }

  NotificationsServer& server() { return *server_; }
  // Replaces the server with a new one on the same database, as a restart does.
  void restart_server();

  std::string token(auth::Role role, const std::string& user_id,
                    std::vector<std::string> restaurants = {}) const;

  // POST /internal/events with the test secret (or `secret` when given).
  http::Response post_events(const nlohmann::json& body,
                             std::optional<std::string> secret = std::string(kTestServiceSecret));
  // Posts the events as one batch; fails the test unless 200.
  nlohmann::json ingest(const std::vector<events::Event>& batch);
  // `count` events of type "test.event" on `channels` with data {"n": first + i}.
  static std::vector<events::Event> numbered_events(const std::vector<std::string>& channels,
                                                    int count, int first = 0);

  // A connected client; `token` goes into the Authorization header.
  std::unique_ptr<WsClient> connect(const std::optional<std::string>& token = std::nullopt,
                                    WsClientOptions options = {});
  // Subscribes and returns the `subscribed` reply; fails the test on anything else.
  nlohmann::json subscribe(WsClient& client, const std::string& channel,
                           const std::optional<nlohmann::json>& since = std::nullopt);

 private:
  std::unique_ptr<auth::KeyPair> key_;
  std::unique_ptr<NotificationsServer> server_;
  std::unique_ptr<http::Client> client_;
};

}  // namespace surplus::notifications::testing
