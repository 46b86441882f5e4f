#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>

#include <sodium.h>

#include <surplus/core/id.hpp>

namespace surplus::core {
namespace {

std::once_flag g_sodium_once;

void ensure_sodium() {
  std::call_once(g_sodium_once, [] {
    if (sodium_init() < 0) {
      throw std::runtime_error("libsodium failed to initialise");
    }
  });
}

// Millisecond timestamp and counter kept together so that ids from one process increase.
struct Clock {
  std::mutex mutex;
  std::uint64_t last_ms = 0;
  std::uint16_t counter = 0;
};

Clock g_clock;

}  // namespace

std::string new_uuid_v7() {
  ensure_sodium();
  std::array<std::uint8_t, 16> bytes{};
  randombytes_buf(bytes.data(), bytes.size());

  auto now_ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count());
  std::uint16_t counter = 0;
  {
    std::lock_guard lock(g_clock.mutex);
    if (now_ms <= g_clock.last_ms) {
      // Same millisecond (or the clock stepped back): keep the last time and count up.
      now_ms = g_clock.last_ms;
      counter = ++g_clock.counter;
      if (counter > 0x0fff) {
        now_ms = ++g_clock.last_ms;
        counter = g_clock.counter = 0;
      }
    } else {
      g_clock.last_ms = now_ms;
      counter = g_clock.counter = static_cast<std::uint16_t>(bytes[6] & 0x03);
    }
  }

  for (int i = 0; i < 6; ++i) {
    bytes[i] = static_cast<std::uint8_t>(now_ms >> (40 - 8 * i));
  }
  bytes[6] = static_cast<std::uint8_t>(0x70 | ((counter >> 8) & 0x0f));
  bytes[7] = static_cast<std::uint8_t>(counter & 0xff);
  bytes[8] = static_cast<std::uint8_t>(0x80 | (bytes[8] & 0x3f));

  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      text.push_back('-');
    }
    text.push_back(kHex[bytes[i] >> 4]);
    text.push_back(kHex[bytes[i] & 0x0f]);
  }
  return text;
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-')
        return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace surplus::core
