#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <surplus/core/error.hpp>
#include <surplus/http/headers.hpp>

namespace surplus::http {

// An HTTP response: what a handler returns on the server and what Client returns.
struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  bool ok() const { return status >= 200 && status < 300; }

  // `body` serialised, Content-Type application/json.
  static Response json(const nlohmann::json& body, int status = 200);
  static Response text(std::string body, int status = 200,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response no_content();  // 204 without a body

  // An RFC 9457 problem document (application/problem+json) for `error`:
  //   {"type": "about:blank", "title": <reason phrase>, "status": 404,
  //    "detail": error.message(), "code": "NOT_FOUND", "instance": <instance>,
  //    "errors": [{"field": ..., "message": ...}]}   (errors only when non-empty)
  // and a Retry-After header when the error has retry_after(). error.detail() is internal
  // and never included.
  static Response problem(const core::Error& error, std::string_view instance);

  // Parses the body as JSON; throws core::Error INTERNAL with the offset when it is not
  // valid JSON (a peer service sent something it should not have).
  nlohmann::json body_json() const;
};

// The standard reason phrase of an HTTP status code ("Not Found"), or "Unknown".
std::string_view status_reason(int status);

}  // namespace surplus::http
