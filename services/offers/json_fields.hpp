#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/error.hpp>
#include <surplus/core/geo.hpp>
#include <surplus/core/money.hpp>
#include <surplus/core/time.hpp>

namespace surplus::offers {

// Reads the members of a JSON request object, collecting every problem so that the client
// gets one VALIDATION_FAILED that lists them all. Each accessor returns nullopt when the
// member is absent, null or invalid; `required` members also record "is required" when
// absent. Members not listed in `known` are problems too, so a misspelt name is not
// silently ignored.
class FieldReader {
 public:
  FieldReader(const nlohmann::json& body, std::initializer_list<std::string_view> known);

  bool has(std::string_view name) const;

  // Text of 1 to `max_length` bytes after trimming spaces; `multiline` allows line feeds
  // and tabs, other control characters are never allowed.
  std::optional<std::string> text(std::string_view name, bool required, std::size_t max_length,
                                  bool multiline = false);
  // A lower-case token of [a-z0-9-] with 1 to 40 characters (categories, dietary tags).
  std::optional<std::string> token(std::string_view name, bool required);
  // A list of distinct tokens, at most `max_items`.
  std::optional<std::vector<std::string>> tokens(std::string_view name, std::size_t max_items);
  // A canonical UUID (ids from other services).
  std::optional<std::string> uuid(std::string_view name, bool required);
  std::optional<std::int64_t> integer(std::string_view name, bool required, std::int64_t min,
                                      std::int64_t max);
  // A finite number in [min, max].
  std::optional<double> number(std::string_view name, bool required, double min, double max);
  std::optional<bool> boolean(std::string_view name);
  std::optional<core::Money> money(std::string_view name, bool required);
  std::optional<core::Timestamp> timestamp(std::string_view name, bool required);
  // An ISO 8601 calendar date "YYYY-MM-DD".
  std::optional<std::string> date(std::string_view name, bool required);
  // {"latitude": -90..90, "longitude": -180..180}.
  std::optional<core::GeoPoint> point(std::string_view name, bool required);
  // A nested object, returned as is for a second FieldReader.
  std::optional<nlohmann::json> object(std::string_view name, bool required);
  // One of `allowed`, compared exactly.
  std::optional<std::string> one_of(std::string_view name, bool required,
                                    std::initializer_list<std::string_view> allowed);

  // Records a problem found by the caller (a rule across fields).
  void fail(std::string_view name, std::string message);
  bool ok() const { return error_.fields().empty(); }
  // Throws the collected VALIDATION_FAILED when any problem was recorded.
  void finish() const;

 private:
  const nlohmann::json* member(std::string_view name, bool required);

  nlohmann::json body_;  // a copy, so a temporary such as request.json() may be passed
  core::Error error_;
};

// Whether `text` is a token as FieldReader::token accepts it.
bool is_token(std::string_view text);

// Whether `text` is an ISO 8601 calendar date "YYYY-MM-DD" that exists.
bool is_calendar_date(std::string_view text);

}  // namespace surplus::offers
