#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <surplus/core/time.hpp>

namespace surplus::auth {

// Base64url without padding (RFC 4648, section 5), as JWS uses it (RFC 7515, section 2).
std::string base64url_encode(std::string_view bytes);
// Strict decoding: rejects padding, characters outside the alphabet and non-zero unused
// trailing bits, so that every token has exactly one encoding. Returns nullopt then.
std::optional<std::string> base64url_decode(std::string_view text);

// Standard base64 with padding (RFC 4648, section 4), the form of keys in the environment
// and in key files.
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

enum class Role { kCustomer, kStore, kCourier, kAdmin };

// "CUSTOMER", "STORE", "COURIER" or "ADMIN".
std::string_view role_name(Role role);
std::optional<Role> role_from_name(std::string_view name);

inline constexpr std::string_view kDefaultIssuer = "surplus";
inline constexpr std::string_view kDefaultAudience = "surplus";

// The claims of a Surplus access token. On the wire: iss, aud, sub, role, restaurants,
// iat, nbf (optional), exp and jti; times are NumericDate (whole seconds since the epoch).
struct Claims {
  std::string issuer{kDefaultIssuer};
  std::string audience{kDefaultAudience};
  std::string subject;  // the user id
  Role role = Role::kCustomer;
  // Restaurants whose staff the user was when the token was issued (STORE users only).
  std::vector<std::string> restaurants;
  std::chrono::sys_seconds issued_at{};
  std::optional<std::chrono::sys_seconds> not_before;
  std::chrono::sys_seconds expires_at{};
  std::string token_id;  // jti, unique per token

  friend bool operator==(const Claims&, const Claims&) = default;
};

inline constexpr std::size_t kPublicKeyBytes = 32;
inline constexpr std::size_t kSeedBytes = 32;

// An Ed25519 public key.
class PublicKey {
 public:
  explicit PublicKey(const std::array<std::uint8_t, kPublicKeyBytes>& bytes) : bytes_(bytes) {}

  // Parses the standard base64 form of the 32 key bytes; returns nullopt when `text` is not
  // base64 or has another length. Surrounding whitespace is ignored.
  static std::optional<PublicKey> from_base64(std::string_view text);

  std::string to_base64() const;
  // The JWS "kid": base64url of the first 9 bytes of SHA-256 of the key, 12 characters.
  std::string key_id() const;
  const std::array<std::uint8_t, kPublicKeyBytes>& bytes() const { return bytes_; }

  friend bool operator==(const PublicKey&, const PublicKey&) = default;

 private:
  std::array<std::uint8_t, kPublicKeyBytes> bytes_;
};

// An Ed25519 signing key pair. The private key is kept as its 32-byte seed, from which
// libsodium derives the 64-byte secret key; the memory is wiped on destruction.
class KeyPair {
 public:
  // A new random key pair.
  static KeyPair generate();
  // From the standard base64 form of the 32-byte seed, or of the 64-byte libsodium secret
  // key (seed followed by the public key, which must match). Returns nullopt otherwise.
  static std::optional<KeyPair> from_base64(std::string_view text);

  KeyPair(const KeyPair& other);
  KeyPair& operator=(const KeyPair& other);
  ~KeyPair();

  const PublicKey& public_key() const { return public_key_; }
  // The base64 seed: the secret that from_base64 reads back. Never log it.
  std::string seed_base64() const;

  // The detached Ed25519 signature of `message`, 64 bytes.
  std::string sign(std::string_view message) const;

 private:
  explicit KeyPair(const std::array<std::uint8_t, kSeedBytes>& seed);

  std::array<std::uint8_t, 64> secret_key_{};
  PublicKey public_key_;
};

// Encodes and signs `claims` as a compact JWS with header {"alg":"EdDSA","typ":"JWT",
// "kid":<key id>}.
std::string sign_access_token(const Claims& claims, const KeyPair& key);

// Longest token verify() reads; anything longer is rejected before decoding.
inline constexpr std::size_t kMaxTokenBytes = 8 * 1024;

// Maximum number of tokens that one verifier caches. When the cache is full, expired tokens
// are dropped, and if it is still full, it is emptied.
inline constexpr std::size_t kMaxCachedTokens = 4096;

// Checks access tokens for one issuer and audience with one public key. Thread-safe and
// cheap to copy; copies share one cache.
//
// The claims of a token that passed every check are cached by its exact text, so the same
// token presented again costs a hash lookup instead of a signature check. Only the time
// checks (exp, nbf, iat against now and the leeway) depend on anything but the token's bytes
// and this verifier's key, issuer and audience, and they run again on every call. Access
// tokens cannot be revoked before they expire, so the cache changes no outcome.
class TokenVerifier {
 public:
  explicit TokenVerifier(PublicKey public_key, std::string issuer = std::string(kDefaultIssuer),
                         std::string audience = std::string(kDefaultAudience),
                         std::chrono::seconds leeway = std::chrono::seconds(30));

  // Returns the claims of a valid token. Throws core::Error UNAUTHENTICATED whose message
  // names the reason: malformed (not three base64url parts, header or payload not a JSON
  // object, a claim missing or of the wrong type, too long), an algorithm other than
  // EdDSA (so "none" and HS256 are rejected), a key id of another key, a bad signature,
  // a wrong issuer or audience, not yet valid (nbf or iat later than now + leeway), or
  // expired (exp at or before now - leeway).
  Claims verify(std::string_view token) const;
  // The same at the instant `now`, for tests of the clock-skew edges.
  Claims verify(std::string_view token, core::Timestamp now) const;

  const PublicKey& public_key() const { return public_key_; }
  std::chrono::seconds leeway() const { return leeway_; }

 private:
  class Cache;

  Claims verify_uncached(std::string_view token) const;
  // Throws UNAUTHENTICATED when `claims` are expired or not yet valid at `now`.
  void check_times(const Claims& claims, core::Timestamp now) const;

  std::shared_ptr<Cache> cache_;
  PublicKey public_key_;
  std::string key_id_;
  std::string issuer_;
  std::string audience_;
  std::chrono::seconds leeway_;
};

}  // namespace surplus::auth
