#include "test_support.hpp"

#include <cstdlib>

#include <surplus/core/id.hpp>
#include <surplus/db/migrate.hpp>

#include "migrations.hpp"
#include "routes.hpp"

namespace surplus::notifications::testing {

NotificationsServer::NotificationsServer(db::Database& database, const auth::PublicKey& token_key,
                                         std::map<std::string, std::string> env) {
  // No orders service unless a test starts one and passes its URL.
  env.try_emplace("ORDERS_URL", "off");
  env.try_emplace("SERVICE_SECRET", std::string(kTestServiceSecret));
  // The test registration that runs these tests on Beast's framing sets this variable.
  if (const char* framing = std::getenv("WS_COMPACT_FRAMING")) {
    env.try_emplace("WS_COMPACT_FRAMING", framing);
  }
  core::EnvReader reader([env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional(it->second);
  });
  auto config = NotificationsConfig::from_env(reader);
  app_ = std::make_shared<NotificationsApp>(std::move(config), database,
                                            auth::TokenVerifier(token_key),
                                            auth::ServiceSecret::from_env(reader));
  http::Router router;
  add_notifications_routes(router, app_);
  http::ServerOptions options;
  options.port = 0;
  options.worker_threads = 8;
  options.max_connections = app_->config.max_connections + 100;
  options.shutdown_grace = std::chrono::seconds(2);
  options.service_name = "notifications-test";
  server_ = std::make_unique<http::Server>(options, std::move(router));
  server_->start();
}

NotificationsServer::~NotificationsServer() {
  stop();
}

void NotificationsServer::stop() {
  if (server_) {
    server_->stop();
  }
}

void NotificationsTest::SetUp() {
  DatabaseTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) {
    return;
  }
  db::migrate(db(), migrations());
  key_ = std::make_unique<auth::KeyPair>(auth::KeyPair::generate());
  server_ = std::make_unique<NotificationsServer>(db(), key_->public_key(), server_env());
  http::ClientOptions options;
  options.max_attempts = 1;
  client_ = std::make_unique<http::Client>(options);
}

void NotificationsTest::TearDown() {
  client_.reset();
  server_.reset();
  DatabaseTest::TearDown();
}

void NotificationsTest::restart_server() {
  server_.reset();
  server_ = std::make_unique<NotificationsServer>(db(), key_->public_key(), server_env());
}

std::string NotificationsTest::token(auth::Role role, const std::string& user_id,
                                     std::vector<std::string> restaurants) const {
  auth::Claims claims;
  claims.subject = user_id;
  claims.role = role;
  claims.restaurants = std::move(restaurants);
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  claims.issued_at = now;
  claims.expires_at = now + std::chrono::minutes(15);
  claims.token_id = core::new_uuid_v7();
  return auth::sign_access_token(claims, *key_);
}

http::Response NotificationsTest::post_events(const nlohmann::json& body,
                                              std::optional<std::string> secret) {
  auto request = http::ClientRequest::json("POST", server_->url() + "/internal/events", body);
  if (secret) {
    request.headers.set("X-Service-Secret", *secret);
  }
  return client_->send(std::move(request));
}

nlohmann::json NotificationsTest::ingest(const std::vector<events::Event>& batch) {
  nlohmann::json envelopes = nlohmann::json::array();
  for (const auto& event : batch) {
    envelopes.push_back(events::to_envelope(event));
  }
  auto response = post_events({{"events", envelopes}});
  EXPECT_EQ(response.status, 200) << response.body;
  return nlohmann::json::parse(response.body, nullptr, false);
}

std::vector<events::Event> NotificationsTest::numbered_events(
    const std::vector<std::string>& channels, int count, int first) {
  std::vector<events::Event> batch;
  for (int i = 0; i < count; ++i) {
    batch.push_back(events::make_event("test.event", channels, {{"n", first + i}}));
  }
  return batch;
}

std::unique_ptr<WsClient> NotificationsTest::connect(const std::optional<std::string>& token,
                                                     WsClientOptions options) {
  if (token) {
    options.headers.emplace_back("Authorization", "Bearer " + *token);
  }
  return std::make_unique<WsClient>(server_->port(), "/ws", std::move(options));
}

nlohmann::json NotificationsTest::subscribe(WsClient& client, const std::string& channel,
                                            const std::optional<nlohmann::json>& since) {
  nlohmann::json message{{"type", "subscribe"}, {"channel", channel}};
  if (since) {
    message["since"] = *since;
  }
  client.send_json(message);
  auto reply = client.receive();
  EXPECT_EQ(reply.value("type", ""), "subscribed") << reply.dump();
  EXPECT_EQ(reply.value("channel", ""), channel) << reply.dump();
  return reply;
}

}  // namespace surplus::notifications::testing
