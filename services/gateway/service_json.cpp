#include "service_json.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <surplus/core/json_nesting.hpp>
#include <surplus/core/utf8.hpp>

namespace surplus::gateway {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Whether `c` ends a run of bytes that a string takes unchanged. Such a byte is the closing
// quote, an escape, a control character (invalid unless escaped) or the start of a
// multi-byte UTF-8 sequence. The sequence is checked before it is copied.
bool ends_plain_run(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return c == '"' || c == '\\' || byte < 0x20 || byte >= 0x80;
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// A recursive descent reader of RFC 8259 JSON. Each container is built after its last
// member is read. Until then, members wait in a scratch stack shared by all open
// containers. The finished object or array reserves exactly their number and moves them in.
// Growing an `ordered_json` object one member at a time would copy every member's subtree
// whenever its vector grows. The members' `const std::string` names make their move
// constructor potentially throwing, so the vector copies instead of moving.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  Json document() {
    skip_blanks();
    Json result = value(0);
    skip_blanks();
    if (at_ != text_.size()) {
      fail("unexpected text after the value");
    }
    return result;
  }

 private:
  Json value(std::size_t depth) {
    if (at_ == text_.size()) {
      fail("unexpected end of input, expected a value");
    }
    switch (text_[at_]) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return Json(string());
      case 't':
        literal("true");
        return Json(true);
      case 'f':
        literal("false");
        return Json(false);
      case 'n':
        literal("null");
        return Json();
      default:
        return number();
    }
  }

  Json object(std::size_t depth) {
    check_depth(depth);
    ++at_;  // '{'
    skip_blanks();
    Json result(Json::value_t::object);
    if (consume('}')) {
      return result;
    }
    const std::size_t first = members_.size();
    for (;;) {
      if (at_ == text_.size() || text_[at_] != '"') {
        fail("expected a member name in double quotes");
      }
      std::string name = string();
      skip_blanks();
      if (!consume(':')) {
        fail("expected ':' after a member name");
      }

      skip_blanks();
      Json member = value(depth);
      members_.emplace_back(std::move(name), std::move(member));

      skip_blanks();
      if (consume(',')) {
        skip_blanks();
        continue;
      }
      if (consume('}')) {
        break;
      }
      fail("expected ',' or '}' in an object");
    }

    auto& target = result.get_ref<Json::object_t&>();
    target.reserve(members_.size() - first);
    for (std::size_t index = first; index < members_.size(); ++index) {
      target.emplace_back(std::move(members_[index].first), std::move(members_[index].second));
    }
    members_.resize(first);
    return result;
  }

  Json array(std::size_t depth) {
    check_depth(depth);
    ++at_;  // '['
    skip_blanks();
    Json result(Json::value_t::array);
    if (consume(']')) {
      return result;
    }
    const std::size_t first = items_.size();
    for (;;) {
      Json item = value(depth);
      items_.push_back(std::move(item));
      skip_blanks();
      if (consume(',')) {
        skip_blanks();
        continue;
      }
      if (consume(']')) {
        break;
      }
      fail("expected ',' or ']' in an array");
    }
    const auto begin = items_.begin() + static_cast<std::ptrdiff_t>(first);
    result.get_ref<Json::array_t&>().assign(std::make_move_iterator(begin),
                                            std::make_move_iterator(items_.end()));
    items_.erase(begin, items_.end());
    return result;
  }

  // Reads a string whose opening quote is at `at_`, up to and including its closing quote.
  std::string string() {
    ++at_;  // '"'
    std::string out;
    for (;;) {
      const std::size_t run = at_;
      while (at_ < text_.size() && !ends_plain_run(text_[at_])) {
        ++at_;
      }
      out.append(text_.data() + run, at_ - run);
      if (at_ == text_.size()) {
        fail("unterminated string");
      }
      const char c = text_[at_];
      if (c == '"') {
        ++at_;
        return out;
      }
      if (c == '\\') {
        escape(out);
      } else if (static_cast<unsigned char>(c) < 0x20) {
        fail("control character in a string; it must be escaped");
      } else {
        const std::size_t length = core::utf8_sequence_length(text_, at_);
        if (length == 0) {
          fail("invalid UTF-8 in a string");
        }
        out.append(text_.data() + at_, length);
        at_ += length;
      }
    }
  }

  void escape(std::string& out) {
    ++at_;  // '\\'
    if (at_ == text_.size()) {
      fail("unterminated string");
    }
    const char c = text_[at_++];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out.push_back(c);
        return;
      case 'b':
        out.push_back('\b');
        return;
      case 'f':
        out.push_back('\f');
        return;
      case 'n':
        out.push_back('\n');
        return;
      case 'r':
        out.push_back('\r');
        return;
      case 't':
        out.push_back('\t');
        return;
      case 'u':
        append_utf8(out, code_point_escape());
        return;
      default:
        --at_;
        fail("invalid escape in a string");
    }
  }

  // The code point of a \u escape whose 'u' was just read, joining a surrogate pair.
  std::uint32_t code_point_escape() {
    const std::uint32_t unit = hex4();
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      fail("a low surrogate escape without a high one before it");
    }
    if (unit < 0xD800 || unit > 0xDBFF) {
      return unit;
    }
    if (text_.size() - at_ < 2 || text_[at_] != '\\' || text_[at_ + 1] != 'u') {
      fail("a high surrogate escape without a low one after it");
    }
    at_ += 2;
    const std::uint32_t low = hex4();
    if (low < 0xDC00 || low > 0xDFFF) {
      fail("a high surrogate escape without a low one after it");
    }
    return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
  }

  std::uint32_t hex4() {
    if (text_.size() - at_ < 4) {
      fail("a \\u escape needs four hexadecimal digits");
    }
    std::uint32_t unit = 0;
    const char* begin = text_.data() + at_;
    const auto [end, error] = std::from_chars(begin, begin + 4, unit, 16);
    if (error != std::errc() || end != begin + 4) {
      fail("a \\u escape needs four hexadecimal digits");
    }
    at_ += 4;
    return unit;
  }

  // RFC 8259 numbers. Like nlohmann::json, a number without fraction or exponent is stored
  // as an unsigned integer when it has no sign, as a signed one when it has, and as a double
  // when it does not fit in 64 bits.
  Json number() {
    const std::size_t start = at_;
    const bool negative = consume('-');
    if (consume('0')) {
      // After a leading 0, no more integer digits may follow.
    } else if (at_ < text_.size() && is_digit(text_[at_])) {
      skip_digits();
    } else {
      fail("expected a value");
    }
    bool integral = true;
    if (consume('.')) {
      integral = false;
      if (skip_digits() == 0) {
        fail("expected a digit after '.'");
      }
    }
    if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
      integral = false;
      ++at_;
      if (!consume('+')) {
        consume('-');
      }
      if (skip_digits() == 0) {
        fail("expected a digit in the exponent");
      }
    }
    const char* begin = text_.data() + start;
    const char* end = text_.data() + at_;
    if (integral) {
      if (negative) {
        std::int64_t signed_value = 0;
        if (std::from_chars(begin, end, signed_value).ec == std::errc()) {
          return Json(signed_value);
        }
      } else {
        std::uint64_t unsigned_value = 0;
        if (std::from_chars(begin, end, unsigned_value).ec == std::errc()) {
          return Json(unsigned_value);
        }
      }
    }
    return Json(floating(begin, end));
  }

  double floating(const char* begin, const char* end) {
    double result = 0;
    const auto [stop, error] = std::from_chars(begin, end, result);
    if (error == std::errc::result_out_of_range) {
      // strtod rounds a number too small to zero. A number too large becomes infinite.
      result = std::strtod(std::string(begin, end).c_str(), nullptr);
    } else if (error != std::errc() || stop != end) {
      fail("invalid number");
    }
    if (!std::isfinite(result)) {
      fail("number out of the range of a double");
    }
    return result;
  }

  std::size_t skip_digits() {
    const std::size_t start = at_;
    while (at_ < text_.size() && is_digit(text_[at_])) {
      ++at_;
    }
    return at_ - start;
  }

  void literal(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) {
      fail("expected a value");
    }
    at_ += word.size();
  }

  bool consume(char c) {
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }

  void skip_blanks() {
    while (at_ < text_.size() && is_blank(text_[at_])) {
      ++at_;
    }
  }

  void check_depth(std::size_t depth) {
    if (depth > core::kMaxJsonNesting) {
      fail("arrays and objects nested more than " + std::to_string(core::kMaxJsonNesting) +
           " deep");
    }
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument("invalid JSON at byte " + std::to_string(at_) + ": " + what);
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::vector<std::pair<std::string, Json>> members_;
  std::vector<Json> items_;
};

}  // namespace

Json parse_service_json(std::string_view text) {
  return Reader(text).document();
}

}  // namespace surplus::gateway
