#include "connection.hpp"

#include <gtest/gtest.h>

#include <surplus/auth/jwt.hpp>

#include "field_error.hpp"

namespace surplus::gateway {
namespace {

Json page_of(int count, Json next) {
  Json items = Json::array();
  for (int i = 0; i < count; ++i) {
    items.push_back({{"id", "item-" + std::to_string(i)}});
  }
  return {{"items", items}, {"nextCursor", next}};
}

std::string code_of(const Json& arguments) {
  try {
    page_request(arguments);
  } catch (const FieldFailure& failure) {
    return failure.code();
  }
  return "";
}

TEST(PageRequest, Defaults) {
  const PageRequest request = page_request(Json::object());
  EXPECT_EQ(request.first, 20u);
  EXPECT_FALSE(request.service_after);
  EXPECT_EQ(request.skip, 0u);
  EXPECT_EQ(request.query(), "first=20");
}

TEST(PageRequest, RejectsBadArguments) {
  EXPECT_EQ(code_of({{"first", 0}}), "BAD_USER_INPUT");
  EXPECT_EQ(code_of({{"first", 101}}), "BAD_USER_INPUT");
  EXPECT_EQ(code_of({{"after", "not a cursor"}}), "BAD_USER_INPUT");
  EXPECT_EQ(code_of({{"after", "eyJ4IjoxfQ"}}), "BAD_USER_INPUT");  // {"x":1}
  EXPECT_EQ(code_of({{"first", 100}}), "");
}

TEST(MakeConnection, LastEdgeCarriesServiceCursor) {
  const PageRequest request = page_request({{"first", 3}});
  const Json connection = make_connection(page_of(3, "service-next"), request);
  ASSERT_EQ(connection["edges"].size(), 3u);
  EXPECT_TRUE(connection["pageInfo"]["hasNextPage"].get<bool>());
  EXPECT_FALSE(connection["pageInfo"]["hasPreviousPage"].get<bool>());

  const PageRequest next = page_request({{"after", connection["pageInfo"]["endCursor"]}});
  EXPECT_EQ(next.service_after, "service-next");
  EXPECT_EQ(next.skip, 0u);
  EXPECT_EQ(next.query(), "first=20&after=service-next");
}

TEST(MakeConnection, MiddleEdgeSkipsInItsPage) {
  const PageRequest request = page_request({{"first", 3}});
  const Json connection = make_connection(page_of(3, nullptr), request);
  EXPECT_FALSE(connection["pageInfo"]["hasNextPage"].get<bool>());

  const PageRequest after_first =
      page_request({{"after", connection["edges"][0]["cursor"]}, {"first", 2}});
  EXPECT_FALSE(after_first.service_after);
  EXPECT_EQ(after_first.skip, 1u);
  EXPECT_EQ(after_first.query(), "first=3");

  const Json rest = make_connection(page_of(3, nullptr), after_first);
  ASSERT_EQ(rest["edges"].size(), 2u);
  EXPECT_EQ(rest["edges"][0]["node"]["id"], "item-1");
  EXPECT_EQ(rest["edges"][1]["node"]["id"], "item-2");
  EXPECT_TRUE(rest["pageInfo"]["hasPreviousPage"].get<bool>());
}

// Clients keep cursors between requests, so their text must stay the same.
TEST(MakeConnection, CursorTextIsStable) {
  const Json connection =
      make_connection(page_of(2, "next \"page\""), page_request(Json::object()));
  const auto first = auth::base64url_decode(connection["edges"][0]["cursor"].get<std::string>());
  const auto last = auth::base64url_decode(connection["edges"][1]["cursor"].get<std::string>());
  ASSERT_TRUE(first);
  ASSERT_TRUE(last);
  EXPECT_EQ(*first, R"({"a":null,"s":1})");
  EXPECT_EQ(*last, R"({"a":"next \"page\"","s":0})");
}

TEST(MakeConnection, EmptyPage) {
  const Json connection = make_connection(page_of(0, nullptr), page_request(Json::object()));
  EXPECT_TRUE(connection["edges"].empty());
  EXPECT_TRUE(connection["pageInfo"]["endCursor"].is_null());
  EXPECT_TRUE(connection["pageInfo"]["startCursor"].is_null());
  EXPECT_FALSE(connection["pageInfo"]["hasNextPage"].get<bool>());
}

TEST(MakeConnection, ConvertsNodes) {
  const Json connection =
      make_connection(page_of(1, nullptr), page_request(Json::object()), [](const Json& item) {
        return Json{{"name", item["id"]}};
      });
  EXPECT_EQ(connection["edges"][0]["node"], (Json{{"name", "item-0"}}));
}

}  // namespace
}  // namespace surplus::gateway
