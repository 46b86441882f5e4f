#pragma once

#include <cstddef>
#include <string_view>

namespace surplus::graphql::detail {

// Compares two names without a call to memcmp. For the short names of most fields,
// fragments and response keys the call costs more than the comparison. Names of different
// lengths, the common case in a search, return after one comparison.
inline bool same_name(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) {
    return false;
  }
  for (std::size_t i = 0; i < left.size(); ++i) {
    if (left[i] != right[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace surplus::graphql::detail
