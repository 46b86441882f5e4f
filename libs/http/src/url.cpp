#include <charconv>

#include <surplus/core/error.hpp>
#include <surplus/http/url.hpp>

namespace surplus::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

core::Error invalid_url(std::string_view url, std::string_view why) {
  return core::Error::internal("invalid URL '" + std::string(url) + "': " + std::string(why) +
                               "; expected http://host[:port][/path][?query]");
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return std::nullopt;
      }
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) {
        return std::nullopt;
      }
      decoded.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      decoded.push_back(' ');
    } else {
      decoded.push_back(c);
    }
  }
  return decoded;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (is_unreserved(byte)) {
      encoded.push_back(c);
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[byte >> 4]);
      encoded.push_back(kHex[byte & 0x0F]);
    }
  }
  return encoded;
}

std::optional<QueryParams> parse_query(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    auto eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                              : percent_decode(pair.substr(eq + 1), true);
    if (!name || !value) {
      return std::nullopt;
    }
    params.emplace(std::move(*name), std::move(*value));
  }
  return params;
}

std::string build_query(const QueryParams& params) {
  std::string query;
  for (const auto& [name, value] : params) {
    if (!query.empty()) {
      query.push_back('&');
    }
    query += percent_encode(name);
    query.push_back('=');
    query += percent_encode(value);
  }
  return query;
}

Url Url::parse(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    throw invalid_url(url, "only the http scheme is supported");
  }
  std::string_view rest = url.substr(kScheme.size());
  auto target_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, target_start);

  Url result;
  if (target_start != std::string_view::npos) {
    std::string_view target = rest.substr(target_start);
    // Built by appending: g++ 12 at -O3 reports a false -Wrestrict for insert(0, "/").
    result.target.clear();
    if (target.front() == '?') {
      result.target.push_back('/');
    }
    result.target.append(target);
  }

  if (authority.find('@') != std::string_view::npos) {
    throw invalid_url(url, "user information is not supported");
  }
  std::string_view host = authority;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) {
      throw invalid_url(url, "unterminated IPv6 address");
    }
    host = authority.substr(1, close - 1);
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() != ':') {
      throw invalid_url(url, "unexpected text after the IPv6 address");
    }
  } else {
    auto colon = authority.find(':');
    host = authority.substr(0, colon);
    authority = colon == std::string_view::npos ? std::string_view() : authority.substr(colon);
  }
  if (host.empty()) {
    throw invalid_url(url, "the host is missing");
  }
  result.host = std::string(host);

  if (!authority.empty()) {
    std::string_view digits = authority.substr(1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || port == 0 ||
        port > 65535) {
      throw invalid_url(url, "the port is not a number from 1 to 65535");
    }
    result.port = static_cast<std::uint16_t>(port);
  }
  return result;
}

}  // namespace surplus::http
