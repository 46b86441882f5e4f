#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace surplus::graphql::detail {

// Reads an unaligned integer from `bytes`.
template <typename Word>
inline Word load_unaligned(const char* bytes) {
  Word word;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

// Compares two names without a call to memcmp. For the short names of most fields,
// fragments and response keys the call costs more than the comparison. Names of different
// lengths, the common case in a search, return after one comparison. Equal lengths are
// compared eight bytes at a time and then with two loads that may overlap, which covers
// every tail of up to eight bytes without a loop over its bytes.
inline bool same_name(std::string_view left, std::string_view right) {
  const std::size_t size = left.size();
  if (size != right.size()) {
    return false;
  }
  const char* const a = left.data();
  const char* const b = right.data();
  if (size >= sizeof(std::uint64_t)) {
    std::size_t i = 0;
    for (; i + sizeof(std::uint64_t) < size; i += sizeof(std::uint64_t)) {
      if (load_unaligned<std::uint64_t>(a + i) != load_unaligned<std::uint64_t>(b + i)) {
        return false;
      }
    }
    const std::size_t last = size - sizeof(std::uint64_t);
    return load_unaligned<std::uint64_t>(a + last) == load_unaligned<std::uint64_t>(b + last);
  }
  if (size >= sizeof(std::uint32_t)) {
    const std::size_t last = size - sizeof(std::uint32_t);
    return load_unaligned<std::uint32_t>(a) == load_unaligned<std::uint32_t>(b) &&
           load_unaligned<std::uint32_t>(a + last) == load_unaligned<std::uint32_t>(b + last);
  }
  if (size >= sizeof(std::uint16_t)) {
    const std::size_t last = size - sizeof(std::uint16_t);
    return load_unaligned<std::uint16_t>(a) == load_unaligned<std::uint16_t>(b) &&
           load_unaligned<std::uint16_t>(a + last) == load_unaligned<std::uint16_t>(b + last);
  }
  return size == 0 || *a == *b;
}

}  // namespace surplus::graphql::detail
