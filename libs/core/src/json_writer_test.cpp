#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <surplus/core/json_writer.hpp>

namespace surplus::core {
namespace {

std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST(JsonWriter, StringsMatchNlohmannDump) {
  const std::vector<std::string> texts = {
      "",
      "plain text 123",
      "quote \" and backslash \\",
      "tab\tnewline\ncarriage\rbell\x07",
      "delete \x7f",
      "Grüße 🍞 日本語",
      "invalid \xff\xfe utf-8",
      "truncated \xe2\x82",
      "overlong \xc0\xaf",
  };
  for (const auto& text : texts) {
    JsonWriter writer;
    writer.string(text);
    EXPECT_EQ(writer.text(), dump(text)) << text;
  }
}

TEST(JsonWriter, NumbersMatchNlohmannDump) {
  const std::vector<double> doubles = {0.0,       -0.0,  1.0,     0.1,    52.520008,
                                       13.404954, 1e300, -1e-300, 2.5e-7, 1234.5678};
  for (double number : doubles) {
    JsonWriter writer;
    writer.number(number);
    EXPECT_EQ(writer.text(), dump(number)) << number;
  }
  JsonWriter not_a_number;
  not_a_number.number(std::nan(""));
  EXPECT_EQ(not_a_number.text(), "null");

  const std::vector<std::int64_t> integers = {0, -1, 42, std::numeric_limits<std::int64_t>::min(),
                                              std::numeric_limits<std::int64_t>::max()};
  for (std::int64_t number : integers) {
    JsonWriter writer;
    writer.integer(number);
    EXPECT_EQ(writer.text(), dump(number)) << number;
  }
}

TEST(JsonWriter, NestingMatchesNlohmannDump) {
  nlohmann::json expected = {
      {"a", nlohmann::json::array()},
      {"b", nlohmann::json::object()},
      {"c", {1, "two", nullptr, {{"d", 4.5}}}},
      {"e", {{"f", {{"g", nullptr}}}, {"h", "x"}}},
      {"i", {{"j", true}}},
  };

  JsonWriter writer;
  writer.begin_object();
  writer.key("a");
  writer.begin_array();
  writer.end_array();
  writer.key("b");
  writer.begin_object();
  writer.end_object();
  writer.key("c");
  writer.begin_array();
  writer.integer(1);
  writer.string("two");
  writer.null();
  writer.begin_object();
  writer.key("d");
  writer.number(4.5);
  writer.end_object();
  writer.end_array();
  writer.key("e");
  writer.begin_object();
  writer.key("f");
  writer.begin_object();
  writer.key("g");
  writer.null();
  writer.end_object();
  writer.key("h");
  writer.string("x");
  writer.end_object();
  writer.key("i");
  writer.json_value({{"j", true}});
  writer.end_object();

  EXPECT_EQ(writer.text(), dump(expected));
  EXPECT_EQ(writer.take(), dump(expected));
}

}  // namespace
}  // namespace surplus::core
