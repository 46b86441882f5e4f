// The authorization matrix: every endpoint, called by every kind of caller, against the
// expected status.
#include <array>
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "test_server.hpp"

namespace surplus::orders::testing {
namespace {

using nlohmann::json;

enum Caller { kAnonymous, kCustomer, kStaffHere, kStaffElsewhere, kCourier, kAdmin, kCallers };

constexpr std::array<const char*, kCallers> kCallerNames = {
    "anonymous", "customer", "staff of this store", "staff of another store", "courier", "admin"};

using Expected = std::array<int, kCallers>;

struct Case {
  std::string method;
  std::string target;  // {R} this restaurant, {P} its product, {Q} its inactive product,
                       // {C} a STORE account to add to the staff
  std::optional<json> body;
  Expected expected;
  bool add_staff_first = false;  // re-add {C} to the staff before each call
};

constexpr Expected kEveryone200 = {200, 200, 200, 200, 200, 200};
constexpr Expected kManagers200 = {401, 403, 200, 403, 403, 200};
constexpr Expected kAlways401 = {401, 401, 401, 401, 401, 401};

class AuthorizationMatrixTest : public OrdersApiTest {
 protected:
  void SetUp() override {
    OrdersApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    tokens_[kAnonymous] = std::nullopt;
    tokens_[kCustomer] = token_of(server().register_user("customer@example.com", "CUSTOMER"));
    tokens_[kStaffHere] = token_of(server().register_user("here@example.com", "STORE"));
    tokens_[kStaffElsewhere] = token_of(server().register_user("there@example.com", "STORE"));
    tokens_[kCourier] = token_of(server().register_user("courier@example.com", "COURIER"));
    server().register_user("invitee@example.com", "STORE");
    invitee_ = server().login("invitee@example.com")["user"]["id"];

    auto restaurant = server().create_restaurant(*tokens_[kStaffHere], "Here");
    server().create_restaurant(*tokens_[kStaffElsewhere], "Elsewhere");
    restaurant_ = restaurant["id"];
    product_ = server().create_product(*tokens_[kStaffHere], restaurant_, "Loaf")["id"];
    inactive_product_ = server().create_product(*tokens_[kStaffHere], restaurant_, "Old")["id"];
    auto deactivate = server().call("PATCH", "/products/" + inactive_product_,
                                    json{{"active", false}}, tokens_[kStaffHere]);
    ASSERT_EQ(deactivate.status, 200) << deactivate.body;
    tokens_[kAdmin] = admin_token();
  }

  std::map<std::string, std::string> server_env() const override {
    return {{"ADMIN_EMAIL", "root@example.com"}, {"ADMIN_PASSWORD", "admin password 1"}};
  }

  std::string admin_token() {
    return token_of(server().login("root@example.com", "admin password 1"));
  }

  static std::string token_of(const json& tokens) { return tokens["accessToken"]; }

  std::string expand(std::string text) const {
    const std::pair<std::string, std::string> names[] = {
        {"{R}", restaurant_}, {"{P}", product_}, {"{Q}", inactive_product_}, {"{C}", invitee_}};
    for (const auto& [key, value] : names) {
      for (auto at = text.find(key); at != std::string::npos; at = text.find(key)) {
        text.replace(at, key.size(), value);
      }
    }
    return text;
  }

  std::array<std::optional<std::string>, kCallers> tokens_;
  std::string restaurant_;
  std::string product_;
  std::string inactive_product_;
  std::string invitee_;
};

std::vector<Case> matrix() {
  json new_restaurant = {{"name", "New"},
                         {"category", "cafe"},
                         {"address", "Street 1"},
                         {"latitude", 52.51},
                         {"longitude", 13.41}};
  json new_product = {
      {"name", "Roll"}, {"category", "bread"}, {"price", {{"amount", 120}, {"currency", "EUR"}}}};
  return {
      {"GET", "/restaurants", std::nullopt, kEveryone200},
      {"GET", "/restaurants?latitude=52.5&longitude=13.4&radiusKm=2", std::nullopt, kEveryone200},
      {"GET", "/restaurants/{R}", std::nullopt, kEveryone200},
      {"POST", "/restaurants", new_restaurant, {401, 403, 201, 201, 403, 201}},
      {"PATCH", "/restaurants/{R}", json{{"description", "Fresh bread"}}, kManagers200},
      {"GET", "/restaurants/{R}/staff", std::nullopt, kManagers200},
      {"POST", "/restaurants/{R}/staff", json{{"email", "invitee@example.com"}}, kManagers200},
      {"DELETE", "/restaurants/{R}/staff/{C}", std::nullopt, {401, 403, 204, 403, 403, 204}, true},
      {"GET", "/restaurants/{R}/products", std::nullopt, kEveryone200},
      {"GET", "/restaurants/{R}/products?includeInactive=true", std::nullopt, kManagers200},
      {"POST", "/restaurants/{R}/products", new_product, {401, 403, 201, 403, 403, 201}},
      {"GET", "/products/{P}", std::nullopt, kEveryone200},
      {"GET", "/products/{Q}", std::nullopt, {404, 404, 200, 404, 404, 200}},
      {"PATCH", "/products/{P}", json{{"description", "Rye"}}, kManagers200},
      {"GET", "/users/me", std::nullopt, {401, 200, 200, 200, 200, 200}},
      {"GET", "/users/me/favourites", std::nullopt, {401, 200, 403, 403, 403, 403}},
      {"PUT", "/users/me/favourites/{R}", std::nullopt, {401, 204, 403, 403, 403, 403}},
      {"DELETE", "/users/me/favourites/{R}", std::nullopt, {401, 204, 403, 403, 403, 403}},
      {"GET", "/internal/restaurants?ids={R}", std::nullopt, kAlways401},
      {"GET", "/internal/products?ids={P}", std::nullopt, kAlways401},
      {"GET", "/internal/users?ids={C}", std::nullopt, kAlways401},
      {"GET", "/auth/public-key", std::nullopt, kEveryone200},
      {"GET", "/openapi.json", std::nullopt, kEveryone200},
      {"POST", "/auth/logout", json{{"refreshToken", "unknown"}}, {204, 204, 204, 204, 204, 204}},
  };
}

TEST_P(AuthorizationMatrixTest, EveryEndpointAndCaller) {
  for (const auto& test_case : matrix()) {
    for (int caller = 0; caller < kCallers; ++caller) {
      if (test_case.add_staff_first) {
        auto added = server().call("POST", expand("/restaurants/{R}/staff"),
                                   json{{"email", "invitee@example.com"}}, admin_token());
        ASSERT_EQ(added.status, 200) << added.body;
      }
      std::string target = expand(test_case.target);
      auto response = server().call(test_case.method, target, test_case.body, tokens_[caller]);
      EXPECT_EQ(response.status, test_case.expected[caller])
          << test_case.method << " " << test_case.target << " as " << kCallerNames[caller] << ": "
          << response.body;
      if (response.status == 401) {
        EXPECT_EQ(problem_code(response), "UNAUTHENTICATED") << test_case.target;
      } else if (response.status == 403) {
        EXPECT_EQ(problem_code(response), "FORBIDDEN") << test_case.target;
      } else if (response.status == 404) {
        EXPECT_EQ(problem_code(response), "NOT_FOUND") << test_case.target;
      }
    }
  }
}

TEST_P(AuthorizationMatrixTest, InternalEndpointsNeedTheServiceSecret) {
  http::Headers secret = {{"X-Service-Secret", std::string(OrdersTestServer::kTestServiceSecret)}};
  for (const char* target :
       {"/internal/restaurants?ids={R}", "/internal/products?ids={P}", "/internal/users?ids={C}"}) {
    auto response = server().call("GET", expand(target), std::nullopt, std::nullopt, secret);
    EXPECT_EQ(response.status, 200) << target << ": " << response.body;
    auto items = response.body_json()["items"];
    ASSERT_EQ(items.size(), 1U) << target;

    http::Headers wrong = {{"X-Service-Secret", "orders-test-service-secreT"}};
    EXPECT_EQ(server().call("GET", expand(target), std::nullopt, std::nullopt, wrong).status, 401)
        << target;
  }
  auto restaurants = server().call("GET", expand("/internal/restaurants?ids={R}"), std::nullopt,
                                   std::nullopt, secret);
  auto staff = restaurants.body_json()["items"][0]["staffUserIds"];
  ASSERT_EQ(staff.size(), 1U);
}

TEST_P(AuthorizationMatrixTest, StaffClaimFollowsMembershipAfterRefresh) {
  auto invitee = server().login("invitee@example.com");
  EXPECT_TRUE(invitee["user"]["role"] == "STORE");
  auto added = server().call("POST", expand("/restaurants/{R}/staff"),
                             json{{"email", "invitee@example.com"}}, tokens_[kStaffHere]);
  ASSERT_EQ(added.status, 200) << added.body;

  // The orders service checks its own table, so the old token works at once here.
  auto patch = server().call("PATCH", expand("/restaurants/{R}"), json{{"name", "Renamed"}},
                             invitee["accessToken"].get<std::string>());
  EXPECT_EQ(patch.status, 200) << patch.body;

  // Other services read the claim, which a refresh brings up to date.
  auto refreshed =
      server().call("POST", "/auth/refresh", json{{"refreshToken", invitee["refreshToken"]}});
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  auto claims = auth::TokenVerifier(server().signing_key().public_key())
                    .verify(refreshed.body_json()["accessToken"].get<std::string>());
  EXPECT_EQ(claims.restaurants, std::vector<std::string>{restaurant_});
}

TEST_P(AuthorizationMatrixTest, LastStaffMemberStaysUnlessAdminRemoves) {
  auto me = server().call("GET", "/users/me", std::nullopt, tokens_[kStaffHere]);
  std::string here_id = me.body_json()["id"];
  auto own = server().call("DELETE", expand("/restaurants/{R}/staff/") + here_id, std::nullopt,
                           tokens_[kStaffHere]);
  EXPECT_EQ(own.status, 409) << own.body;
  EXPECT_EQ(problem_code(own), "CONFLICT");
  auto by_admin = server().call("DELETE", expand("/restaurants/{R}/staff/") + here_id, std::nullopt,
                                tokens_[kAdmin]);
  EXPECT_EQ(by_admin.status, 204) << by_admin.body;
  auto after = server().call("PATCH", expand("/restaurants/{R}"), json{{"name", "Mine?"}},
                             tokens_[kStaffHere]);
  EXPECT_EQ(after.status, 403) << after.body;
}

TEST_P(AuthorizationMatrixTest, OnlyStoreAccountsJoinStaff) {
  auto response = server().call("POST", expand("/restaurants/{R}/staff"),
                                json{{"email", "customer@example.com"}}, tokens_[kStaffHere]);
  EXPECT_EQ(response.status, 400) << response.body;
  auto unknown = server().call("POST", expand("/restaurants/{R}/staff"),
                               json{{"email", "nobody@example.com"}}, tokens_[kStaffHere]);
  EXPECT_EQ(unknown.status, 404) << unknown.body;
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthorizationMatrixTest,
                         ::testing::ValuesIn(db::testing::all_backends()),
                         db::testing::backend_test_name);

}  // namespace
}  // namespace surplus::orders::testing
