#include <cstring>
#include <stdexcept>

#include <sodium.h>

#include <surplus/auth/jwt.hpp>

#include "sodium_init.hpp"

namespace surplus::auth {
namespace {

std::string_view as_chars(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) {
    return {};
  }
  auto last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

}  // namespace

std::optional<PublicKey> PublicKey::from_base64(std::string_view text) {
  auto bytes = base64_decode(trim(text));
  if (!bytes || bytes->size() != kPublicKeyBytes) {
    return std::nullopt;
  }
  std::array<std::uint8_t, kPublicKeyBytes> key{};
  std::memcpy(key.data(), bytes->data(), key.size());
  return PublicKey(key);
}

std::string PublicKey::to_base64() const {
  return base64_encode(as_chars(bytes_.data(), bytes_.size()));
}

std::string PublicKey::key_id() const {
  detail::ensure_sodium();
  std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), bytes_.data(), bytes_.size());
  return base64url_encode(as_chars(digest.data(), 9));
}

KeyPair::KeyPair(const std::array<std::uint8_t, kSeedBytes>& seed) : public_key_({}) {
  detail::ensure_sodium();
  std::array<std::uint8_t, kPublicKeyBytes> public_bytes{};
  if (crypto_sign_seed_keypair(public_bytes.data(), secret_key_.data(), seed.data()) != 0) {
    throw std::runtime_error("crypto_sign_seed_keypair failed");
  }
  public_key_ = PublicKey(public_bytes);
}

KeyPair KeyPair::generate() {
  detail::ensure_sodium();
  std::array<std::uint8_t, kSeedBytes> seed{};
  randombytes_buf(seed.data(), seed.size());
  KeyPair pair(seed);
  sodium_memzero(seed.data(), seed.size());
  return pair;
}

std::optional<KeyPair> KeyPair::from_base64(std::string_view text) {
  auto bytes = base64_decode(trim(text));
  if (!bytes || (bytes->size() != kSeedBytes && bytes->size() != crypto_sign_SECRETKEYBYTES)) {
    if (bytes) {
      sodium_memzero(bytes->data(), bytes->size());
    }
    return std::nullopt;
  }
  std::array<std::uint8_t, kSeedBytes> seed{};
  std::memcpy(seed.data(), bytes->data(), seed.size());
  KeyPair pair(seed);
  sodium_memzero(seed.data(), seed.size());

  // The 64-byte form repeats the public key; a mismatch means a corrupted or spliced key.
  bool consistent = bytes->size() == kSeedBytes ||
                    std::memcmp(bytes->data() + kSeedBytes, pair.public_key_.bytes().data(),
                                kPublicKeyBytes) == 0;
  sodium_memzero(bytes->data(), bytes->size());
  if (!consistent) {
    return std::nullopt;
  }
  return pair;
}

KeyPair::KeyPair(const KeyPair& other) = default;
KeyPair& KeyPair::operator=(const KeyPair& other) = default;

KeyPair::~KeyPair() {
  sodium_memzero(secret_key_.data(), secret_key_.size());
}

std::string KeyPair::seed_base64() const {
  // libsodium's secret key is the seed followed by the public key.
  return base64_encode(as_chars(secret_key_.data(), kSeedBytes));
}

std::string KeyPair::sign(std::string_view message) const {
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_key_.data());
  return signature;
}

}  // namespace surplus::auth
