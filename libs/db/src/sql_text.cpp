#include "sql_text.hpp"

#include <charconv>
#include <string>

namespace surplus::db::detail {

std::string sql_excerpt(std::string_view sql) {
  constexpr std::size_t kMaxLength = 200;
  std::string excerpt;
  excerpt.reserve(std::min(sql.size(), kMaxLength) + 3);
  bool in_space = false;
  for (char c : sql) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (in_space || excerpt.empty())) {
      continue;
    }
    in_space = space;
    excerpt.push_back(space ? ' ' : c);
    if (excerpt.size() == kMaxLength) {
      excerpt += "...";
      break;
    }
  }
  return excerpt;
}

std::size_t placeholder_number(std::string_view name) {
  if (name.size() < 2 || name.front() != '$') {
    return 0;
  }
  std::size_t number = 0;
  auto [end, error] = std::from_chars(name.data() + 1, name.data() + name.size(), number);
  if (error != std::errc() || end != name.data() + name.size()) {
    return 0;
  }
  return number;
}

}  // namespace surplus::db::detail
