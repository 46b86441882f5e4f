#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/error.hpp>
#include <surplus/core/money.hpp>
#include <surplus/core/utf8.hpp>

namespace surplus::orders {

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points above
// U+10FFFF).
using core::is_valid_utf8;

// The number of code points in well-formed UTF-8 `text`.
std::size_t utf8_length(std::string_view text);

// The longest prefix of well-formed UTF-8 `text` that has at most `max_bytes` bytes and
// ends on a code point boundary, for echoing client input in messages.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

// Lower-cases ASCII letters; e-mail keys and enum values are ASCII.
std::string ascii_lower(std::string_view text);

// Whether `email` is an address we accept. It has exactly one '@' and at most 254
// characters (RFC 5321, 4.5.3.1.3). The local part has 1-64 printable ASCII characters
// without spaces, quotes, brackets or commas. The domain has at least two dot-separated
// labels of letters, digits and hyphens, and the last label is letters only or an A-label
// ("xn--..."). Internationalised domains are accepted in their ASCII (A-label) form only.
bool is_valid_email(std::string_view email);

// Whether `text` contains a byte outside ASCII.
bool has_non_ascii(std::string_view text);

// Whether `name` looks like an IANA time zone ("UTC", "Europe/Berlin",
// "America/Argentina/Buenos_Aires"). Only the form is checked, because the zone database
// of the server may be missing or older than the client's.
bool is_valid_time_zone(std::string_view name);

// Whether `phone` is 3-32 characters of digits, spaces and + ( ) - / with at least three
// digits.
bool is_valid_phone(std::string_view phone);

// Limits of a text field. Lengths count code points.
struct TextRule {
  std::size_t min_length = 1;
  std::size_t max_length = 200;
  bool multiline = false;  // allows line feeds and tabs; other control characters never
  bool trim = true;        // strips leading and trailing spaces before checking
};

// Reads the fields of a JSON request object with their types and limits, collecting every
// problem so the client gets one VALIDATION_FAILED listing them all. Unknown fields are
// problems too, so a misspelt field name is not silently ignored.
//
//   FieldReader fields(request.json(), {"name", "category"});
//   auto name = fields.text("name", {.max_length = 120});
//   fields.finish();   // throws when anything was wrong
class FieldReader {
 public:
  // `body` must be a JSON object (otherwise finish() reports it); `known` lists the
  // accepted field names. The reader keeps its own copy of `body`.
  FieldReader(nlohmann::json body, std::initializer_list<std::string_view> known);

  bool has(std::string_view name) const;

  // A required text; returns "" after recording a problem.
  std::string text(std::string_view name, const TextRule& rule = {});
  // An optional text: nullopt when absent or null.
  std::optional<std::string> optional_text(std::string_view name, const TextRule& rule = {});
  // A required value from `allowed` (compared exactly).
  std::string one_of(std::string_view name, const std::vector<std::string_view>& allowed);
  std::optional<std::string> optional_one_of(std::string_view name,
                                             const std::vector<std::string_view>& allowed);
  // A finite number in [min, max].
  double number(std::string_view name, double min, double max);
  std::optional<double> optional_number(std::string_view name, double min, double max);
  std::optional<bool> optional_boolean(std::string_view name);
  // {"amount": minor units >= 0, "currency": ISO 4217}, reported as name.amount and
  // name.currency.
  core::Money money(std::string_view name, std::int64_t max_amount);
  std::optional<core::Money> optional_money(std::string_view name, std::int64_t max_amount);
  // An array of distinct values from `allowed`, at most `max_items`.
  std::optional<std::vector<std::string>> optional_tags(
      std::string_view name, const std::vector<std::string_view>& allowed, std::size_t max_items);

  // Records a problem found by the caller (e.g. a cross-field rule).
  void problem(std::string field, std::string message);
  // Whether a problem is recorded for `field`, so that later checks of the same field do
  // not add a second message about it.
  bool has_problem(std::string_view field) const;

  // Throws core::Error VALIDATION_FAILED with every recorded problem, if any.
  void finish() const;

 private:
  const nlohmann::json* find(std::string_view name) const;
  std::optional<std::string> read_text(std::string_view name, const nlohmann::json& value,
                                       const TextRule& rule);

  nlohmann::json body_;
  std::vector<std::pair<std::string, std::string>> problems_;
};

// Throws VALIDATION_FAILED naming `field` when `value` is not a UUID; ids in paths and
// queries are checked before they reach SQL.
void require_uuid(std::string_view field, std::string_view value);

}  // namespace surplus::orders
