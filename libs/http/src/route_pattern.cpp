#include "route_pattern.hpp"

#include <stdexcept>

namespace surplus::http {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  while (true) {
    auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash + 1);
  }
  return segments;
}

RoutePattern::RoutePattern(std::string pattern) : text_(std::move(pattern)) {
  auto invalid = [this](const std::string& why) {
    return std::invalid_argument("route pattern '" + text_ + "' is invalid: " + why);
  };
  if (text_.empty() || text_.front() != '/') {
    throw invalid("it must start with '/'");
  }
  for (std::string_view segment : split_path(text_)) {
    bool opens = !segment.empty() && segment.front() == '{';
    bool closes = !segment.empty() && segment.back() == '}';
    if (opens != closes || (!opens && segment.find_first_of("{}") != std::string_view::npos)) {
      throw invalid("a parameter must be a whole segment such as {id}");
    }
    if (!opens) {
      segments_.push_back({std::string(segment), false});
      continue;
    }
    std::string name(segment.substr(1, segment.size() - 2));
    if (name.empty()) {
      throw invalid("a parameter needs a name");
    }
    for (const auto& existing : segments_) {
      if (existing.is_param && existing.text == name) {
        throw invalid("parameter {" + name + "} appears twice");
      }
    }
    segments_.push_back({std::move(name), true});
  }
}

std::optional<std::map<std::string, std::string>> RoutePattern::match(std::string_view path) const {
  auto parts = split_path(path);
  if (parts.size() != segments_.size()) {
    return std::nullopt;
  }
  std::map<std::string, std::string> params;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& segment = segments_[i];
    if (!segment.is_param) {
      if (parts[i] != segment.text) {
        return std::nullopt;
      }
    } else if (parts[i].empty()) {
      return std::nullopt;
    } else {
      params.emplace(segment.text, std::string(parts[i]));
    }
  }
  return params;
}

bool RoutePattern::more_specific_than(const RoutePattern& other) const {
  for (std::size_t i = 0; i < segments_.size() && i < other.segments_.size(); ++i) {
    if (segments_[i].is_param != other.segments_[i].is_param) {
      return !segments_[i].is_param;
    }
  }
  return false;
}

}  // namespace surplus::http
