#include <algorithm>

#include <surplus/core/idempotency_key.hpp>

namespace surplus::core {

bool is_idempotency_key(std::string_view key) {
  return !key.empty() && key.size() <= kMaxIdempotencyKeyBytes &&
         std::all_of(key.begin(), key.end(), [](char c) {
           const auto byte = static_cast<unsigned char>(c);
           return byte > 0x20 && byte < 0x7F;
         });
}

}  // namespace surplus::core
