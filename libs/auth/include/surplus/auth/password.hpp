#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <surplus/core/config.hpp>

namespace surplus::auth {

// Argon2id cost parameters for crypto_pwhash (libsodium always uses one lane).
//
// The defaults, 2 passes over 19 MiB, are the minimum Argon2id configuration that the OWASP
// Password Storage Cheat Sheet recommends (2023 edition). docs/benchmarks.md records the hashes per
// second they give, which is the ceiling for logins per second of one orders process.
struct PasswordHashParams {
  std::uint64_t ops_limit = 2;               // passes over memory (Argon2 t)
  std::size_t mem_limit = 19 * 1024 * 1024;  // bytes (Argon2 m)
  // Hashes computed at the same time at most; further callers wait. Each hash uses
  // mem_limit bytes and one core, so this bounds both under a burst of logins.
  int max_concurrent = 2;

  // Reads ARGON2_OPS_LIMIT (1-10), ARGON2_MEM_LIMIT (a byte size, 8KiB-1GiB) and
  // ARGON2_MAX_CONCURRENT (1-64); throws core::ConfigError naming a bad one.
  static PasswordHashParams from_env(const core::EnvReader& env);
};

// Hashes and checks passwords with Argon2id. The stored form is libsodium's encoded
// string ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), which carries its own parameters,
// so raising them later only affects new hashes (see needs_rehash). Thread-safe.
class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordHashParams params = {});
  ~PasswordHasher();
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // Returns the encoded hash of `password` with a random salt. Throws core::Error
  // INTERNAL when libsodium cannot allocate the memory.
  std::string hash(std::string_view password) const;

  // Whether `password` matches `encoded`. A malformed `encoded` value is a mismatch.
  bool verify(std::string_view encoded, std::string_view password) const;

  // Runs one verification against a fixed hash and returns false, so that a login for an
  // unknown e-mail takes as long as one with a wrong password.
  bool verify_dummy(std::string_view password) const;

  // Whether `encoded` was made with parameters other than this hasher's (or is not an
  // Argon2id hash at all), so it should be replaced after the next successful login.
  bool needs_rehash(std::string_view encoded) const;

  const PasswordHashParams& params() const { return params_; }

 private:
  class Limiter;

  PasswordHashParams params_;
  std::unique_ptr<Limiter> limiter_;
  std::string dummy_hash_;
};

}  // namespace surplus::auth
