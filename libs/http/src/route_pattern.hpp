#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace surplus::http {

// A parsed route pattern such as "/users/{id}/orders".
class RoutePattern {
 public:
  // Throws std::invalid_argument naming the pattern when it does not start with '/', has an
  // empty or unterminated `{}` segment, or repeats a parameter name.
  explicit RoutePattern(std::string pattern);

  const std::string& text() const { return text_; }

  // Matches a decoded path; on success returns the parameter values.
  std::optional<std::map<std::string, std::string>> match(std::string_view path) const;

  // Whether this pattern is preferred over `other` when both match: at the first segment
  // where they differ in kind, the literal wins.
  bool more_specific_than(const RoutePattern& other) const;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool is_param = false;
  };

  std::string text_;
  std::vector<Segment> segments_;
};

// Splits "/a/b/c" into {"a", "b", "c"}; "/" gives one empty segment.
std::vector<std::string_view> split_path(std::string_view path);

}  // namespace surplus::http
