#include <algorithm>

#include <gtest/gtest.h>

#include <surplus/core/config.hpp>
#include <surplus/core/log.hpp>

namespace surplus::core {
namespace {

TEST(RedactUrlTest, HidesPasswordInUrl) {
  EXPECT_EQ(redact_url("postgres://app:s3cret@127.0.0.1:5432/orders"),
            "postgres://app:***@127.0.0.1:5432/orders");
}

TEST(RedactUrlTest, LeavesUrlWithoutPasswordAlone) {
  EXPECT_EQ(redact_url("postgres://app@localhost/orders"), "postgres://app@localhost/orders");
  EXPECT_EQ(redact_url("sqlite:///var/orders.db"), "sqlite:///var/orders.db");
}

TEST(RedactUrlTest, HidesKeywordPassword) {
  EXPECT_EQ(redact_url("host=/tmp dbname=x password=hunter2 user=y"),
            "host=/tmp dbname=x password=*** user=y");
  EXPECT_EQ(redact_url("postgres://u@h/db?password=abc&sslmode=disable"),
            "postgres://u@h/db?password=***&sslmode=disable");
}

TEST(ScopedRequestIdTest, RestoresPreviousId) {
  EXPECT_EQ(current_request_id(), "-");
  {
    ScopedRequestId outer("outer");
    EXPECT_EQ(current_request_id(), "outer");
    {
      ScopedRequestId inner("inner");
      EXPECT_EQ(current_request_id(), "inner");
    }
    EXPECT_EQ(current_request_id(), "outer");
  }
  EXPECT_EQ(current_request_id(), "-");
}

TEST(EscapeControlCharactersTest, EscapesLineBreaksNulAndDelete) {
  EXPECT_EQ(escape_control_characters("GET /offers/x\n2026 E fake"),
            "GET /offers/x\\x0a2026 E fake");
  EXPECT_EQ(escape_control_characters(std::string("a\0b\r\t\x7f", 6)), "a\\x00b\\x0d\\x09\\x7f");
  EXPECT_EQ(escape_control_characters("Bäckerei \\ ok"), "Bäckerei \\ ok");
  EXPECT_EQ(escape_control_characters(""), "");
}

TEST(InitLoggingTest, WritesOneLinePerEvent) {
  testing::internal::CaptureStderr();
  init_logging("test", "info");
  spdlog::info("path {}", "/x\n2026-12-05T05:50:00.000Z E offers req=- forged");
  spdlog::default_logger()->flush();
  const std::string written = testing::internal::GetCapturedStderr();
  EXPECT_EQ(std::count(written.begin(), written.end(), '\n'), 1) << written;
  EXPECT_NE(written.find("I test req=- path /x\\x0a2026-12-05T05:50:00.000Z E offers"),
            std::string::npos)
      << written;
}

TEST(InitLoggingTest, RejectsUnknownLevel) {
  EXPECT_THROW(init_logging("test", "loud"), ConfigError);
  EXPECT_NO_THROW(init_logging("test", "warn"));
  EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::warn);
  EXPECT_EQ(spdlog::default_logger()->name(), "test");
}

}  // namespace
}  // namespace surplus::core
