#include "field_error.hpp"

#include <spdlog/spdlog.h>

namespace surplus::gateway {

FieldFailure::FieldFailure(std::string_view code, const std::string& message, Json extensions)
    : std::runtime_error(message), extensions_(std::move(extensions)) {
  extensions_["code"] = std::string(code);
}

FieldFailure field_failure_from(const core::Error& error, std::string_view service) {
  using core::ErrorCode;
  switch (error.code()) {
    case ErrorCode::kValidationFailed:
    case ErrorCode::kBadRequest: {
      Json extensions = Json::object();
      if (!error.fields().empty()) {
        extensions["fields"] = Json::parse(error.fields().dump());
      }
      return {kBadUserInput, error.message(), std::move(extensions)};
    }
    case ErrorCode::kUnauthenticated:
      return {kUnauthenticated, error.message()};
    case ErrorCode::kForbidden:
      return {kForbidden, error.message()};
    case ErrorCode::kNotFound:
      return {kNotFound, error.message()};
    case ErrorCode::kConflict:
      return {kConflict, error.message()};
    case ErrorCode::kSoldOut:
      return {kSoldOut, error.message()};
    case ErrorCode::kRateLimited: {
      Json extensions = Json::object();
      if (error.retry_after()) {
        extensions["retryAfterSeconds"] = error.retry_after()->count();
      }
      return {kRateLimited, error.message(), std::move(extensions)};
    }
    case ErrorCode::kLimitExceeded:
    case ErrorCode::kOfferNotActive:
    case ErrorCode::kInsufficientInventory:
      return {kConflict, error.message(),
              Json{{"reason", std::string(core::error_code_name(error.code()))}}};
    case ErrorCode::kUnavailable:
    case ErrorCode::kTimeout:
      spdlog::warn("{} service call failed: {} ({})", service, error.message(), error.detail());
      return {kUnavailable, "the " + std::string(service) +
                                " service is unavailable: " + error.message() + "; retry later"};
    default:
      spdlog::error("{} service call failed: {} {} ({})", service,
                    core::error_code_name(error.code()), error.message(), error.detail());
      return {kInternal, "the " + std::string(service) + " service failed unexpectedly"};
  }
}

void ErrorExtensions::record(const std::vector<graphql::PathElement>& path,
                             const Json& extensions) {
  std::lock_guard lock(mutex_);
  by_path_[path] = extensions;
}

void ErrorExtensions::apply(std::vector<graphql::GraphQLError>& errors) const {
  std::lock_guard lock(mutex_);
  for (auto& error : errors) {
    if (!error.path) {
      continue;
    }
    const auto found = by_path_.find(*error.path);
    if (found != by_path_.end()) {
      error.extensions = found->second;
    } else if (!error.extensions.contains("code")) {
      error.extensions["code"] = std::string(kInternal);
    }
  }
}

}  // namespace surplus::gateway
