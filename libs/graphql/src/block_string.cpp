#include "block_string.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace surplus::graphql::detail {
namespace {

// Splits at "\r\n", "\n" or "\r" (2.1.4 LineTerminator).
std::vector<std::string_view> split_lines(std::string_view raw) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\n' && raw[i] != '\r') {
      continue;
    }
    lines.push_back(raw.substr(start, i - start));
    if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') {
      ++i;
    }
    start = i + 1;
  }
  lines.push_back(raw.substr(start));
  return lines;
}

std::size_t leading_white_space(std::string_view line) {
  std::size_t count = 0;
  while (count < line.size() && (line[count] == ' ' || line[count] == '\t')) {
    ++count;
  }
  return count;
}

bool is_blank(std::string_view line) {
  return leading_white_space(line) == line.size();
}

}  // namespace

std::string block_string_value(std::string_view raw) {
  std::vector<std::string_view> lines = split_lines(raw);

  std::optional<std::size_t> common_indent;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::size_t indent = leading_white_space(lines[i]);
    if (indent < lines[i].size() && (!common_indent || indent < *common_indent)) {
      common_indent = indent;
    }
  }
  if (common_indent) {
    for (std::size_t i = 1; i < lines.size(); ++i) {
      lines[i].remove_prefix(std::min(*common_indent, lines[i].size()));
    }
  }

  std::size_t first = 0;
  std::size_t last = lines.size();
  while (first < last && is_blank(lines[first])) {
    ++first;
  }
  while (last > first && is_blank(lines[last - 1])) {
    --last;
  }

  std::string value;
  for (std::size_t i = first; i < last; ++i) {
    if (i > first) {
      value += '\n';
    }
    value += lines[i];
  }
  return value;
}

}  // namespace surplus::graphql::detail
