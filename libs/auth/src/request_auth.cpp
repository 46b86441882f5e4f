#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <surplus/auth/request_auth.hpp>
#include <surplus/core/error.hpp>

#include "sodium_init.hpp"

namespace surplus::auth {
namespace {

constexpr std::size_t kMinSecretBytes = 16;

bool is_token_char(char c) {
  // RFC 6750, 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_' ||
         c == '~' || c == '+' || c == '/' || c == '=';
}

}  // namespace

Identity Identity::from_claims(const Claims& claims) {
  return Identity{claims.subject, claims.role, claims.restaurants, claims.token_id};
}

bool Identity::is_staff_of(std::string_view restaurant_id) const {
  return !is_anonymous() && role == Role::kStore &&
         std::find(restaurants.begin(), restaurants.end(), restaurant_id) != restaurants.end();
}

std::optional<std::string_view> bearer_token(const http::Request& request) {
  auto header = request.header("Authorization");
  if (!header) {
    return std::nullopt;
  }
  constexpr std::string_view kScheme = "bearer ";
  if (header->size() <= kScheme.size() ||
      !http::iequals(header->substr(0, kScheme.size()), kScheme)) {
    throw core::Error::unauthenticated("the Authorization header must be 'Bearer <access token>'");
  }
  std::string_view token = header->substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') {
    token.remove_prefix(1);
  }
  while (!token.empty() && token.back() == ' ') {
    token.remove_suffix(1);
  }
  if (token.empty() || !std::all_of(token.begin(), token.end(), is_token_char)) {
    throw core::Error::unauthenticated("the Authorization header must be 'Bearer <access token>'");
  }
  return token;
}

Identity authenticate(const http::Request& request, const TokenVerifier& verifier) {
  auto token = bearer_token(request);
  if (!token) {
    return Identity::anonymous();
  }
  return Identity::from_claims(verifier.verify(*token));
}

Identity require_authenticated(const http::Request& request, const TokenVerifier& verifier) {
  Identity identity = authenticate(request, verifier);
  if (identity.is_anonymous()) {
    throw core::Error::unauthenticated();
  }
  return identity;
}

void require_role(const Identity& identity, std::initializer_list<Role> roles) {
  if (identity.is_anonymous()) {
    throw core::Error::unauthenticated();
  }
  if (std::find(roles.begin(), roles.end(), identity.role) == roles.end()) {
    std::string allowed;
    std::size_t listed = 0;
    for (Role role : roles) {
      ++listed;
      allowed += listed == 1 ? "" : (listed == roles.size() ? " or " : ", ");
      allowed += role_name(role);
    }
    throw core::Error::forbidden(fmt::format("only {} accounts may do this; this account is {}",
                                             allowed, role_name(identity.role)));
  }
}

ServiceSecret::ServiceSecret(std::string secret) : secret_(std::move(secret)) {
  if (secret_.size() < kMinSecretBytes) {
    throw std::invalid_argument("the service secret must have at least 16 bytes");
  }
  detail::ensure_sodium();
}

ServiceSecret ServiceSecret::from_env(const core::EnvReader& env) {
  auto value = env.raw("SERVICE_SECRET");
  if (!value) {
    spdlog::warn("SERVICE_SECRET is not set; using the development secret, which is public");
    return ServiceSecret(std::string(kDevelopmentServiceSecret));
  }
  if (value->size() < kMinSecretBytes) {
    throw core::ConfigError(
        "SERVICE_SECRET",
        fmt::format("SERVICE_SECRET must have at least {} characters", kMinSecretBytes));
  }
  return ServiceSecret(std::move(*value));
}

bool ServiceSecret::matches(std::string_view candidate) const {
  // The length is not secret; sodium_memcmp then takes the same time whatever bytes differ.
  if (candidate.size() != secret_.size()) {
    return false;
  }
  return sodium_memcmp(candidate.data(), secret_.data(), secret_.size()) == 0;
}

void ServiceSecret::require(const http::Request& request) const {
  auto value = request.header(kServiceSecretHeader);
  if (!value || !matches(*value)) {
    throw core::Error::unauthenticated(
        "internal endpoints need the service secret in X-Service-Secret");
  }
}

void ServiceSecret::add_to(http::Headers& headers) const {
  headers.set(std::string(kServiceSecretHeader), secret_);
}

}  // namespace surplus::auth
