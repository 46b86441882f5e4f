#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <surplus/http/headers.hpp>
#include <surplus/http/url.hpp>

namespace surplus::http {

// An HTTP request as passed to a handler: read in full, within the server's size limits,
// with its target split and decoded.
struct Request {
  std::string method;  // as sent, e.g. "GET"; methods are case-sensitive (RFC 9110, 9.1)
  std::string target;  // raw request target, e.g. "/users/7?x=1"
  std::string path;    // percent-decoded path without the query, e.g. "/users/7"
  QueryParams query;   // decoded query parameters
  Headers headers;
  std::string body;
  // Values of the `{name}` segments of the matched route, percent-decoded.
  std::map<std::string, std::string> path_params;
  // From a well-formed X-Request-Id header, or a new UUIDv7; echoed in the response.
  std::string request_id;
  std::string remote_address;  // peer "1.2.3.4:5678" or "[::1]:5678"
  // When the server finished reading the request. A handler may start much later, when all
  // worker threads are busy, so time limits of a request should count from here. Left at
  // the clock's epoch for requests that no server read.
  std::chrono::steady_clock::time_point received_at{};

  // The peer's IP address without the port ("1.2.3.4", "::1").
  std::string remote_ip() const;

  std::optional<std::string_view> header(std::string_view name) const { return headers.get(name); }

  // The first value of query parameter `name`, or nullopt.
  std::optional<std::string_view> query_param(std::string_view name) const;

  // The value of route segment `{name}`. Throws core::Error INTERNAL when the matched
  // route has no such segment, which is a bug in the route table.
  const std::string& path_param(const std::string& name) const;

  // Parses the body as JSON. Throws core::Error: UNSUPPORTED_MEDIA_TYPE when Content-Type
  // is not application/json (or a +json type), BAD_REQUEST naming the byte offset when the
  // body is not valid JSON or is empty.
  nlohmann::json json() const;
};

}  // namespace surplus::http
