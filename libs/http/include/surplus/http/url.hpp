#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace surplus::http {

// Query parameters in the order received; a name may repeat (`?tag=a&tag=b`).
using QueryParams = std::multimap<std::string, std::string>;

// Decodes %XX escapes, and '+' as a space when `plus_is_space` (query strings, RFC 1866
// form encoding). Returns nullopt for a truncated or non-hexadecimal escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// Encodes every byte except the RFC 3986 unreserved set (A-Z a-z 0-9 - . _ ~), so the
// result is safe as a path segment or a query name or value.
std::string percent_encode(std::string_view text);

// Parses `a=1&b=x%20y&flag` (without the leading '?'). A name without '=' gets an empty
// value. Returns nullopt when an escape is malformed.
std::optional<QueryParams> parse_query(std::string_view query);

// Builds `a=1&b=x%20y` from the parameters, percent-encoding names and values.
std::string build_query(const QueryParams& params);

// The parts of an `http://host:port/path?query` URL. Only the http scheme is supported.
struct Url {
  std::string host;
  std::uint16_t port = 80;
  std::string target = "/";  // path and query, as sent on the request line

  // Parses `url`. Throws core::Error INTERNAL naming the URL when it is not of the form
  // http://host[:port][/path][?query], because a bad URL in our own configuration is a bug.
  static Url parse(std::string_view url);
};

}  // namespace surplus::http
