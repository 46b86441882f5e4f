#include "sodium_init.hpp"

#include <mutex>
#include <stdexcept>

#include <sodium.h>

namespace surplus::auth::detail {

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) {
      throw std::runtime_error("libsodium failed to initialise");
    }
  });
}

}  // namespace surplus::auth::detail
