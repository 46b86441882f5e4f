#include <map>

#include <gtest/gtest.h>

#include <surplus/core/config.hpp>

namespace surplus::core {
namespace {

using namespace std::chrono_literals;

EnvReader reader_with(std::map<std::string, std::string> values) {
  return EnvReader([values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end())
      return std::nullopt;
    return it->second;
  });
}

TEST(EnvReaderTest, UnsetAndEmptyUseDefault) {
  auto env = reader_with({{"EMPTY", ""}});
  EXPECT_EQ(env.string("MISSING", "fallback"), "fallback");
  EXPECT_EQ(env.string("EMPTY", "fallback"), "fallback");
  EXPECT_EQ(env.port("PORT", 4001), 4001);
}

TEST(EnvReaderTest, ParsesTypedValues) {
  auto env = reader_with({{"PORT", "8080"},
                          {"WORKERS", "12"},
                          {"DEBUG", "yes"},
                          {"TIMEOUT", "250ms"},
                          {"IDLE", "2m"},
                          {"BODY", "4MiB"}});
  EXPECT_EQ(env.port("PORT", 1), 8080);
  EXPECT_EQ(env.integer("WORKERS", 1, 1, 64), 12);
  EXPECT_TRUE(env.boolean("DEBUG", false));
  EXPECT_EQ(env.duration("TIMEOUT", 1s), 250ms);
  EXPECT_EQ(env.duration("IDLE", 1s), 120s);
  EXPECT_EQ(env.byte_size("BODY", 0), 4 * 1024 * 1024);
}

TEST(EnvReaderTest, MalformedValueNamesVariableAndForm) {
  auto env = reader_with({{"PORT", "80a"}, {"WORKERS", "0"}, {"DEBUG", "maybe"}, {"T", "5 sec"}});
  try {
    env.port("PORT", 1);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.variable(), "PORT");
    EXPECT_EQ(std::string(error.what()),
              "PORT='80a' is invalid: expected a whole number from 1 to 65535");
  }
  EXPECT_THROW(env.integer("WORKERS", 1, 1, 64), ConfigError);
  EXPECT_THROW(env.boolean("DEBUG", false), ConfigError);
  EXPECT_THROW(env.duration("T", 1s), ConfigError);
}

TEST(EnvReaderTest, PortOutOfRangeRejected) {
  auto env = reader_with({{"HIGH", "65536"}, {"ZERO", "0"}, {"NEGATIVE", "-1"}});
  EXPECT_THROW(env.port("HIGH", 1), ConfigError);
  EXPECT_THROW(env.port("ZERO", 1), ConfigError);
  EXPECT_THROW(env.port("NEGATIVE", 1), ConfigError);
}

TEST(EnvReaderTest, RequiredStringMissing) {
  auto env = reader_with({});
  try {
    env.required_string("SERVICE_SECRET");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.variable(), "SERVICE_SECRET");
    EXPECT_NE(std::string(error.what()).find("SERVICE_SECRET is not set"), std::string::npos);
  }
}

TEST(ParseDurationTest, RejectsMissingUnitAndOverflow) {
  EXPECT_FALSE(parse_duration("30").has_value());
  EXPECT_FALSE(parse_duration("s").has_value());
  EXPECT_FALSE(parse_duration("99999999999999999999h").has_value());
  EXPECT_EQ(parse_duration("1h"), std::chrono::milliseconds(3'600'000));
}

TEST(ParseByteSizeTest, AcceptsUnits) {
  EXPECT_EQ(parse_byte_size("512"), 512);
  EXPECT_EQ(parse_byte_size("64KiB"), 65536);
  EXPECT_EQ(parse_byte_size("1GiB"), std::int64_t{1} << 30);
  EXPECT_FALSE(parse_byte_size("1KB").has_value());
  EXPECT_FALSE(parse_byte_size("-1").has_value());
}

}  // namespace
}  // namespace surplus::core
