#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
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

// Returns the offset of the first byte that does not start a well-formed UTF-8 sequence
// (RFC 3629: no overlong forms, surrogates or values above U+10FFFF), or npos when the whole
// text is well formed.
inline std::size_t find_invalid_utf8(std::string_view text) {
  const auto byte = [&](std::size_t at) {
    return at < text.size() ? static_cast<unsigned char>(text[at]) : 0u;
  };
  const auto in = [](unsigned value, unsigned low, unsigned high) {
    return value >= low && value <= high;
  };
  std::size_t at = 0;
  while (at < text.size()) {
    // Eight ASCII bytes at a time, the common case.
    if (at + 8 <= text.size()) {
      std::uint64_t chunk = 0;
      std::memcpy(&chunk, text.data() + at, sizeof chunk);
      if ((chunk & 0x8080808080808080ULL) == 0) {
        at += 8;
        continue;
      }
    }
    const unsigned lead = byte(at);
    std::size_t length = 0;
    if (lead < 0x80) {
      length = 1;
    } else if (in(lead, 0xC2, 0xDF)) {
      length = in(byte(at + 1), 0x80, 0xBF) ? 2 : 0;
    } else if (in(lead, 0xE0, 0xEF)) {
      const unsigned low = lead == 0xE0 ? 0xA0 : 0x80;
      const unsigned high = lead == 0xED ? 0x9F : 0xBF;
      length = in(byte(at + 1), low, high) && in(byte(at + 2), 0x80, 0xBF) ? 3 : 0;
    } else if (in(lead, 0xF0, 0xF4)) {
      const unsigned low = lead == 0xF0 ? 0x90 : 0x80;
      const unsigned high = lead == 0xF4 ? 0x8F : 0xBF;
      length = in(byte(at + 1), low, high) && in(byte(at + 2), 0x80, 0xBF) &&
                       in(byte(at + 3), 0x80, 0xBF)
                   ? 4
                   : 0;
    }
    if (length == 0) {
      return at;
    }
    at += length;
  }
  return std::string_view::npos;
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
