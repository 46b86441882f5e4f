#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace surplus::core {

// A UTC instant with microsecond precision, the resolution both databases store.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

Timestamp now();

// Formats as RFC 3339 in UTC with milliseconds, e.g. 2026-12-04T15:40:00.123Z.
std::string format_rfc3339(Timestamp time);

// Parses an RFC 3339 date-time ("2026-12-04T15:40:00Z", optional fraction of up to 9
// digits, "Z" or a "+hh:mm" offset); returns nullopt when the text is not one.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

// Microseconds since the Unix epoch, the form stored in database columns.
std::int64_t to_unix_micros(Timestamp time);
Timestamp from_unix_micros(std::int64_t micros);

}  // namespace surplus::core
