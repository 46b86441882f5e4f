#include "media_type.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

namespace surplus::gateway {
namespace {

std::string lower_trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t");
  std::string result(text.substr(first, last - first + 1));
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

struct MediaRange {
  std::string type;  // "application/json", "application/*" or "*/*"
  double quality = 1.0;
};

std::vector<MediaRange> parse_accept(std::string_view accept) {
  std::vector<MediaRange> ranges;
  std::size_t start = 0;
  while (start <= accept.size()) {
    const auto end = std::min(accept.find(',', start), accept.size());
    const std::string_view item = accept.substr(start, end - start);
    start = end + 1;
    const auto semicolon = item.find(';');
    MediaRange range{lower_trimmed(item.substr(0, semicolon))};
    if (range.type.empty()) {
      continue;
    }
    std::size_t parameter = semicolon;
    while (parameter != std::string_view::npos) {
      const auto next = item.find(';', parameter + 1);
      const std::string text = lower_trimmed(item.substr(parameter + 1, next - parameter - 1));
      if (text.rfind("q=", 0) == 0) {
        range.quality = std::strtod(text.c_str() + 2, nullptr);
      }
      parameter = next;
    }
    ranges.push_back(std::move(range));
  }
  return ranges;
}

// Rank of `type` under the ranges: 2 for an exact match, 1 for a wildcard, 0 for none,
// with the quality of the best matching range.
struct Match {
  int rank = 0;
  double quality = 0;
};

Match match(const std::vector<MediaRange>& ranges, std::string_view type) {
  const std::string_view major = type.substr(0, type.find('/'));
  Match best;
  for (const auto& range : ranges) {
    int rank = 0;
    if (range.type == type) {
      rank = 2;
    } else if (range.type == "*/*" ||
               (range.type.size() == major.size() + 2 && range.type.rfind(major, 0) == 0 &&
                range.type.substr(major.size()) == "/*")) {
      rank = 1;
    }
    if (rank > best.rank) {
      best = {rank, range.quality};
    }
  }
  return best.quality > 0 ? best : Match{};
}

}  // namespace

std::optional<ResponseFormat> negotiate_format(std::optional<std::string_view> accept,
                                               bool allow_html) {
  if (!accept || lower_trimmed(*accept).empty()) {
    return ResponseFormat::kJson;
  }
  const auto ranges = parse_accept(*accept);
  const Match graphql_json = match(ranges, "application/graphql-response+json");
  const Match json = match(ranges, "application/json");
  const Match html = match(ranges, "text/html");
  if (allow_html && html.rank == 2 && graphql_json.rank < 2 && json.rank < 2) {
    return ResponseFormat::kHtml;
  }
  if (graphql_json.rank == 0 && json.rank == 0) {
    return std::nullopt;
  }
  // At equal quality an exact application/graphql-response+json wins, as the
  // graphql-over-http draft recommends, but a wildcard alone selects application/json.
  const bool prefer_graphql =
      graphql_json.rank > 0 && (json.rank == 0 || graphql_json.quality > json.quality ||
                                (graphql_json.quality == json.quality && graphql_json.rank == 2));
  return prefer_graphql ? ResponseFormat::kGraphQLResponseJson : ResponseFormat::kJson;
}

std::string_view content_type_of(ResponseFormat format) {
  switch (format) {
    case ResponseFormat::kGraphQLResponseJson:
      return "application/graphql-response+json; charset=utf-8";
    case ResponseFormat::kJson:
      return "application/json; charset=utf-8";
    case ResponseFormat::kHtml:
      return "text/html; charset=utf-8";
  }
  return "application/json; charset=utf-8";
}

bool is_json_utf8(std::string_view content_type) {
  const std::string text = lower_trimmed(content_type);
  const auto semicolon = text.find(';');
  if (lower_trimmed(text.substr(0, semicolon)) != "application/json") {
    return false;
  }
  std::size_t parameter = semicolon;
  while (parameter != std::string::npos) {
    const auto next = text.find(';', parameter + 1);
    std::string item = lower_trimmed(text.substr(parameter + 1, next - parameter - 1));
    item.erase(std::remove(item.begin(), item.end(), '"'), item.end());
    if (item.rfind("charset=", 0) == 0 && item != "charset=utf-8") {
      return false;
    }
    parameter = next;
  }
  return true;
}

}  // namespace surplus::gateway
