#include <utility>

#include <gtest/gtest.h>

#include <surplus/core/error.hpp>

namespace surplus::core {
namespace {

TEST(ErrorTest, CodesMapToNamesAndStatuses) {
  EXPECT_EQ(error_code_name(ErrorCode::kValidationFailed), "VALIDATION_FAILED");
  EXPECT_EQ(error_code_status(ErrorCode::kValidationFailed), 400);
  EXPECT_EQ(error_code_name(ErrorCode::kSoldOut), "SOLD_OUT");
  EXPECT_EQ(error_code_status(ErrorCode::kSoldOut), 409);
  EXPECT_EQ(error_code_status(ErrorCode::kRateLimited), 429);
  EXPECT_EQ(error_code_status(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(error_code_from_name("NOT_FOUND"), ErrorCode::kNotFound);
  EXPECT_FALSE(error_code_from_name("NO_SUCH_CODE").has_value());
}

TEST(ErrorTest, EveryCodeRoundTripsThroughItsName) {
  for (int i = 0; i <= static_cast<int>(ErrorCode::kTimeout); ++i) {
    auto code = static_cast<ErrorCode>(i);
    EXPECT_EQ(error_code_from_name(error_code_name(code)), code) << i;
  }
}

TEST(ErrorTest, OfferCodesMapToNamesAndStatuses) {
  for (auto [code, name] :
       {std::pair{ErrorCode::kLimitExceeded, "LIMIT_EXCEEDED"},
        std::pair{ErrorCode::kOfferNotActive, "OFFER_NOT_ACTIVE"},
        std::pair{ErrorCode::kInsufficientInventory, "INSUFFICIENT_INVENTORY"}}) {
    EXPECT_EQ(error_code_name(code), name);
    EXPECT_EQ(error_code_status(code), 409) << name;
    EXPECT_EQ(error_code_from_name(name), code) << name;
  }
}

TEST(ErrorTest, InternalKeepsDetailOutOfMessage) {
  auto error = Error::internal("SQLSTATE 23505 on orders_pkey");
  EXPECT_EQ(error.code(), ErrorCode::kInternal);
  EXPECT_EQ(error.message(), "an internal error occurred");
  EXPECT_EQ(error.detail(), "SQLSTATE 23505 on orders_pkey");
  EXPECT_STREQ(error.what(), "an internal error occurred");
}

TEST(ErrorTest, ValidationCollectsFields) {
  auto error = Error::validation("email", "expected an e-mail address");
  error.with_field("password", "must have at least 10 characters");
  ASSERT_EQ(error.fields().size(), 2u);
  EXPECT_EQ(error.fields()[0]["field"], "email");
  EXPECT_EQ(error.fields()[1]["field"], "password");
  EXPECT_EQ(error.http_status(), 400);
}

TEST(ErrorTest, RetryAfterIsKept) {
  Error error(ErrorCode::kRateLimited, "too many failed logins");
  EXPECT_FALSE(error.retry_after().has_value());
  error.with_retry_after(std::chrono::seconds(30));
  EXPECT_EQ(error.retry_after(), std::chrono::seconds(30));
}

}  // namespace
}  // namespace surplus::core
