#include <fmt/format.h>

#include <surplus/core/error.hpp>
#include <surplus/http/request.hpp>

namespace surplus::http {
namespace {

// Whether a Content-Type value names JSON: application/json or any application/*+json,
// with or without parameters such as charset.
bool is_json_media_type(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) {
    media.remove_suffix(1);
  }
  constexpr std::string_view kApplication = "application/";
  if (media.size() <= kApplication.size() ||
      !iequals(media.substr(0, kApplication.size()), kApplication)) {
    return false;
  }
  std::string_view subtype = media.substr(kApplication.size());
  return iequals(subtype, "json") ||
         (subtype.size() > 5 && iequals(subtype.substr(subtype.size() - 5), "+json"));
}

}  // namespace

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) {
    return std::nullopt;
  }
  return std::string_view(it->second);
}

const std::string& Request::path_param(const std::string& name) const {
  auto it = path_params.find(name);
  if (it == path_params.end()) {
    throw core::Error::internal(
        fmt::format("route for {} {} has no path parameter '{}'", method, path, name));
  }
  return it->second;
}

nlohmann::json Request::json() const {
  auto content_type = header("Content-Type");
  if (!content_type || !is_json_media_type(*content_type)) {
    throw core::Error(core::ErrorCode::kUnsupportedMedia,
                      fmt::format("the request body must be JSON with Content-Type "
                                  "application/json, got '{}'",
                                  content_type.value_or("")));
  }
  if (body.empty()) {
    throw core::Error(core::ErrorCode::kBadRequest, "the request body is empty; expected JSON");
  }
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& error) {
    throw core::Error(
        core::ErrorCode::kBadRequest,
        fmt::format("the request body is not valid JSON (error at byte {})", error.byte),
        error.what());
  }
}

}  // namespace surplus::http
