#include <string>

#include <sodium.h>

#include <surplus/auth/jwt.hpp>

#include "sodium_init.hpp"

namespace surplus::auth {
namespace {

std::string encode(std::string_view bytes, int variant) {
  detail::ensure_sodium();
  std::string text(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  text.resize(text.size() - 1);  // the terminating NUL that sodium_bin2base64 writes
  return text;
}

// sodium_base642bin rejects characters outside the variant's alphabet, wrong padding and
// non-zero unused trailing bits; the length check below catches text it stopped early on.
std::optional<std::string> decode(std::string_view text, int variant) {
  detail::ensure_sodium();
  std::string bytes(text.size() * 3 / 4 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  int status = sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(),
                                 text.data(), text.size(), nullptr, &length, &end, variant);
  if (status != 0 || end != text.data() + text.size()) {
    return std::nullopt;
  }
  bytes.resize(length);
  return bytes;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  return encode(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::optional<std::string> base64url_decode(std::string_view text) {
  return decode(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string base64_encode(std::string_view bytes) {
  return encode(bytes, sodium_base64_VARIANT_ORIGINAL);
}

std::optional<std::string> base64_decode(std::string_view text) {
  return decode(text, sodium_base64_VARIANT_ORIGINAL);
}

}  // namespace surplus::auth
