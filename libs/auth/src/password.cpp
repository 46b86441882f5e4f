#include <condition_variable>
#include <mutex>

#include <sodium.h>

#include <surplus/auth/password.hpp>
#include <surplus/core/error.hpp>

#include "sodium_init.hpp"

namespace surplus::auth {

// A counting semaphore; std::counting_semaphore needs its maximum at compile time.
class PasswordHasher::Limiter {
 public:
  explicit Limiter(int slots) : free_(slots) {}

  class Slot {
   public:
    explicit Slot(Limiter& limiter) : limiter_(limiter) {
      std::unique_lock lock(limiter_.mutex_);
      limiter_.available_.wait(lock, [this] { return limiter_.free_ > 0; });
      --limiter_.free_;
    }
    ~Slot() {
      {
        std::lock_guard lock(limiter_.mutex_);
        ++limiter_.free_;
      }
      limiter_.available_.notify_one();
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    Limiter& limiter_;
  };

 private:
  std::mutex mutex_;
  std::condition_variable available_;
  int free_;
};

PasswordHashParams PasswordHashParams::from_env(const core::EnvReader& env) {
  PasswordHashParams params;
  params.ops_limit = static_cast<std::uint64_t>(
      env.integer("ARGON2_OPS_LIMIT", static_cast<std::int64_t>(params.ops_limit), 1, 10));
  auto mem_limit = env.byte_size("ARGON2_MEM_LIMIT", static_cast<std::int64_t>(params.mem_limit));
  if (mem_limit < 8 * 1024 || mem_limit > 1024 * 1024 * 1024) {
    throw core::ConfigError("ARGON2_MEM_LIMIT",
                            "ARGON2_MEM_LIMIT must be between 8KiB and 1GiB, e.g. 19MiB");
  }
  params.mem_limit = static_cast<std::size_t>(mem_limit);
  params.max_concurrent =
      static_cast<int>(env.integer("ARGON2_MAX_CONCURRENT", params.max_concurrent, 1, 64));
  return params;
}

PasswordHasher::PasswordHasher(PasswordHashParams params)
    : params_(params), limiter_(std::make_unique<Limiter>(params.max_concurrent)) {
  detail::ensure_sodium();
  dummy_hash_ = hash("surplus dummy password for timing");
}

PasswordHasher::~PasswordHasher() = default;

std::string PasswordHasher::hash(std::string_view password) const {
  char encoded[crypto_pwhash_STRBYTES];
  Limiter::Slot slot(*limiter_);
  if (crypto_pwhash_str_alg(encoded, password.data(), password.size(), params_.ops_limit,
                            params_.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw core::Error::internal("crypto_pwhash_str_alg failed; out of memory for Argon2id");
  }
  return encoded;
}

bool PasswordHasher::verify(std::string_view encoded, std::string_view password) const {
  // crypto_pwhash_str_verify reads a NUL-terminated string of at most STRBYTES.
  if (encoded.size() >= crypto_pwhash_STRBYTES || encoded.find('\0') != std::string_view::npos) {
    return false;
  }
  std::string terminated(encoded);
  Limiter::Slot slot(*limiter_);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::verify_dummy(std::string_view password) const {
  verify(dummy_hash_, password);
  return false;
}

bool PasswordHasher::needs_rehash(std::string_view encoded) const {
  std::string terminated(encoded);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), params_.ops_limit, params_.mem_limit) !=
         0;
}

}  // namespace surplus::auth
