#include <array>
#include <utility>

#include <surplus/core/error.hpp>

namespace surplus::core {
namespace {

struct CodeInfo {
  ErrorCode code;
  std::string_view name;
  int status;
};

constexpr std::array kCodes{
    CodeInfo{ErrorCode::kValidationFailed, "VALIDATION_FAILED", 400},
    CodeInfo{ErrorCode::kBadRequest, "BAD_REQUEST", 400},
    CodeInfo{ErrorCode::kUnauthenticated, "UNAUTHENTICATED", 401},
    CodeInfo{ErrorCode::kForbidden, "FORBIDDEN", 403},
    CodeInfo{ErrorCode::kNotFound, "NOT_FOUND", 404},
    CodeInfo{ErrorCode::kMethodNotAllowed, "METHOD_NOT_ALLOWED", 405},
    CodeInfo{ErrorCode::kConflict, "CONFLICT", 409},
    CodeInfo{ErrorCode::kSoldOut, "SOLD_OUT", 409},
    CodeInfo{ErrorCode::kPayloadTooLarge, "PAYLOAD_TOO_LARGE", 413},
    CodeInfo{ErrorCode::kUnsupportedMedia, "UNSUPPORTED_MEDIA_TYPE", 415},
    CodeInfo{ErrorCode::kRateLimited, "RATE_LIMITED", 429},
    CodeInfo{ErrorCode::kInternal, "INTERNAL", 500},
    CodeInfo{ErrorCode::kUnavailable, "UNAVAILABLE", 503},
    CodeInfo{ErrorCode::kTimeout, "TIMEOUT", 504},
    CodeInfo{ErrorCode::kLimitExceeded, "LIMIT_EXCEEDED", 409},
    CodeInfo{ErrorCode::kOfferNotActive, "OFFER_NOT_ACTIVE", 409},
    CodeInfo{ErrorCode::kInsufficientInventory, "INSUFFICIENT_INVENTORY", 409},
};

const CodeInfo& info(ErrorCode code) {
  for (const auto& entry : kCodes) {
    if (entry.code == code) {
      return entry;
    }
  }
  return kCodes[11];  // INTERNAL: unreachable while kCodes lists every enumerator
}

}  // namespace

std::string_view error_code_name(ErrorCode code) {
  return info(code).name;
}

int error_code_status(ErrorCode code) {
  return info(code).status;
}

std::optional<ErrorCode> error_code_from_name(std::string_view name) {
  for (const auto& entry : kCodes) {
    if (entry.name == name) {
      return entry.code;
    }
  }
  return std::nullopt;
}

Error::Error(ErrorCode code, std::string message, std::string detail)
    : code_(code), message_(std::move(message)), detail_(std::move(detail)) {}

Error& Error::with_field(std::string field, std::string message) {
  fields_.push_back({{"field", std::move(field)}, {"message", std::move(message)}});
  return *this;
}

Error& Error::with_retry_after(std::chrono::seconds delay) {
  retry_after_ = delay;
  return *this;
}

Error Error::validation(std::string field, std::string message) {
  Error error(ErrorCode::kValidationFailed, "the request has invalid fields");
  error.with_field(std::move(field), std::move(message));
  return error;
}

Error Error::not_found(std::string what) {
  return Error(ErrorCode::kNotFound, std::move(what) + " was not found");
}

Error Error::forbidden(std::string message) {
  return Error(ErrorCode::kForbidden, std::move(message));
}

Error Error::unauthenticated(std::string message) {
  return Error(ErrorCode::kUnauthenticated, std::move(message));
}

Error Error::conflict(std::string message) {
  return Error(ErrorCode::kConflict, std::move(message));
}

Error Error::internal(std::string detail) {
  return Error(ErrorCode::kInternal, "an internal error occurred", std::move(detail));
}

Error Error::unavailable(std::string message, std::string detail) {
  return Error(ErrorCode::kUnavailable, std::move(message), std::move(detail));
}

}  // namespace surplus::core
