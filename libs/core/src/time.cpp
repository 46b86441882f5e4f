#include <charconv>

#include <fmt/format.h>

#include <surplus/core/time.hpp>

namespace surplus::core {
namespace {

using namespace std::chrono;

// Reads exactly `width` decimal digits at `pos`, advancing it.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t width) {
  if (pos + width > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  pos += width;
  return value;
}

// Writes the `width` lowest decimal digits of `value` (not negative) at `pos`.
void write_digits(std::string& text, std::size_t pos, std::size_t width, std::int64_t value) {
  for (std::size_t i = width; i > 0; --i) {
    text[pos + i - 1] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

bool expect_either(std::string_view text, std::size_t& pos, char upper, char lower) {
  return expect(text, pos, upper) || expect(text, pos, lower);
}

}  // namespace

Timestamp now() {
  return time_point_cast<microseconds>(system_clock::now());
}

std::string format_rfc3339(Timestamp time) {
  auto day = floor<days>(time);
  year_month_day ymd{day};
  hh_mm_ss hms{floor<milliseconds>(time - day)};
  const int year = int(ymd.year());
  if (year < 0 || year > 9999) {
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", year, unsigned(ymd.month()),
                       unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(),
                       hms.seconds().count(), hms.subseconds().count());
  }
  // Years 0-9999 are written without fmt, because services format several timestamps per
  // item of a response.
  std::string text = "0000-00-00T00:00:00.000Z";
  write_digits(text, 0, 4, year);
  write_digits(text, 5, 2, unsigned(ymd.month()));
  write_digits(text, 8, 2, unsigned(ymd.day()));
  write_digits(text, 11, 2, hms.hours().count());
  write_digits(text, 14, 2, hms.minutes().count());
  write_digits(text, 17, 2, hms.seconds().count());
  write_digits(text, 20, 3, hms.subseconds().count());
  return text;
}

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
  std::size_t pos = 0;
  auto y = read_digits(text, pos, 4);
  if (!y || !expect(text, pos, '-'))
    return std::nullopt;
  auto mo = read_digits(text, pos, 2);
  if (!mo || !expect(text, pos, '-'))
    return std::nullopt;
  auto d = read_digits(text, pos, 2);
  if (!d || !expect_either(text, pos, 'T', 't'))
    return std::nullopt;
  auto h = read_digits(text, pos, 2);
  if (!h || !expect(text, pos, ':'))
    return std::nullopt;
  auto mi = read_digits(text, pos, 2);
  if (!mi || !expect(text, pos, ':'))
    return std::nullopt;
  auto s = read_digits(text, pos, 2);
  if (!s)
    return std::nullopt;

  std::int64_t micros = 0;
  if (expect(text, pos, '.')) {
    std::size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) {
        micros = micros * 10 + (text[pos] - '0');
      }
      ++digits;
      ++pos;
    }
    if (digits == 0 || digits > 9)
      return std::nullopt;
    for (std::size_t i = digits; i < 6; ++i)
      micros *= 10;
  }

  int offset_minutes = 0;
  if (!expect_either(text, pos, 'Z', 'z')) {
    int sign = 0;
    if (expect(text, pos, '+')) {
      sign = 1;
    } else if (expect(text, pos, '-')) {
      sign = -1;
    } else {
      return std::nullopt;
    }
    auto oh = read_digits(text, pos, 2);
    if (!oh || !expect(text, pos, ':'))
      return std::nullopt;
    auto om = read_digits(text, pos, 2);
    if (!om || *oh > 23 || *om > 59)
      return std::nullopt;
    offset_minutes = sign * (*oh * 60 + *om);
  }
  if (pos != text.size())
    return std::nullopt;

  year_month_day ymd{year{*y}, month{unsigned(*mo)}, day{unsigned(*d)}};
  // A leap second (60) is accepted as RFC 3339 allows and folded into the next second.
  if (!ymd.ok() || *h > 23 || *mi > 59 || *s > 60)
    return std::nullopt;
  auto local = sys_days{ymd} + hours{*h} + minutes{*mi} + seconds{*s} + microseconds{micros};
  return Timestamp{local - minutes{offset_minutes}};
}

std::int64_t to_unix_micros(Timestamp time) {
  return time.time_since_epoch().count();
}

Timestamp from_unix_micros(std::int64_t micros) {
  return Timestamp{microseconds{micros}};
}

}  // namespace surplus::core
