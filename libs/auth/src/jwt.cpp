#include <array>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include <surplus/auth/jwt.hpp>
#include <surplus/core/error.hpp>
#include <surplus/core/json_nesting.hpp>

#include "sodium_init.hpp"

namespace surplus::auth {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoles{{
    {Role::kCustomer, "CUSTOMER"},
    {Role::kStore, "STORE"},
    {Role::kCourier, "COURIER"},
    {Role::kAdmin, "ADMIN"},
}};

// NumericDate values outside 1970..~36812 are not times a token could carry.
constexpr std::int64_t kMaxNumericDate = std::int64_t{1} << 40;

[[noreturn]] void reject(const std::string& reason) {
  throw core::Error(core::ErrorCode::kUnauthenticated, "invalid access token: " + reason);
}

std::int64_t seconds_since_epoch(std::chrono::sys_seconds time) {
  return time.time_since_epoch().count();
}

json decode_json_object(std::string_view part, std::string_view what) {
  auto bytes = base64url_decode(part);
  if (!bytes) {
    reject(fmt::format("the {} is not base64url", what));
  }
  if (!core::json_nesting_within(*bytes)) {
    reject(fmt::format("the {} nests JSON too deeply", what));
  }
  json value = json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) {
    reject(fmt::format("the {} is not a JSON object", what));
  }
  return value;
}

const json* find_claim(const json& payload, const char* name) {
  auto it = payload.find(name);
  return it == payload.end() ? nullptr : &*it;
}

std::string string_claim(const json& payload, const char* name) {
  const json* value = find_claim(payload, name);
  if (value == nullptr) {
    reject(fmt::format("claim '{}' is missing", name));
  }
  if (!value->is_string()) {
    reject(fmt::format("claim '{}' is not a string", name));
  }
  return value->get<std::string>();
}

std::optional<std::chrono::sys_seconds> optional_time_claim(const json& payload, const char* name) {
  const json* value = find_claim(payload, name);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_number_integer()) {
    reject(fmt::format("claim '{}' is not a whole number of seconds", name));
  }
  if (value->is_number_unsigned() ? value->get<std::uint64_t>() > kMaxNumericDate
                                  : value->get<std::int64_t>() < 0) {
    reject(fmt::format("claim '{}' is out of range", name));
  }
  return std::chrono::sys_seconds(std::chrono::seconds(value->get<std::int64_t>()));
}

std::chrono::sys_seconds time_claim(const json& payload, const char* name) {
  auto value = optional_time_claim(payload, name);
  if (!value) {
    reject(fmt::format("claim '{}' is missing", name));
  }
  return *value;
}

bool audience_matches(const json& payload, const std::string& audience) {
  const json* value = find_claim(payload, "aud");
  if (value == nullptr) {
    reject("claim 'aud' is missing");
  }
  // RFC 7519, 4.1.3: a single string or an array of strings.
  if (value->is_string()) {
    return value->get<std::string>() == audience;
  }
  if (!value->is_array()) {
    reject("claim 'aud' is not a string or an array of strings");
  }
  bool found = false;
  for (const auto& item : *value) {
    if (!item.is_string()) {
      reject("claim 'aud' is not a string or an array of strings");
    }
    found = found || item.get<std::string>() == audience;
  }
  return found;
}

std::vector<std::string> restaurants_claim(const json& payload) {
  const json* value = find_claim(payload, "restaurants");
  std::vector<std::string> restaurants;
  if (value == nullptr) {
    return restaurants;
  }
  if (!value->is_array()) {
    reject("claim 'restaurants' is not an array of strings");
  }
  for (const auto& item : *value) {
    if (!item.is_string()) {
      reject("claim 'restaurants' is not an array of strings");
    }
    restaurants.push_back(item.get<std::string>());
  }
  return restaurants;
}

void check_header(const json& header, const std::string& key_id) {
  const json* alg = find_claim(header, "alg");
  if (alg == nullptr || !alg->is_string()) {
    reject("the header has no 'alg'");
  }
  // Only the algorithm of our own keys is accepted; "none" and HMAC algorithms in
  // particular would let anyone who knows the public key forge tokens.
  if (alg->get<std::string>() != "EdDSA") {
    reject(fmt::format("algorithm '{}' is not accepted, only EdDSA",
                       alg->get<std::string>().substr(0, 32)));
  }
  const json* typ = find_claim(header, "typ");
  if (typ != nullptr && (!typ->is_string() || typ->get<std::string>() != "JWT")) {
    reject("the header 'typ' is not JWT");
  }
  // RFC 7515, 4.1.11: extensions the verifier does not understand must be rejected.
  if (header.contains("crit")) {
    reject("the header lists critical extensions, which are not supported");
  }
  const json* kid = find_claim(header, "kid");
  if (kid != nullptr && (!kid->is_string() || kid->get<std::string>() != key_id)) {
    reject("it was signed by a different key");
  }
}

}  // namespace

std::string_view role_name(Role role) {
  for (const auto& [value, name] : kRoles) {
    if (value == role) {
      return name;
    }
  }
  return "CUSTOMER";  // unreachable while kRoles lists every enumerator
}

std::optional<Role> role_from_name(std::string_view name) {
  for (const auto& [value, role_text] : kRoles) {
    if (role_text == name) {
      return value;
    }
  }
  return std::nullopt;
}

std::string sign_access_token(const Claims& claims, const KeyPair& key) {
  json header = {{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", key.public_key().key_id()}};
  json payload = {
      {"iss", claims.issuer},
      {"aud", claims.audience},
      {"sub", claims.subject},
      {"role", role_name(claims.role)},
      {"restaurants", claims.restaurants},
      {"iat", seconds_since_epoch(claims.issued_at)},
      {"exp", seconds_since_epoch(claims.expires_at)},
      {"jti", claims.token_id},
  };
  if (claims.not_before) {
    payload["nbf"] = seconds_since_epoch(*claims.not_before);
  }
  std::string signing_input =
      base64url_encode(header.dump()) + "." + base64url_encode(payload.dump());
  std::string signature = key.sign(signing_input);
  return signing_input + "." + base64url_encode(signature);
}

// Claims of verified tokens by token text, with a shared lock for the common case of a hit.
class TokenVerifier::Cache {
 public:
  std::optional<Claims> find(std::string_view token) const {
    std::shared_lock lock(mutex_);
    auto found = claims_.find(token);
    if (found == claims_.end()) {
      return std::nullopt;
    }
    return found->second;
  }

  void insert(std::string_view token, const Claims& claims, std::chrono::sys_seconds expired) {
    std::unique_lock lock(mutex_);
    if (claims_.size() >= kMaxCachedTokens) {
      std::erase_if(claims_,
                    [expired](const auto& entry) { return entry.second.expires_at <= expired; });
      if (claims_.size() >= kMaxCachedTokens) {
        claims_.clear();
      }
    }
    claims_.try_emplace(std::string(token), claims);
  }

 private:
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };

  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Claims, TextHash, std::equal_to<>> claims_;
};

TokenVerifier::TokenVerifier(PublicKey public_key, std::string issuer, std::string audience,
                             std::chrono::seconds leeway)
    : cache_(std::make_shared<Cache>()),
      public_key_(public_key),
      key_id_(public_key.key_id()),
      issuer_(std::move(issuer)),
      audience_(std::move(audience)),
      leeway_(leeway) {}

Claims TokenVerifier::verify(std::string_view token) const {
  return verify(token, core::now());
}

Claims TokenVerifier::verify(std::string_view token, core::Timestamp now) const {
  if (auto cached = cache_->find(token)) {
    check_times(*cached, now);
    return std::move(*cached);
  }
  Claims claims = verify_uncached(token);
  check_times(claims, now);
  cache_->insert(token, claims, std::chrono::floor<std::chrono::seconds>(now) - leeway_);
  return claims;
}

void TokenVerifier::check_times(const Claims& claims, core::Timestamp now) const {
  auto now_seconds = std::chrono::floor<std::chrono::seconds>(now);
  if (claims.expires_at <= now_seconds - leeway_) {
    reject("it has expired; refresh it or log in again");
  }
  if (claims.not_before && *claims.not_before > now_seconds + leeway_) {
    reject("it is not valid yet (nbf is in the future)");
  }
  if (claims.issued_at > now_seconds + leeway_) {
    reject("it is not valid yet (iat is in the future)");
  }
}

Claims TokenVerifier::verify_uncached(std::string_view token) const {
  if (token.size() > kMaxTokenBytes) {
    reject(fmt::format("it is longer than {} bytes", kMaxTokenBytes));
  }
  auto first_dot = token.find('.');
  auto second_dot =
      first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos ||
      token.find('.', second_dot + 1) != std::string_view::npos) {
    reject("it does not have exactly three dot-separated parts");
  }
  std::string_view header_part = token.substr(0, first_dot);
  std::string_view payload_part = token.substr(first_dot + 1, second_dot - first_dot - 1);
  std::string_view signature_part = token.substr(second_dot + 1);

  // The header decides how the signature is checked, so it is checked before anything else.
  check_header(decode_json_object(header_part, "header"), key_id_);

  auto signature = base64url_decode(signature_part);
  if (!signature || signature->size() != crypto_sign_BYTES) {
    reject("the signature is not a base64url Ed25519 signature");
  }
  std::string_view signing_input = token.substr(0, second_dot);
  detail::ensure_sodium();
  if (crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature->data()),
                                  reinterpret_cast<const unsigned char*>(signing_input.data()),
                                  signing_input.size(), public_key_.bytes().data()) != 0) {
    reject("the signature does not match");
  }

  json payload = decode_json_object(payload_part, "payload");
  Claims claims;
  claims.issuer = string_claim(payload, "iss");
  if (claims.issuer != issuer_) {
    reject(fmt::format("issuer '{}' is not '{}'", claims.issuer.substr(0, 64), issuer_));
  }
  if (!audience_matches(payload, audience_)) {
    reject(fmt::format("the audience does not include '{}'", audience_));
  }
  claims.audience = audience_;
  claims.subject = string_claim(payload, "sub");
  if (claims.subject.empty()) {
    reject("claim 'sub' is empty");
  }
  auto role = role_from_name(string_claim(payload, "role"));
  if (!role) {
    reject("claim 'role' is not CUSTOMER, STORE, COURIER or ADMIN");
  }
  claims.role = *role;
  claims.restaurants = restaurants_claim(payload);
  claims.issued_at = time_claim(payload, "iat");
  claims.expires_at = time_claim(payload, "exp");
  claims.not_before = optional_time_claim(payload, "nbf");
  claims.token_id = string_claim(payload, "jti");
  return claims;
}

}  // namespace surplus::auth
