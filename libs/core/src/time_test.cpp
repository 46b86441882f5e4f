#include <gtest/gtest.h>

#include <surplus/core/time.hpp>

namespace surplus::core {
namespace {

TEST(Rfc3339Test, FormatsUtcWithMilliseconds) {
  auto time = from_unix_micros(1'764'862'800'123'456);  // 2025-12-04T15:40:00.123456Z
  EXPECT_EQ(format_rfc3339(time), "2025-12-04T15:40:00.123Z");
}

TEST(Rfc3339Test, FormatsEdgesOfTheFourDigitYears) {
  struct Case {
    std::int64_t micros;
    const char* text;
  };
  const Case cases[] = {
      {0, "1970-01-01T00:00:00.000Z"},
      {-1, "1969-12-31T23:59:59.999Z"},
      {951'782'400'000'999, "2000-02-29T00:00:00.000Z"},
      {-62'167'219'200'000'000, "0000-01-01T00:00:00.000Z"},
      {253'402'300'799'999'000, "9999-12-31T23:59:59.999Z"},
      {253'402'300'800'000'000, "10000-01-01T00:00:00.000Z"},
      {-62'167'219'200'000'001, "-001-12-31T23:59:59.999Z"},
  };
  for (const auto& test_case : cases) {
    EXPECT_EQ(format_rfc3339(from_unix_micros(test_case.micros)), test_case.text)
        << test_case.micros;
  }
}

TEST(Rfc3339Test, ParsesZuluAndOffsets) {
  auto zulu = parse_rfc3339("2025-12-04T15:40:00Z");
  ASSERT_TRUE(zulu.has_value());
  EXPECT_EQ(to_unix_micros(*zulu), 1'764'862'800'000'000);

  auto offset = parse_rfc3339("2025-12-04T16:40:00+01:00");
  ASSERT_TRUE(offset.has_value());
  EXPECT_EQ(*offset, *zulu);

  auto negative = parse_rfc3339("2025-12-04T10:40:00-05:00");
  ASSERT_TRUE(negative.has_value());
  EXPECT_EQ(*negative, *zulu);
}

TEST(Rfc3339Test, ParsesFractionsToMicroseconds) {
  auto time = parse_rfc3339("2025-12-04T15:40:00.123456789Z");
  ASSERT_TRUE(time.has_value());
  EXPECT_EQ(to_unix_micros(*time), 1'764'862'800'123'456);
  auto short_fraction = parse_rfc3339("2025-12-04T15:40:00.5Z");
  ASSERT_TRUE(short_fraction.has_value());
  EXPECT_EQ(to_unix_micros(*short_fraction), 1'764'862'800'500'000);
}

TEST(Rfc3339Test, RejectsMalformed) {
  for (const char* text :
       {"", "2025-12-04", "2025-12-04 15:40:00Z", "2025-13-04T15:40:00Z", "2025-02-30T15:40:00Z",
        "2025-12-04T24:00:00Z", "2025-12-04T15:40:00", "2025-12-04T15:40:00.Z",
        "2025-12-04T15:40:00+0100", "2025-12-04T15:40:00Zjunk"}) {
    EXPECT_FALSE(parse_rfc3339(text).has_value()) << text;
  }
}

TEST(Rfc3339Test, RoundTripsAtMillisecondPrecision) {
  auto time = from_unix_micros(1'700'000'000'042'000);
  auto parsed = parse_rfc3339(format_rfc3339(time));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, time);
}

}  // namespace
}  // namespace surplus::core
