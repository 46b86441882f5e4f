#include <surplus/core/json_nesting.hpp>

namespace surplus::core {

bool json_nesting_within(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > limit) {
          return false;
        }
        break;
      case ']':
      case '}':
        // An unbalanced closer is the parser's error to report, so depth stays at zero.
        if (depth > 0) {
          --depth;
        }
        break;
      default:
        break;
    }
  }
  return true;
}

}  // namespace surplus::core
