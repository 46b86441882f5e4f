#pragma once

#include <cstddef>
#include <string_view>

namespace surplus::core {

// Returns the length in bytes of the well-formed UTF-8 sequence that starts at `text[at]`, or 0
// when none starts there. Well-formed as RFC 3629 defines it: no overlong form, no
// surrogate code point, nothing above U+10FFFF, no sequence cut off by the end of `text`.
// `at` must be less than `text.size()`.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

// Returns whether all of `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

// Returns whether UTF-8 `text` contains a control character: C0 (U+0000-U+001F), DEL or C1
// (U+0080-U+009F, such as U+0085 NEXT LINE). With `multiline`, line feed and tab are
// allowed. Names and titles use it to reject what would break a line or a display.
bool has_control_character(std::string_view text, bool multiline);

}  // namespace surplus::core
