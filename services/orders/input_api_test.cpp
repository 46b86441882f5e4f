// Hostile and malformed input through the HTTP API.
#include <string>

#include <gtest/gtest.h>

#include "test_server.hpp"

namespace surplus::orders::testing {
namespace {

using nlohmann::json;

// Whether a VALIDATION_FAILED response lists `field`.
bool lists_field(const http::Response& response, const std::string& field) {
  auto body = json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("errors")) {
    return false;
  }
  for (const auto& error : body["errors"]) {
    if (error["field"] == field) {
      return true;
    }
  }
  return false;
}

class InputApiTest : public OrdersApiTest {
 protected:
  void SetUp() override {
    OrdersApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    store_ = server().register_user("store@example.com", "STORE")["accessToken"];
    restaurant_ = server().create_restaurant(store_, "Input Bakery")["id"];
  }

  json valid_restaurant() const {
    return {{"name", "Bakery"},           {"category", "bakery"}, {"address", "Street 1"},
            {"latitude", 52.5},           {"longitude", 13.4},    {"phone", "+49 30 123456"},
            {"timeZone", "Europe/Berlin"}};
  }

  json valid_product() const {
    return {{"name", "Loaf"},
            {"category", "bread"},
            {"dietaryTags", {"vegan"}},
            {"price", {{"amount", 450}, {"currency", "EUR"}}}};
  }

  http::Response post_restaurant(const json& body) {
    return server().call("POST", "/restaurants", body, store_);
  }

  http::Response post_product(const json& body) {
    return server().call("POST", "/restaurants/" + restaurant_ + "/products", body, store_);
  }

  std::string store_;
  std::string restaurant_;
};

TEST_P(InputApiTest, InvalidEmailIsRejected) {
  for (const char* email :
       {"plain", "a@b", "a b@example.com", "@example.com", "ana@example..com"}) {
    auto response =
        server().call("POST", "/auth/register",
                      json{{"email", email}, {"password", "long enough pw"}, {"displayName", "X"}});
    EXPECT_EQ(response.status, 400) << email;
    EXPECT_EQ(problem_code(response), "VALIDATION_FAILED") << email;
    EXPECT_TRUE(lists_field(response, "email")) << email << ": " << response.body;
  }
}

TEST_P(InputApiTest, InternationalDomainNeedsAsciiForm) {
  auto unicode = server().call(
      "POST", "/auth/register",
      json{{"email", "ana@bäckerei.de"}, {"password", "long enough pw"}, {"displayName", "Ana"}});
  EXPECT_EQ(unicode.status, 400);
  EXPECT_EQ(problem_code(unicode), "VALIDATION_FAILED");
  EXPECT_NE(unicode.body.find("xn--bckerei-5wa.de"), std::string::npos) << unicode.body;

  auto ascii = server().call("POST", "/auth/register",
                             json{{"email", "ana@xn--bckerei-5wa.de"},
                                  {"password", "long enough pw"},
                                  {"displayName", "Ana"}});
  EXPECT_EQ(ascii.status, 201) << ascii.body;
}

TEST_P(InputApiTest, CoordinatesOutOfRangeAreRejected) {
  const std::pair<const char*, json> cases[] = {
      {"latitude", 90.0001}, {"latitude", -91},    {"longitude", 180.5},
      {"longitude", -181},   {"latitude", "52.5"}, {"longitude", nullptr},
  };
  for (const auto& [field, value] : cases) {
    auto body = valid_restaurant();
    body[field] = value;
    auto response = post_restaurant(body);
    EXPECT_EQ(response.status, 400) << field << "=" << value.dump();
    EXPECT_TRUE(lists_field(response, field)) << response.body;
  }
  for (const char* target :
       {"/restaurants?latitude=91&longitude=13", "/restaurants?latitude=52&longitude=200",
        "/restaurants?latitude=52", "/restaurants?latitude=nan&longitude=1",
        "/restaurants?latitude=52&longitude=13&radiusKm=51",
        "/restaurants?latitude=52&longitude=13&radiusKm=-1",
        "/restaurants?latitude=1e999&longitude=13"}) {
    auto response = server().call("GET", target);
    EXPECT_EQ(response.status, 400) << target << ": " << response.body;
    EXPECT_EQ(problem_code(response), "VALIDATION_FAILED") << target;
  }
  auto edge = valid_restaurant();
  edge["latitude"] = 90;
  edge["longitude"] = -180;
  EXPECT_EQ(post_restaurant(edge).status, 201);
}

TEST_P(InputApiTest, PriceMustBeNonNegativeInAKnownCurrency) {
  const std::pair<json, const char*> cases[] = {
      {json{{"amount", -1}, {"currency", "EUR"}}, "price.amount"},
      {json{{"amount", 4.5}, {"currency", "EUR"}}, "price.amount"},
      {json{{"amount", 100}, {"currency", "XXY"}}, "price.currency"},
      {json{{"amount", 100}, {"currency", "eur"}}, "price.currency"},
      {json{{"amount", 100}}, "price.currency"},
      {json{{"amount", 1'000'000'001}, {"currency", "EUR"}}, "price.amount"},
      {json(450), "price"},
  };
  for (const auto& [price, field] : cases) {
    auto body = valid_product();
    body["price"] = price;
    auto response = post_product(body);
    EXPECT_EQ(response.status, 400) << price.dump();
    EXPECT_TRUE(lists_field(response, field)) << price.dump() << ": " << response.body;
  }
  auto free = valid_product();
  free["price"] = {{"amount", 0}, {"currency", "JPY"}};
  EXPECT_EQ(post_product(free).status, 201);

  auto patch = server().call(
      "PATCH", "/products/" + post_product(valid_product()).body_json()["id"].get<std::string>(),
      json{{"price", {{"amount", -5}, {"currency", "EUR"}}}}, store_);
  EXPECT_EQ(patch.status, 400);
}

TEST_P(InputApiTest, OversizeStringsAreRejected) {
  auto longest = valid_restaurant();
  longest["name"] = std::string(120, 'n');
  EXPECT_EQ(post_restaurant(longest).status, 201);

  const std::pair<const char*, std::size_t> limits[] = {
      {"name", 121}, {"address", 301}, {"description", 2001}};
  for (const auto& [field, size] : limits) {
    auto body = valid_restaurant();
    body[field] = std::string(size, 'x');
    auto response = post_restaurant(body);
    EXPECT_EQ(response.status, 400) << field;
    EXPECT_TRUE(lists_field(response, field)) << response.body;
  }
  // Lengths count characters, not bytes: 120 two-byte characters fit.
  auto umlauts = valid_restaurant();
  std::string name;
  for (int i = 0; i < 120; ++i) {
    name += "ä";
  }
  umlauts["name"] = name;
  auto created = post_restaurant(umlauts);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body_json()["name"], name);

  auto huge = server().call("POST", "/auth/register",
                            json{{"email", "big@example.com"},
                                 {"password", std::string(2000, 'p')},
                                 {"displayName", "Big"}});
  EXPECT_EQ(huge.status, 400);
  auto empty_name = valid_restaurant();
  empty_name["name"] = "   ";
  EXPECT_TRUE(lists_field(post_restaurant(empty_name), "name"));
}

TEST_P(InputApiTest, InvalidUtf8IsRejected) {
  std::string body = R"({"name":"Bad )" + std::string("\xC3\x28") +
                     R"(","category":"bakery","address":"a","latitude":1,"longitude":1})";
  auto response = server().call_raw("POST", "/restaurants", body, "application/json", store_);
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(problem_code(response), "BAD_REQUEST");

  auto query = server().call("GET", "/restaurants?category=%FF%FE");
  EXPECT_EQ(query.status, 400);
  EXPECT_EQ(problem_code(query), "VALIDATION_FAILED");
}

// The decoded path goes into the problem's "instance"; its invalid UTF-8 once made the
// serialiser throw and the server drop the connection.
TEST_P(InputApiTest, InvalidUtf8PathIsNotFound) {
  auto path = server().call("GET", "/restaurants/%FF%FE");
  EXPECT_EQ(path.status, 404);
  EXPECT_EQ(problem_code(path), "NOT_FOUND");
}

TEST_P(InputApiTest, SqlMetacharactersAreStoredUnchanged) {
  const std::string nasty = "Robert'); DROP TABLE restaurants;-- \"quoted\" \\ % _ $1 ;";
  auto body = valid_restaurant();
  body["name"] = nasty;
  body["description"] = "line one\n' OR '1'='1";
  body["address"] = "Straße 1; DELETE FROM users";
  auto created = post_restaurant(body);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.body_json()["id"];

  auto read = server().call("GET", "/restaurants/" + id);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body_json()["name"], nasty);
  EXPECT_EQ(read.body_json()["description"], "line one\n' OR '1'='1");
  EXPECT_EQ(read.body_json()["address"], "Straße 1; DELETE FROM users");

  auto product = valid_product();
  product["name"] = nasty;
  auto created_product = post_product(product);
  ASSERT_EQ(created_product.status, 201);
  EXPECT_EQ(server()
                .call("GET", "/products/" + created_product.body_json()["id"].get<std::string>())
                .body_json()["name"],
            nasty);

  // The tables are still there and the e-mail lookup is not fooled.
  EXPECT_EQ(server().call("GET", "/restaurants").status, 200);
  auto login = server().call("POST", "/auth/login",
                             json{{"email", "store@example.com' OR '1'='1"}, {"password", "x"}});
  EXPECT_EQ(login.status, 401);
  auto ids = server().call(
      "GET", "/internal/restaurants?ids=1%27%20OR%20%271%27%3D%271", std::nullopt, std::nullopt,
      {{"X-Service-Secret", std::string(OrdersTestServer::kTestServiceSecret)}});
  EXPECT_EQ(ids.status, 400);
}

TEST_P(InputApiTest, BodyShapeErrors) {
  auto not_json = server().call_raw("POST", "/restaurants", "{name:", "application/json", store_);
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(problem_code(not_json), "BAD_REQUEST");

  auto wrong_type = server().call_raw("POST", "/restaurants", "{}", "text/plain", store_);
  EXPECT_EQ(wrong_type.status, 415);

  auto array = server().call("POST", "/restaurants", json::array({1, 2}), store_);
  EXPECT_EQ(array.status, 400);
  EXPECT_TRUE(lists_field(array, "body"));

  auto typo = valid_restaurant();
  typo["nmae"] = "x";
  auto unknown = post_restaurant(typo);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_TRUE(lists_field(unknown, "nmae"));

  auto bad_enum = valid_restaurant();
  bad_enum["category"] = "pub";
  bad_enum["timeZone"] = "Mars/Olympus Mons";
  bad_enum["phone"] = "call me";
  auto several = post_restaurant(bad_enum);
  EXPECT_TRUE(lists_field(several, "category"));
  EXPECT_TRUE(lists_field(several, "timeZone"));
  EXPECT_TRUE(lists_field(several, "phone"));

  auto tags = valid_product();
  tags["dietaryTags"] = {"vegan", "carnivore"};
  EXPECT_TRUE(lists_field(post_product(tags), "dietaryTags"));
}

TEST_P(InputApiTest, PaginationParametersAreChecked) {
  for (const char* target :
       {"/restaurants?first=0", "/restaurants?first=101", "/restaurants?first=ten",
        "/restaurants?after=not-a-cursor", "/restaurants?after=e30"}) {  // e30 is base64url of {}
    auto response = server().call("GET", target);
    EXPECT_EQ(response.status, 400) << target << ": " << response.body;
  }
}

TEST_P(InputApiTest, UnknownIdsAreNotFound) {
  for (const char* target :
       {"/restaurants/0193a5b0-0000-7000-8000-000000000000", "/restaurants/not-a-uuid",
        "/products/0193a5b0-0000-7000-8000-000000000000", "/nowhere"}) {
    auto response = server().call("GET", target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(problem_code(response), "NOT_FOUND") << target;
  }
  auto response = server().call("GET", "/restaurants/not-a-uuid");
  auto content_type = response.headers.get("Content-Type");
  ASSERT_TRUE(content_type);
  EXPECT_EQ(*content_type, "application/problem+json");
}

INSTANTIATE_TEST_SUITE_P(Backends, InputApiTest, ::testing::ValuesIn(db::testing::all_backends()),
                         db::testing::backend_test_name);

}  // namespace
}  // namespace surplus::orders::testing
