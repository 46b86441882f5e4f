#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <surplus/core/error.hpp>
#include <surplus/http/headers.hpp>
#include <surplus/http/response.hpp>

namespace surplus::http {

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds request_timeout{10000};  // per attempt: write and read
  // Connections per host:port, open or in use; further requests wait for a free one.
  std::size_t max_connections_per_host = 32;
  // Pooled connections unused this long are closed (servers close theirs after 60 s).
  std::chrono::milliseconds pool_idle_timeout{30000};
  int max_attempts = 3;                         // 1 disables retries
  std::chrono::milliseconds retry_backoff{50};  // doubled after each failed attempt
  std::size_t max_response_bytes = 8 * 1024 * 1024;
};

struct ClientRequest {
  std::string method = "GET";
  std::string url;  // http://host:port/path?query; https is not supported
  Headers headers;
  std::string body;
  // Allows retrying a method that is not idempotent by itself, e.g. a POST carrying an
  // Idempotency-Key. GET, HEAD, PUT, DELETE and OPTIONS are retried without it.
  bool idempotent = false;
  std::optional<std::chrono::milliseconds> timeout;  // overrides request_timeout

  // A request with a JSON body and Content-Type application/json.
  static ClientRequest json(std::string method, std::string url, const nlohmann::json& body);
};

// The outcome of Client::send_async: a response with any status, or the transport error
// (UNAVAILABLE, TIMEOUT, INTERNAL) that prevented one.
struct ClientResult {
  std::optional<Response> response;
  std::optional<core::Error> error;

  bool has_response() const { return response.has_value(); }
  // The response; throws the error when there is none.
  Response& value();
};

struct ClientStats {
  std::uint64_t connections_created = 0;
  std::uint64_t connections_reused = 0;  // requests sent on an already open connection
  std::uint64_t retries = 0;
  std::uint64_t requests = 0;
  std::size_t idle_connections = 0;  // currently pooled
};

// A pooled HTTP/1.1 client for calls between services, with keep-alive connections per
// host:port. Attempts are retried with backoff only when repeating them is safe:
//  - a failed connect (refused, connect timeout) is retried for every method, because the
//    request was never sent;
//  - an idempotent request (see ClientRequest::idempotent) is also retried when the
//    connection breaks after it was sent, and on a 502, 503 or 504 response;
//  - a request timeout is never retried, so a slow peer does not get the load twice.
//
// Transport errors become core::Error: UNAVAILABLE (connect refused, reset, bad response)
// or TIMEOUT (connect or request timeout), with the peer and target in detail().
//
// Owns one I/O thread. Thread-safe.
class Client {
 public:
  explicit Client(ClientOptions options = {});
  // Fails pending requests with UNAVAILABLE and joins the I/O thread.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends and waits. Returns the response whatever its status; throws core::Error on a
  // transport failure. Do not call from inside a send_async callback (it would deadlock).
  Response send(ClientRequest request);
  Response get(std::string url, Headers headers = {});
  Response post_json(std::string url, const nlohmann::json& body, Headers headers = {});

  // Sends without blocking. `done` runs once on the client's I/O thread and must not block,
  // so hand the result to another executor for long work. A request still pending 5 s
  // after the Client's destructor started is dropped without calling `done`.
  void send_async(ClientRequest request, std::function<void(ClientResult)> done);

  ClientStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Converts a non-2xx response from a peer service into the core::Error it describes: the
// problem+json `code` and `detail` when present (so SOLD_OUT stays SOLD_OUT), otherwise
// UNAVAILABLE for 5xx and INTERNAL for other statuses. `peer` goes into detail().
core::Error error_from_response(const Response& response, std::string_view peer);

}  // namespace surplus::http
