#include <fmt/format.h>

#include <surplus/http/response.hpp>

#include "problem.hpp"

namespace surplus::http {
namespace {

// Serialises without throwing: a string that is not valid UTF-8 (a client can put one in a
// path or a field that is echoed back) has its bad bytes replaced by U+FFFD, so the client
// still gets an answer instead of a dropped connection.
std::string dump_lenient(const nlohmann::json& body) {
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Response Response::json(const nlohmann::json& body, int status) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", "application/json");
  response.body = dump_lenient(body);
  return response;
}

Response Response::text(std::string body, int status, std::string content_type) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", std::move(content_type));
  response.body = std::move(body);
  return response;
}

Response Response::no_content() {
  Response response;
  response.status = 204;
  return response;
}

namespace {

nlohmann::json problem_document(int status, std::string_view code, std::string_view detail,
                                std::string_view instance) {
  return {
      {"type", "about:blank"}, {"title", status_reason(status)},
      {"status", status},      {"detail", detail},
      {"code", code},          {"instance", instance},
  };
}

Response problem_from_document(int status, const nlohmann::json& document) {
  Response response;
  response.status = status;
  response.headers.set("Content-Type", "application/problem+json");
  response.body = dump_lenient(document);
  return response;
}

}  // namespace

Response problem_response(int status, std::string_view code, std::string_view detail,
                          std::string_view instance) {
  return problem_from_document(status, problem_document(status, code, detail, instance));
}

Response Response::problem(const core::Error& error, std::string_view instance) {
  auto document = problem_document(error.http_status(), core::error_code_name(error.code()),
                                   error.message(), instance);
  if (!error.fields().empty()) {
    document["errors"] = error.fields();
  }
  auto response = problem_from_document(error.http_status(), document);
  if (auto retry_after = error.retry_after()) {
    response.headers.set("Retry-After", std::to_string(retry_after->count()));
  }
  return response;
}

nlohmann::json Response::body_json() const {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& error) {
    throw core::Error::internal(fmt::format(
        "response with status {} has a body that is not valid JSON: {}", status, error.what()));
  }
}

std::string_view status_reason(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

}  // namespace surplus::http
