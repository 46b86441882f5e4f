#include "service_json.hpp"

#include <cmath>
#include <cstdint>
#include <functional>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include <surplus/core/json_nesting.hpp>

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
  const std::string texts[] = {"",
                               "{",
                               R"({"a":})",
                               "[1,]",
                               R"({"a" 1})",
                               "nul",
                               "[1] 2",
                               "01",
                               "-",
                               "1.",
                               "1e",
                               "+1",
                               ".5",
                               R"({"a":1,})",
                               R"({1:2})",
                               "[1 2]",
                               R"("tab	inside")",
                               R"("\x")",
                               R"("\u12")",
                               R"("\ud83d")",
                               R"("\ude00")",
                               R"("\ud83d\u0041")",
                               "\"\xC3\"",
                               "\"\xC0\xAF\"",
                               "\"\xED\xA0\x80\"",
                               R"("unterminated)",
                               "1e400",
                               "[-1e999]",
                               "tru",
                               "nulls"};
  for (const auto& text : texts) {
    EXPECT_THROW(parse_service_json(text), std::invalid_argument) << text;
    // The reference parser rejects each of them too, so none is a matter of taste.
    EXPECT_THROW(Json::parse(text).dump(), Json::exception) << text;
  }
}

TEST(ServiceJson, ErrorNamesTheByteAndTheFault) {
  try {
    parse_service_json(R"({"id":"o1","price":[1,2)");
    FAIL() << "no error";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(), "invalid JSON at byte 23: expected ',' or ']' in an array");
  }
}

TEST(ServiceJson, NestingIsLimited) {
  const std::size_t limit = core::kMaxJsonNesting;
  const std::string deepest = std::string(limit, '[') + std::string(limit, ']');
  EXPECT_EQ(parse_service_json(deepest).dump(), deepest);
  const std::string deeper = "[" + deepest + "]";
  EXPECT_THROW(parse_service_json(deeper), std::invalid_argument);
}

// Integers keep nlohmann's types: unsigned without a sign, signed with one, and a double
// once they leave 64 bits.
TEST(ServiceJson, NumbersKeepTheirKind) {
  EXPECT_TRUE(parse_service_json("42").is_number_unsigned());
  EXPECT_TRUE(parse_service_json("-42").is_number_integer());
  EXPECT_FALSE(parse_service_json("-42").is_number_unsigned());
  EXPECT_TRUE(parse_service_json("18446744073709551616").is_number_float());
  EXPECT_TRUE(parse_service_json("-9223372036854775809").is_number_float());
  EXPECT_TRUE(parse_service_json("1.0").is_number_float());
  EXPECT_EQ(parse_service_json("1e-400").get<double>(), 0.0);
  EXPECT_EQ(parse_service_json("0.1").get<double>(), 0.1);
  EXPECT_EQ(parse_service_json("-2.5E+3").get<double>(), -2500.0);
}

// Random documents of every kind of value, written by dump() with and without
// indentation: each must read back to the tree Json::parse builds.
TEST(ServiceJson, RandomDocumentsMatchJsonParse) {
  std::mt19937 random(20261205);
  // JSON string contents, escapes included, which Json::parse turns into text.
  const std::string pieces[] = {"id",    R"(caf\u00e9)",    R"(\u00e9t\u00e9)", R"(a\"b)",
                                R"(\\)", R"(\ud83c\udf5e)", R"(line\nbreak)",   R"(\u0001)",
                                "\u20ac"};
  const auto random_string = [&] {
    std::string text;
    for (int count = static_cast<int>(random() % 4); count > 0; --count) {
      text += pieces[random() % std::size(pieces)];
    }
    return Json::parse("\"" + text + "\"");
  };
  std::function<Json(int)> random_value = [&](int depth) -> Json {
    switch (depth > 4 ? random() % 5 : random() % 7) {
      case 0:
        return Json();
      case 1:
        return Json(random() % 2 == 0);
      case 2:
        return Json(static_cast<std::int64_t>(random()) - (1LL << 31));
      case 3:
        return Json(
            std::ldexp(static_cast<double>(random()), static_cast<int>(random() % 80) - 40));
      case 4:
        return random_string();
      case 5: {
        Json array = Json::array();
        for (int count = static_cast<int>(random() % 6); count > 0; --count) {
          array.push_back(random_value(depth + 1));
        }
        return array;
      }
      default: {
        Json object = Json::object();
        for (int count = static_cast<int>(random() % 6); count > 0; --count) {
          object[random_string().get<std::string>() + std::to_string(count)] =
              random_value(depth + 1);
        }
        return object;
      }
    }
  };
  for (int round = 0; round < 300; ++round) {
    const Json value = random_value(0);
    for (const std::string& text : {value.dump(), value.dump(2)}) {
      const Json parsed = parse_service_json(text);
      EXPECT_EQ(parsed, Json::parse(text)) << text;
      EXPECT_EQ(parsed.dump(), text.find('\n') == std::string::npos ? text : value.dump());
    }
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
