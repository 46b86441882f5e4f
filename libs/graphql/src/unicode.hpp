#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace surplus::graphql::detail {

inline bool is_leading_surrogate(std::uint32_t code) {
  return code >= 0xD800 && code <= 0xDBFF;
}
inline bool is_trailing_surrogate(std::uint32_t code) {
  return code >= 0xDC00 && code <= 0xDFFF;
}
inline bool is_surrogate(std::uint32_t code) {
  return code >= 0xD800 && code <= 0xDFFF;
}

// Returns the byte count of the UTF-8 sequence that starts with `lead`, or 1 for a stray
// continuation byte.
inline std::size_t utf8_sequence_length(unsigned char lead) {
  if (lead >= 0xF0) {
    return 4;
  }
  if (lead >= 0xE0) {
    return 3;
  }
  if (lead >= 0xC0) {
    return 2;
  }
  return 1;
}

// Parses one to eight hexadecimal digits; false for any other character.
inline bool parse_hex(std::string_view digits, std::uint32_t& code) {
  if (digits.empty() || digits.size() > 8) {
    return false;
  }
  code = 0;
  for (const char c : digits) {
    int digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return false;
    }
    code = code * 16 + static_cast<std::uint32_t>(digit);
  }
  return true;
}

inline void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace surplus::graphql::detail
