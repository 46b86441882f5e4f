#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace surplus::graphql::detail {

// Compares two names without a call to memcmp. For the short names of most fields,
// fragments and response keys the call costs more than the comparison. Names of different
// lengths, the common case in a search, return after one comparison; equal lengths are
// compared eight bytes at a time, then byte by byte.
inline bool same_name(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) {
    return false;
  }
  std::size_t i = 0;
  for (; i + sizeof(std::uint64_t) <= left.size(); i += sizeof(std::uint64_t)) {
    std::uint64_t left_word = 0;
    std::uint64_t right_word = 0;
    std::memcpy(&left_word, left.data() + i, sizeof left_word);
    std::memcpy(&right_word, right.data() + i, sizeof right_word);
    if (left_word != right_word) {
      return false;
    }
  }
  for (; i < left.size(); ++i) {
    if (left[i] != right[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace surplus::graphql::detail
