#pragma once

// A running offers HTTP server on a fresh database (SQLite or PostgreSQL), with a client
// and access tokens signed by a test key, for tests that go through the real API.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/auth/jwt.hpp>
#include <surplus/http/client.hpp>
#include <surplus/http/server.hpp>

#include "offers_app.hpp"
#include "offers_test_support.hpp"

namespace surplus::offers::testing {

// How a test request authenticates.
struct Credentials {
  std::optional<std::string> token;           // Authorization: Bearer <token>
  std::optional<std::string> service_secret;  // X-Service-Secret
};

class OffersHttpTest : public OffersDatabaseTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A token for a user of `role`; STORE users are staff of `restaurants`.
  std::string token(auth::Role role, const std::string& user_id,
                    std::vector<std::string> restaurants = {});
  Credentials as(auth::Role role, const std::string& user_id,
                 std::vector<std::string> restaurants = {}) {
    return {token(role, user_id, std::move(restaurants)), std::nullopt};
  }
  Credentials as_service() { return {std::nullopt, std::string(kTestServiceSecret)}; }

  http::Response call(const std::string& method, const std::string& target,
                      const Credentials& credentials = {},
                      const std::optional<nlohmann::json>& body = std::nullopt);

  std::string url(const std::string& target) const;
  OffersApp& app() { return *app_; }
  http::Client& client() { return *client_; }

  // The `code` of a problem+json response, or "" when it is not one.
  static std::string problem_code(const http::Response& response);
  // The field names listed in a VALIDATION_FAILED problem.
  static std::vector<std::string> problem_fields(const http::Response& response);

  virtual int worker_threads() const { return 16; }

 private:
  std::unique_ptr<auth::KeyPair> key_;
  std::shared_ptr<OffersApp> app_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<http::Client> client_;
};

}  // namespace surplus::offers::testing
