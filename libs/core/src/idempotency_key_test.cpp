#include <string>

#include <gtest/gtest.h>

#include <surplus/core/idempotency_key.hpp>

namespace surplus::core {
namespace {

TEST(IdempotencyKey, AcceptsPrintableAscii) {
  EXPECT_TRUE(is_idempotency_key("01a24635-a246-7002-95f4-15773766d5ea"));
  EXPECT_TRUE(is_idempotency_key("k"));
  EXPECT_TRUE(is_idempotency_key(std::string(200, 'k')));
  EXPECT_TRUE(is_idempotency_key("~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}"));
}

TEST(IdempotencyKey, RejectsEmptyLongAndControl) {
  EXPECT_FALSE(is_idempotency_key(""));
  EXPECT_FALSE(is_idempotency_key(std::string(201, 'k')));
  EXPECT_FALSE(is_idempotency_key(" leading"));
  EXPECT_FALSE(is_idempotency_key("in side"));
  EXPECT_FALSE(is_idempotency_key("tab\there"));
  EXPECT_FALSE(is_idempotency_key("k\r\nX-Injected: 1"));
  EXPECT_FALSE(is_idempotency_key(std::string("a\0b", 3)));
  EXPECT_FALSE(is_idempotency_key("del\x7F"));
  EXPECT_FALSE(is_idempotency_key("t\xC3\xA9"));
}

}  // namespace
}  // namespace surplus::core
