#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace surplus::core {

// An amount in the currency's minor unit (cents for EUR, yen for JPY) and its ISO 4217
// code. Arithmetic across currencies is a programming error and throws.
struct Money {
  std::int64_t amount = 0;
  std::string currency;

  friend bool operator==(const Money&, const Money&) = default;
};

// Whether `code` is an active ISO 4217 currency code (upper case, three letters).
bool is_iso4217(std::string_view code);

// The number of decimal places of the currency's minor unit (2 for EUR, 0 for JPY,
// 3 for KWD); 2 for a code this table does not list.
int minor_unit_digits(std::string_view code);

Money add(const Money& a, const Money& b);
Money multiply(const Money& unit, std::int64_t quantity);

void to_json(nlohmann::json& json, const Money& money);
// Throws core::Error (VALIDATION_FAILED naming `amount` or `currency`) on bad input.
void from_json(const nlohmann::json& json, Money& money);

}  // namespace surplus::core
