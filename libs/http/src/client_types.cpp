#include <fmt/format.h>

#include <surplus/http/client.hpp>

namespace surplus::http {

ClientRequest ClientRequest::json(std::string method, std::string url, const nlohmann::json& body) {
  ClientRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers.set("Content-Type", "application/json");
  request.body = body.dump();
  return request;
}

Response& ClientResult::value() {
  if (!response) {
    throw error.value_or(
        core::Error::internal("ClientResult contains neither a response nor an error"));
  }
  return *response;
}

core::Error error_from_response(const Response& response, std::string_view peer) {
  std::optional<core::ErrorCode> code;
  std::string message;
  nlohmann::json fields = nlohmann::json::array();
  auto content_type = response.headers.get("Content-Type");
  if (content_type && content_type->find("json") != std::string_view::npos) {
    auto document = nlohmann::json::parse(response.body, nullptr, false);
    if (document.is_object()) {
      if (auto it = document.find("code"); it != document.end() && it->is_string()) {
        code = core::error_code_from_name(it->get<std::string>());
      }
      if (auto it = document.find("detail"); it != document.end() && it->is_string()) {
        message = it->get<std::string>();
      }
      if (auto it = document.find("errors"); it != document.end() && it->is_array()) {
        fields = *it;
      }
    }
  }
  if (!code) {
    code = response.status >= 500 ? core::ErrorCode::kUnavailable : core::ErrorCode::kInternal;
    message = response.status >= 500 ? "a service this request depends on is unavailable"
                                     : "an internal error occurred";
  }
  core::Error error(
      *code, message.empty() ? std::string(status_reason(response.status)) : message,
      fmt::format("{} answered {}: {}", peer, response.status, response.body.substr(0, 512)));
  for (const auto& field : fields) {
    if (field.is_object() && field.value("field", nlohmann::json()).is_string() &&
        field.value("message", nlohmann::json()).is_string()) {
      error.with_field(field["field"].get<std::string>(), field["message"].get<std::string>());
    }
  }
  if (auto retry_after = response.headers.get("Retry-After")) {
    try {
      error.with_retry_after(std::chrono::seconds(std::stoll(std::string(*retry_after))));
    } catch (const std::exception&) {
      // An HTTP-date Retry-After is not forwarded.
    }
  }
  return error;
}

}  // namespace surplus::http
