#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include <surplus/core/error.hpp>
#include <surplus/core/money.hpp>

namespace surplus::core {
namespace {

// Active ISO 4217 codes, sorted for binary search.
// NOTE: typed in from the 2023 list plus ZWG (2024); a newer code must be added here.
constexpr std::array<std::string_view, 156> kCurrencies{
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG", "ZWL"};

constexpr std::array<std::string_view, 16> kZeroDigit{"BIF", "CLP", "DJF", "GNF", "ISK", "JPY",
                                                      "KMF", "KRW", "PYG", "RWF", "UGX", "VND",
                                                      "VUV", "XAF", "XOF", "XPF"};
constexpr std::array<std::string_view, 7> kThreeDigit{"BHD", "IQD", "JOD", "KWD",
                                                      "LYD", "OMR", "TND"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& sorted, std::string_view code) {
  return std::binary_search(sorted.begin(), sorted.end(), code);
}

void require_same_currency(const Money& a, const Money& b) {
  if (a.currency != b.currency) {
    throw std::logic_error(fmt::format("cannot combine {} with {}", a.currency, b.currency));
  }
}

}  // namespace

bool is_iso4217(std::string_view code) {
  return contains(kCurrencies, code);
}

int minor_unit_digits(std::string_view code) {
  if (contains(kZeroDigit, code))
    return 0;
  if (contains(kThreeDigit, code))
    return 3;
  return 2;
}

Money add(const Money& a, const Money& b) {
  require_same_currency(a, b);
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a.amount, b.amount, &sum)) {
    throw std::overflow_error("money amount overflows 64 bits");
  }
  return Money{sum, a.currency};
}

Money multiply(const Money& unit, std::int64_t quantity) {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(unit.amount, quantity, &product)) {
    throw std::overflow_error("money amount overflows 64 bits");
  }
  return Money{product, unit.currency};
}

void to_json(nlohmann::json& json, const Money& money) {
  json = nlohmann::json{{"amount", money.amount}, {"currency", money.currency}};
}

void from_json(const nlohmann::json& json, Money& money) {
  if (!json.is_object()) {
    throw Error::validation("money",
                            "expected an object {\"amount\": integer, \"currency\": code}");
  }
  auto amount = json.find("amount");
  if (amount == json.end() || !amount->is_number_integer()) {
    throw Error::validation("amount", "expected a whole number of minor units, e.g. 450 for 4.50");
  }
  auto currency = json.find("currency");
  if (currency == json.end() || !currency->is_string() ||
      !is_iso4217(currency->get<std::string>())) {
    throw Error::validation("currency", "expected an ISO 4217 code such as EUR");
  }
  money.amount = amount->get<std::int64_t>();
  money.currency = currency->get<std::string>();
}

}  // namespace surplus::core
