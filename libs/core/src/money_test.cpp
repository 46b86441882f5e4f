#include <limits>

#include <gtest/gtest.h>

#include <surplus/core/error.hpp>
#include <surplus/core/money.hpp>

namespace surplus::core {
namespace {

TEST(CurrencyTest, KnowsActiveCodes) {
  EXPECT_TRUE(is_iso4217("EUR"));
  EXPECT_TRUE(is_iso4217("JPY"));
  EXPECT_FALSE(is_iso4217("eur"));
  EXPECT_FALSE(is_iso4217("XYZ"));
  EXPECT_FALSE(is_iso4217(""));
  EXPECT_EQ(minor_unit_digits("EUR"), 2);
  EXPECT_EQ(minor_unit_digits("JPY"), 0);
  EXPECT_EQ(minor_unit_digits("KWD"), 3);
}

TEST(MoneyTest, AddAndMultiply) {
  EXPECT_EQ(add({450, "EUR"}, {300, "EUR"}), (Money{750, "EUR"}));
  EXPECT_EQ(multiply({399, "EUR"}, 3), (Money{1197, "EUR"}));
}

TEST(MoneyTest, MixedCurrenciesThrow) {
  EXPECT_THROW(add({1, "EUR"}, {1, "USD"}), std::logic_error);
}

TEST(MoneyTest, OverflowThrows) {
  Money big{std::numeric_limits<std::int64_t>::max(), "EUR"};
  EXPECT_THROW(add(big, {1, "EUR"}), std::overflow_error);
  EXPECT_THROW(multiply(big, 2), std::overflow_error);
}

TEST(MoneyJsonTest, RoundTrips) {
  nlohmann::json json = Money{1250, "EUR"};
  EXPECT_EQ(json.dump(), R"({"amount":1250,"currency":"EUR"})");
  EXPECT_EQ(json.get<Money>(), (Money{1250, "EUR"}));
}

TEST(MoneyJsonTest, RejectsBadInputNamingField) {
  auto field_of = [](const nlohmann::json& json) {
    try {
      (void)json.get<Money>();
    } catch (const Error& error) {
      return error.fields()[0]["field"].get<std::string>();
    }
    return std::string("no error");
  };
  EXPECT_EQ(field_of(R"({"amount": 4.5, "currency": "EUR"})"_json), "amount");
  EXPECT_EQ(field_of(R"({"amount": "450", "currency": "EUR"})"_json), "amount");
  EXPECT_EQ(field_of(R"({"amount": 450, "currency": "euro"})"_json), "currency");
  EXPECT_EQ(field_of(R"({"amount": 450})"_json), "currency");
  EXPECT_EQ(field_of(R"(450)"_json), "money");
}

}  // namespace
}  // namespace surplus::core
