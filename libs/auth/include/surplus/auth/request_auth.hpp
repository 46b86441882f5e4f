#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <surplus/auth/jwt.hpp>
#include <surplus/core/config.hpp>
#include <surplus/http/headers.hpp>
#include <surplus/http/request.hpp>

namespace surplus::auth {

// Who sent a request, as proven by its access token.
struct Identity {
  std::string user_id;  // empty for an anonymous request
  Role role = Role::kCustomer;
  std::vector<std::string> restaurants;  // from the token; see Claims::restaurants
  std::string token_id;

  static Identity anonymous() { return {}; }
  static Identity from_claims(const Claims& claims);

  bool is_anonymous() const { return user_id.empty(); }
  bool is_admin() const { return !is_anonymous() && role == Role::kAdmin; }
  // A STORE user whose token lists `restaurant_id`. The service that owns staff
  // membership should check its own table instead, because the claim is only as fresh as
  // the token.
  bool is_staff_of(std::string_view restaurant_id) const;
};

// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or
// nullopt when the request has no Authorization header. Throws core::Error
// UNAUTHENTICATED when the header has another scheme or no token.
std::optional<std::string_view> bearer_token(const http::Request& request);

// The identity of the request: anonymous without an Authorization header, otherwise the
// verified token's. Throws core::Error UNAUTHENTICATED for a header or token that is not
// valid, even where anonymous access would be allowed, so a client learns that its token
// expired instead of silently getting anonymous results.
Identity authenticate(const http::Request& request, const TokenVerifier& verifier);

// Like authenticate, but an anonymous request throws UNAUTHENTICATED.
Identity require_authenticated(const http::Request& request, const TokenVerifier& verifier);

// Throws UNAUTHENTICATED for an anonymous identity and FORBIDDEN when its role is not one
// of `roles`.
void require_role(const Identity& identity, std::initializer_list<Role> roles);

inline constexpr std::string_view kServiceSecretHeader = "X-Service-Secret";
inline constexpr std::string_view kDevelopmentServiceSecret = "surplus-dev-secret";

// The shared secret that calls to /internal/ endpoints carry in X-Service-Secret.
class ServiceSecret {
 public:
  // Throws std::invalid_argument when `secret` is shorter than 16 bytes.
  explicit ServiceSecret(std::string secret);

  // Reads SERVICE_SECRET (at least 16 characters). Unset, it is the development secret
  // "surplus-dev-secret", and a warning says so. Throws core::ConfigError naming
  // SERVICE_SECRET for a shorter value.
  static ServiceSecret from_env(const core::EnvReader& env);

  // Compares in constant time (sodium_memcmp) for inputs of the secret's length.
  bool matches(std::string_view candidate) const;

  // Throws core::Error UNAUTHENTICATED unless the request carries the secret.
  void require(const http::Request& request) const;

  // Adds the X-Service-Secret header to an outgoing request's headers.
  void add_to(http::Headers& headers) const;

  bool is_development_default() const { return secret_ == kDevelopmentServiceSecret; }

 private:
  std::string secret_;
};

}  // namespace surplus::auth
