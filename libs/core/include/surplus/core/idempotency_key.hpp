#pragma once

#include <cstddef>
#include <string_view>

namespace surplus::core {

// The longest Idempotency-Key that the services accept, in bytes.
inline constexpr std::size_t kMaxIdempotencyKeyBytes = 200;

// Returns whether `key` is a valid Idempotency-Key: 1 to 200 printable ASCII characters without
// spaces. A key travels in an HTTP header, where a line break would end the header and
// HTTP trims leading and trailing spaces, so every service and the gateway check the same.
bool is_idempotency_key(std::string_view key);

}  // namespace surplus::core
