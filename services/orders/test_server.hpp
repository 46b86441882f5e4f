#pragma once

// Test support: the orders service's real routes on an http::Server bound to a free
// loopback port, over a fresh SQLite or PostgreSQL database, and helpers to call it.

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <surplus/auth/jwt.hpp>
#include <surplus/db/testing.hpp>
#include <surplus/http/client.hpp>
#include <surplus/http/server.hpp>

namespace surplus::orders::testing {

class OrdersTestServer {
 public:
  // `env` adds to or overrides the test environment: Argon2 at its cheapest, a fresh
  // signing key, SERVICE_SECRET = kTestServiceSecret, and OFFERS_URL and NOTIFICATIONS_URL
  // on a closed loopback port.
  explicit OrdersTestServer(db::testing::Backend backend,
                            std::map<std::string, std::string> env = {});
  ~OrdersTestServer();

  static constexpr std::string_view kTestServiceSecret = "orders-test-service-secret";

  // Sends a request; `token` becomes a Bearer header, `body` a JSON body.
  http::Response call(const std::string& method, const std::string& target,
                      const std::optional<nlohmann::json>& body = std::nullopt,
                      const std::optional<std::string>& token = std::nullopt,
                      http::Headers headers = {});
  // Sends `raw_body` as is with the given Content-Type.
  http::Response call_raw(const std::string& method, const std::string& target,
                          const std::string& raw_body, const std::string& content_type,
                          const std::optional<std::string>& token = std::nullopt);

  // Registers an account and returns the token response; fails the test unless 201.
  nlohmann::json register_user(const std::string& email, const std::string& role,
                               const std::string& password = "correct horse battery");
  // Logs in; fails the test unless 200.
  nlohmann::json login(const std::string& email,
                       const std::string& password = "correct horse battery");
  // Creates a restaurant as `token`'s user; fails the test unless 201.
  nlohmann::json create_restaurant(const std::string& token, const std::string& name,
                                   double latitude = 52.5, double longitude = 13.4);
  nlohmann::json create_product(const std::string& token, const std::string& restaurant_id,
                                const std::string& name, std::int64_t cents = 450);

  // The private key the server signs with, so tests can forge tokens it would accept.
  const auth::KeyPair& signing_key() const { return signing_key_; }
  db::Database& database() { return database_.database(); }
  std::string base_url() const;

 private:
  db::testing::TestDatabase database_;
  std::filesystem::path key_dir_;
  auth::KeyPair signing_key_;
  std::unique_ptr<http::Server> server_;
  http::Client client_;
};

// A fixture that gives each test its own server on the parameter's backend; the
// PostgreSQL case is skipped or fails as db::testing describes.
class OrdersApiTest : public ::testing::TestWithParam<db::testing::Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;
  // The extra environment of the server; override to change limits.
  virtual std::map<std::string, std::string> server_env() const { return {}; }

  OrdersTestServer& server() { return *server_; }

 private:
  std::unique_ptr<OrdersTestServer> server_;
};

// The `code` of a problem+json response, or "" when the body is not one.
std::string problem_code(const http::Response& response);

}  // namespace surplus::orders::testing
