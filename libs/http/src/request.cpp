#include <fmt/format.h>

#include <surplus/core/error.hpp>
#include <surplus/core/json_nesting.hpp>
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

std::string Request::remote_ip() const {
  std::string_view address = remote_address;
  if (address.starts_with('[')) {
    auto close = address.find(']');
    return std::string(
        address.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
  }
  return std::string(address.substr(0, address.rfind(':')));
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
  if (!core::json_nesting_within(body)) {
    throw core::Error(core::ErrorCode::kBadRequest,
                      fmt::format("the request body nests arrays and objects deeper than {} "
                                  "levels; no request needs that many",
                                  core::kMaxJsonNesting));
  }
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& error) {
    throw core::Error(
        core::ErrorCode::kBadRequest,
        fmt::format("the request body is not valid JSON (error at byte {})", error.byte),
        error.what());
  } catch (const nlohmann::json::out_of_range& error) {
    // nlohmann reports a number beyond double's range ("1e400") as out_of_range, with a
    // "[json.exception.out_of_range.406] " prefix that means nothing to a client.
    std::string_view reason = error.what();
    if (auto prefix_end = reason.find("] "); prefix_end != std::string_view::npos) {
      reason.remove_prefix(prefix_end + 2);
    }
    throw core::Error(core::ErrorCode::kBadRequest,
                      fmt::format("the request body is not usable JSON ({}); send numbers "
                                  "within the range of the field",
                                  reason),
                      error.what());
  }
}

}  // namespace surplus::http
