#include <chrono>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include <surplus/auth/request_auth.hpp>
#include <surplus/core/error.hpp>

namespace surplus::auth {
namespace {

core::EnvReader env_of(std::map<std::string, std::string> values) {
  return core::EnvReader([values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional(it->second);
  });
}

http::Request request_with(std::initializer_list<http::Headers::Field> headers) {
  http::Request request;
  request.method = "GET";
  request.path = "/";
  request.headers = http::Headers(headers);
  return request;
}

core::ErrorCode code_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const core::Error& error) {
    return error.code();
  }
  return core::ErrorCode::kInternal;  // stands for "no error" in these tests
}

class RequestAuthTest : public ::testing::Test {
 protected:
  std::string token_for(Role role, std::vector<std::string> restaurants = {}) {
    Claims claims;
    claims.subject = "user-7";
    claims.role = role;
    claims.restaurants = std::move(restaurants);
    claims.issued_at = std::chrono::floor<std::chrono::seconds>(core::now());
    claims.expires_at = claims.issued_at + std::chrono::minutes(15);
    claims.token_id = "jti-7";
    return sign_access_token(claims, key_);
  }

  KeyPair key_ = KeyPair::generate();
  TokenVerifier verifier_{key_.public_key()};
};

TEST_F(RequestAuthTest, NoHeaderIsAnonymous) {
  Identity identity = authenticate(request_with({}), verifier_);
  EXPECT_TRUE(identity.is_anonymous());
  EXPECT_FALSE(identity.is_admin());
  EXPECT_FALSE(identity.is_staff_of("r1"));
  EXPECT_EQ(code_of([&] { require_authenticated(request_with({}), verifier_); }),
            core::ErrorCode::kUnauthenticated);
}

TEST_F(RequestAuthTest, BearerTokenGivesIdentity) {
  auto request = request_with({{"authorization", "bearer " + token_for(Role::kStore, {"r1"})}});
  Identity identity = require_authenticated(request, verifier_);
  EXPECT_EQ(identity.user_id, "user-7");
  EXPECT_EQ(identity.role, Role::kStore);
  EXPECT_EQ(identity.token_id, "jti-7");
  EXPECT_TRUE(identity.is_staff_of("r1"));
  EXPECT_FALSE(identity.is_staff_of("r2"));
}

TEST_F(RequestAuthTest, MalformedHeaderIsUnauthenticated) {
  std::string token = token_for(Role::kCustomer);
  for (const std::string& value :
       std::vector<std::string>{"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token " + token,
                                "Bearer " + token + " extra", "Bearer\t" + token}) {
    EXPECT_EQ(code_of([&] {
                authenticate(request_with({{"Authorization", value}}), verifier_);
              }),
              core::ErrorCode::kUnauthenticated)
        << value;
  }
}

TEST_F(RequestAuthTest, InvalidTokenIsNotSilentlyAnonymous) {
  KeyPair other = KeyPair::generate();
  TokenVerifier other_verifier(other.public_key());
  auto request = request_with({{"Authorization", "Bearer " + token_for(Role::kAdmin)}});
  EXPECT_EQ(code_of([&] { authenticate(request, other_verifier); }),
            core::ErrorCode::kUnauthenticated);
}

TEST_F(RequestAuthTest, RequireRoleChecksRole) {
  Identity courier{"u", Role::kCourier, {}, "j"};
  EXPECT_EQ(code_of([&] {
              require_role(courier, {Role::kStore, Role::kAdmin});
            }),
            core::ErrorCode::kForbidden);
  EXPECT_EQ(code_of([&] { require_role(courier, {Role::kCourier}); }), core::ErrorCode::kInternal);
  EXPECT_EQ(code_of([&] { require_role(Identity::anonymous(), {Role::kCustomer}); }),
            core::ErrorCode::kUnauthenticated);
}

TEST_F(RequestAuthTest, RefusedRoleMessageNamesAllowedAndActualRoles) {
  Identity courier{"u", Role::kCourier, {}, "j"};
  try {
    require_role(courier, {Role::kCustomer, Role::kStore, Role::kAdmin});
    FAIL() << "expected FORBIDDEN";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.message(), "only " + std::string(role_name(Role::kCustomer)) + ", " +
                                   std::string(role_name(Role::kStore)) + " or " +
                                   std::string(role_name(Role::kAdmin)) +
                                   " accounts may do this; this account is " +
                                   std::string(role_name(Role::kCourier)));
  }
}

TEST_F(RequestAuthTest, AdminIsNotStaffByClaim) {
  Identity admin{"u", Role::kAdmin, {"r1"}, "j"};
  EXPECT_TRUE(admin.is_admin());
  EXPECT_FALSE(admin.is_staff_of("r1"));
}

TEST(ServiceSecret, MatchesOnlyTheExactSecret) {
  ServiceSecret secret("0123456789abcdef-secret");
  EXPECT_TRUE(secret.matches("0123456789abcdef-secret"));
  EXPECT_FALSE(secret.matches("0123456789abcdef-secreT"));
  EXPECT_FALSE(secret.matches("0123456789abcdef-secre"));
  EXPECT_FALSE(secret.matches(""));

  EXPECT_EQ(code_of([&] { secret.require(request_with({})); }), core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(code_of([&] {
              secret.require(request_with({{"X-Service-Secret", "wrong"}}));
            }),
            core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(code_of([&] {
              secret.require(request_with({{"x-service-secret", "0123456789abcdef-secret"}}));
            }),
            core::ErrorCode::kInternal);

  http::Headers headers;
  secret.add_to(headers);
  EXPECT_EQ(headers.get("X-Service-Secret"), "0123456789abcdef-secret");
}

TEST(ServiceSecret, FromEnvironment) {
  EXPECT_TRUE(ServiceSecret::from_env(env_of({})).is_development_default());
  EXPECT_TRUE(ServiceSecret::from_env(env_of({})).matches("surplus-dev-secret"));
  auto custom = ServiceSecret::from_env(env_of({{"SERVICE_SECRET", "a-long-production-secret"}}));
  EXPECT_FALSE(custom.is_development_default());
  EXPECT_TRUE(custom.matches("a-long-production-secret"));
  try {
    ServiceSecret::from_env(env_of({{"SERVICE_SECRET", "short"}}));
    ADD_FAILURE() << "a short SERVICE_SECRET was accepted";
  } catch (const core::ConfigError& error) {
    EXPECT_EQ(error.variable(), "SERVICE_SECRET");
  }
}

}  // namespace
}  // namespace surplus::auth
