#include "service_json.hpp"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace surplus::gateway {
namespace {

// Every kind of value, nesting in both directions, escapes and numbers at their limits:
// the tree must equal the one Json::parse builds, member order included.
TEST(ServiceJson, MatchesJsonParse) {
  const std::string texts[] = {
      R"({"items":[{"id":"o1","price":{"amount":300,"currency":"EUR"},"tags":["a","b"]},)"
      R"({"id":"o2","price":{"amount":-1,"currency":"EUR"},"tags":[]}],"next":null})",
      R"([1, -2, 3.5, 1e3, 18446744073709551615, -9223372036854775808, true, false, null])",
      R"({"text":"quote \" backslash \\ tab \t line \n \u00e9 \ud83d\ude00","empty":{}})",
      R"([[[[]]], {"a":{"b":{"c":[{"d":[1,{"e":2}]}]}}}, "tail"])",
      R"("just a string")",
      "42",
      R"({"z":1,"a":2,"m":3})",
  };
  for (const auto& text : texts) {
    const Json expected = Json::parse(text);
    const Json parsed = parse_service_json(text);
    EXPECT_EQ(parsed, expected) << text;
    EXPECT_EQ(parsed.dump(), expected.dump()) << text;
  }
}

TEST(ServiceJson, InvalidTextIsRejected) {
  for (const std::string text : {"", "{", R"({"a":})", "[1,]", R"({"a" 1})", "nul", "[1] 2"}) {
    EXPECT_THROW(parse_service_json(text), std::invalid_argument) << text;
  }
}

// Lookups find the first of two members with one name; Json::parse keeps the last.
TEST(ServiceJson, RepeatedNameKeepsBoth) {
  const Json parsed = parse_service_json(R"({"a":1,"a":2})");
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed.at("a"), 1);
}

}  // namespace
}  // namespace surplus::gateway
