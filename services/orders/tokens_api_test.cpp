// Access and refresh tokens, login limits and registration rules through the HTTP API.
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <sodium.h>

#include <surplus/auth/keys.hpp>
#include <surplus/core/id.hpp>

#include "test_server.hpp"

namespace surplus::orders::testing {
namespace {

using nlohmann::json;

std::string forge(const json& header, const json& payload, const auth::KeyPair& key) {
  std::string input =
      auth::base64url_encode(header.dump()) + "." + auth::base64url_encode(payload.dump());
  return input + "." + auth::base64url_encode(key.sign(input));
}

class TokensApiTest : public OrdersApiTest {
 protected:
  std::map<std::string, std::string> server_env() const override {
    return {{"LOGIN_MAX_FAILURES_PER_EMAIL", "3"},
            {"LOGIN_MAX_FAILURES_PER_ACCOUNT", "5"},
            {"LOGIN_MAX_FAILURES_PER_ADDRESS", "6"}};
  }

  json payload_for(const std::string& user_id, std::int64_t exp_offset_seconds) {
    auto now = std::chrono::floor<std::chrono::seconds>(core::now()).time_since_epoch().count();
    return {{"iss", "surplus"},          {"aud", "surplus"}, {"sub", user_id},
            {"role", "CUSTOMER"},        {"iat", now - 60},  {"exp", now + exp_offset_seconds},
            {"jti", core::new_uuid_v7()}};
  }

  int me_status(const std::string& token) {
    return server().call("GET", "/users/me", std::nullopt, token).status;
  }

  json header() const { return {{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", server_key_id_}}; }

  void SetUp() override {
    OrdersApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    server_key_id_ = server().signing_key().public_key().key_id();
    auto tokens = server().register_user("ana@example.com", "CUSTOMER");
    user_id_ = tokens["user"]["id"];
  }

  std::string server_key_id_;
  std::string user_id_;
};

TEST_P(TokensApiTest, PublicKeyEndpointVerifiesLoginTokens) {
  auto key_response = server().call("GET", "/auth/public-key");
  ASSERT_EQ(key_response.status, 200);
  auto key = auth::parse_public_key_document(key_response.body_json());
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, server().signing_key().public_key());

  auto tokens = server().login("ana@example.com");
  EXPECT_EQ(tokens["tokenType"], "Bearer");
  EXPECT_GT(tokens["expiresIn"].get<int>(), 14 * 60);
  EXPECT_LE(tokens["expiresIn"].get<int>(), 15 * 60);
  auto claims = auth::TokenVerifier(*key).verify(tokens["accessToken"].get<std::string>());
  EXPECT_EQ(claims.subject, user_id_);
  EXPECT_EQ(claims.role, auth::Role::kCustomer);
  EXPECT_EQ(tokens["user"]["email"], "ana@example.com");
  EXPECT_FALSE(tokens["user"].contains("passwordHash"));
  EXPECT_EQ(me_status(tokens["accessToken"]), 200);
}

TEST_P(TokensApiTest, ForgedOrExpiredTokensAreRejected) {
  auto valid = forge(header(), payload_for(user_id_, 600), server().signing_key());
  EXPECT_EQ(me_status(valid), 200);

  // Expired beyond the 30 s leeway.
  EXPECT_EQ(me_status(forge(header(), payload_for(user_id_, -31), server().signing_key())), 401);
  // Signed by another key, with and without a key id.
  auto other = auth::KeyPair::generate();
  EXPECT_EQ(me_status(forge(header(), payload_for(user_id_, 600), other)), 401);
  EXPECT_EQ(me_status(forge(json{{"alg", "EdDSA"}}, payload_for(user_id_, 600), other)), 401);
  // alg none, with an empty signature.
  json none = {{"alg", "none"}, {"typ", "JWT"}};
  EXPECT_EQ(me_status(auth::base64url_encode(none.dump()) + "." +
                      auth::base64url_encode(payload_for(user_id_, 600).dump()) + "."),
            401);
  // HS256 keyed with the public key.
  json hs256 = {{"alg", "HS256"}, {"typ", "JWT"}};
  std::string input = auth::base64url_encode(hs256.dump()) + "." +
                      auth::base64url_encode(payload_for(user_id_, 600).dump());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, server().signing_key().public_key().bytes().data(), 32);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(input.data()),
                                input.size());
  crypto_auth_hmacsha256_final(&state, mac);
  EXPECT_EQ(
      me_status(input + "." +
                auth::base64url_encode(std::string(reinterpret_cast<char*>(mac), sizeof mac))),
      401);
  // A valid token with its payload changed to another role.
  auto first = valid.find('.');
  auto second = valid.find('.', first + 1);
  auto payload = payload_for(user_id_, 600);
  payload["role"] = "ADMIN";
  std::string tampered =
      valid.substr(0, first + 1) + auth::base64url_encode(payload.dump()) + valid.substr(second);
  EXPECT_EQ(me_status(tampered), 401);

  auto response = server().call("GET", "/users/me", std::nullopt, tampered);
  EXPECT_EQ(problem_code(response), "UNAUTHENTICATED");
  EXPECT_NE(response.body.find("signature"), std::string::npos) << response.body;
}

TEST_P(TokensApiTest, MalformedAuthorizationHeaderIsRejected) {
  for (const char* value : {"Basic YTpi", "Bearer", "Bearer a.b", "Bearer not a token"}) {
    auto response = server().call("GET", "/restaurants", std::nullopt, std::nullopt,
                                  http::Headers{{"Authorization", value}});
    EXPECT_EQ(response.status, 401) << value;
  }
}

TEST_P(TokensApiTest, RefreshRotatesAndReuseRevokesTheFamily) {
  auto login = server().login("ana@example.com");
  auto first = login["refreshToken"].get<std::string>();

  auto rotated = server().call("POST", "/auth/refresh", json{{"refreshToken", first}});
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  auto second = rotated.body_json()["refreshToken"].get<std::string>();
  EXPECT_NE(second, first);
  EXPECT_EQ(me_status(rotated.body_json()["accessToken"]), 200);

  // Presenting the used token again is taken as theft: it fails, and so does its successor.
  auto reuse = server().call("POST", "/auth/refresh", json{{"refreshToken", first}});
  EXPECT_EQ(reuse.status, 401);
  EXPECT_NE(reuse.body.find("already used"), std::string::npos) << reuse.body;
  auto successor = server().call("POST", "/auth/refresh", json{{"refreshToken", second}});
  EXPECT_EQ(successor.status, 401);
  EXPECT_NE(successor.body.find("revoked"), std::string::npos) << successor.body;

  // Another login is a family of its own and still works.
  auto other = server().login("ana@example.com");
  EXPECT_EQ(
      server().call("POST", "/auth/refresh", json{{"refreshToken", other["refreshToken"]}}).status,
      200);
}

TEST_P(TokensApiTest, LogoutRevokesRefreshToken) {
  auto login = server().login("ana@example.com");
  auto logout =
      server().call("POST", "/auth/logout", json{{"refreshToken", login["refreshToken"]}});
  EXPECT_EQ(logout.status, 204);
  auto refresh =
      server().call("POST", "/auth/refresh", json{{"refreshToken", login["refreshToken"]}});
  EXPECT_EQ(refresh.status, 401);
  EXPECT_EQ(server().call("POST", "/auth/refresh", json{{"refreshToken", "made-up"}}).status, 401);
}

TEST_P(TokensApiTest, WrongPasswordAndUnknownEmailLookAlike) {
  auto wrong = server().call("POST", "/auth/login",
                             json{{"email", "ana@example.com"}, {"password", "wrong password"}});
  auto unknown = server().call("POST", "/auth/login",
                               json{{"email", "bob@example.com"}, {"password", "wrong password"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body_json()["detail"], unknown.body_json()["detail"]);
  // The e-mail address is case-insensitive.
  EXPECT_EQ(server()
                .call("POST", "/auth/login",
                      json{{"email", "ANA@Example.com"}, {"password", "correct horse battery"}})
                .status,
            200);
}

// Headers with which the gateway passes on the address of the client it serves.
http::Headers forwarded_from(const std::string& address) {
  return {{"X-Forwarded-For", address},
          {"X-Service-Secret", std::string(OrdersTestServer::kTestServiceSecret)}};
}

TEST_P(TokensApiTest, FailedLoginsPerEmailAreLimited) {
  json wrong = {{"email", "ana@example.com"}, {"password", "wrong password"}};
  for (int attempt = 0; attempt < 3; ++attempt) {
    EXPECT_EQ(server().call("POST", "/auth/login", wrong).status, 401) << attempt;
  }
  auto limited = server().call("POST", "/auth/login", wrong);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(problem_code(limited), "RATE_LIMITED");
  auto retry_after = limited.headers.get("Retry-After");
  ASSERT_TRUE(retry_after);
  int seconds = std::stoi(std::string(*retry_after));
  EXPECT_GT(seconds, 0);
  EXPECT_LE(seconds, 15 * 60);
  // Even the right password waits, so guessing cannot go on.
  auto right =
      server().call("POST", "/auth/login",
                    json{{"email", "ana@example.com"}, {"password", "correct horse battery"}});
  EXPECT_EQ(right.status, 429);
  // Other accounts are not affected by this e-mail's limit.
  server().register_user("carl@example.com", "CUSTOMER");
  server().login("carl@example.com");
  // Nor is the owner of the account at another address: wrong passwords typed by someone
  // else do not lock them out.
  auto owner =
      server().call("POST", "/auth/login",
                    json{{"email", "ana@example.com"}, {"password", "correct horse battery"}},
                    std::nullopt, forwarded_from("203.0.113.9"));
  EXPECT_EQ(owner.status, 200) << owner.body;
}

TEST_P(TokensApiTest, FailedLoginsPerAccountAreLimitedAcrossAddresses) {
  json wrong = {{"email", "ana@example.com"}, {"password", "wrong password"}};
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto address = "203.0.113." + std::to_string(10 + attempt);
    EXPECT_EQ(
        server().call("POST", "/auth/login", wrong, std::nullopt, forwarded_from(address)).status,
        401)
        << attempt;
  }
  auto limited =
      server().call("POST", "/auth/login",
                    json{{"email", "ana@example.com"}, {"password", "correct horse battery"}},
                    std::nullopt, forwarded_from("203.0.113.99"));
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_TRUE(limited.headers.get("Retry-After"));
}

TEST_P(TokensApiTest, FailedLoginsPerAddressAreLimited) {
  for (int attempt = 0; attempt < 6; ++attempt) {
    json wrong = {{"email", "user" + std::to_string(attempt) + "@example.com"},
                  {"password", "wrong password"}};
    EXPECT_EQ(server().call("POST", "/auth/login", wrong).status, 401) << attempt;
  }
  auto limited =
      server().call("POST", "/auth/login",
                    json{{"email", "ana@example.com"}, {"password", "correct horse battery"}});
  EXPECT_EQ(limited.status, 429);
  EXPECT_TRUE(limited.headers.get("Retry-After"));

  // The gateway forwards the client's address with the service secret; another client
  // address is not limited.
  http::Headers forwarded = {
      {"X-Forwarded-For", "203.0.113.7"},
      {"X-Service-Secret", std::string(OrdersTestServer::kTestServiceSecret)}};
  auto other_client =
      server().call("POST", "/auth/login",
                    json{{"email", "ana@example.com"}, {"password", "correct horse battery"}},
                    std::nullopt, forwarded);
  EXPECT_EQ(other_client.status, 200) << other_client.body;
  // Without the secret the header is ignored.
  http::Headers spoofed = {{"X-Forwarded-For", "198.51.100.1"}};
  auto spoof =
      server().call("POST", "/auth/login",
                    json{{"email", "ana@example.com"}, {"password", "correct horse battery"}},
                    std::nullopt, spoofed);
  EXPECT_EQ(spoof.status, 429);
}

TEST_P(TokensApiTest, RegistrationRules) {
  auto register_with = [&](json body) { return server().call("POST", "/auth/register", body); };
  json base = {{"email", "new@example.com"},
               {"password", "long enough pw"},
               {"displayName", "New"},
               {"role", "COURIER"}};

  auto admin = base;
  admin["role"] = "ADMIN";
  auto admin_response = register_with(admin);
  EXPECT_EQ(admin_response.status, 400);
  EXPECT_EQ(admin_response.body_json()["errors"][0]["field"], "role");

  auto short_password = base;
  short_password["password"] = "short";
  EXPECT_EQ(register_with(short_password).status, 400);

  // One response names every invalid field, whether its shape or its value is wrong.
  auto everything_wrong = base;
  everything_wrong["email"] = "not an address";
  everything_wrong["password"] = "short";
  everything_wrong["role"] = "ADMIN";
  auto all = register_with(everything_wrong);
  EXPECT_EQ(all.status, 400);
  const json problems = all.body_json()["errors"];
  std::set<std::string> invalid;
  for (const auto& problem : problems) {
    invalid.insert(problem["field"].get<std::string>());
  }
  EXPECT_EQ(invalid, (std::set<std::string>{"email", "password", "role"})) << all.body;
  EXPECT_EQ(problems.size(), 3u) << all.body;

  auto password_is_email = base;
  password_is_email["password"] = "NEW@example.com";
  auto same = register_with(password_is_email);
  EXPECT_EQ(same.status, 400);
  EXPECT_EQ(same.body_json()["errors"][0]["field"], "password");

  auto duplicate = base;
  duplicate["email"] = "Ana@Example.COM";
  auto conflict = register_with(duplicate);
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(problem_code(conflict), "CONFLICT");

  auto created = register_with(base);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body_json()["user"]["role"], "COURIER");
  auto no_role = base;
  no_role.erase("role");
  no_role["email"] = "plain@example.com";
  EXPECT_EQ(register_with(no_role).body_json()["user"]["role"], "CUSTOMER");
}

class AdminFromEnvTest : public OrdersApiTest {
 protected:
  std::map<std::string, std::string> server_env() const override {
    return {{"ADMIN_EMAIL", "Boss@Example.com"}, {"ADMIN_PASSWORD", "admin password 1"}};
  }
};

TEST_P(AdminFromEnvTest, ConfiguredAdminCanLogIn) {
  auto tokens = server().login("boss@example.com", "admin password 1");
  EXPECT_EQ(tokens["user"]["role"], "ADMIN");
  EXPECT_EQ(tokens["user"]["email"], "Boss@Example.com");
}

INSTANTIATE_TEST_SUITE_P(Backends, TokensApiTest, ::testing::ValuesIn(db::testing::all_backends()),
                         db::testing::backend_test_name);
INSTANTIATE_TEST_SUITE_P(Backends, AdminFromEnvTest,
                         ::testing::ValuesIn(db::testing::all_backends()),
                         db::testing::backend_test_name);

}  // namespace
}  // namespace surplus::orders::testing
