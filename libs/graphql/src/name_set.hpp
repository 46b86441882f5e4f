#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "same_name.hpp"

namespace surplus::graphql::detail {

// A set of names (fragments, variables). Up to kInlineCapacity names are stored inside the
// object and more in a vector. The set is searched linearly until it grows past
// kLinearLimit. Most documents have a handful of names, and a hash set or a vector would
// allocate for each set. The names must outlive the set.
class NameSet {
 public:
  // Returns true when `name` was not in the set yet.
  bool insert(std::string_view name) {
    if (!index_.empty()) {
      if (!index_.insert(name).second) {
        return false;
      }
      ++size_;
      return true;
    }
    if (contains(name)) {
      return false;
    }
    if (size_ < kInlineCapacity) {
      inline_[size_++] = name;
      return true;
    }
    if (size_ == kInlineCapacity) {
      spilled_.assign(inline_.begin(), inline_.end());
    }
    spilled_.push_back(name);
    ++size_;
    if (size_ > kLinearLimit) {
      index_.insert(spilled_.begin(), spilled_.end());
    }
    return true;
  }

  // Reserves room for `count` names, which avoids the first reallocations of the vector.
  void reserve(std::size_t count) {
    if (count > kInlineCapacity) {
      spilled_.reserve(count);
    }
  }

  bool contains(std::string_view name) const {
    if (!index_.empty()) {
      return index_.count(name) != 0;
    }
    const std::string_view* names = size_ <= kInlineCapacity ? inline_.data() : spilled_.data();
    return std::any_of(names, names + size_,
                       [&](std::string_view known) { return same_name(known, name); });
  }

  std::size_t size() const { return size_; }

 private:
  static constexpr std::size_t kInlineCapacity = 8;
  static constexpr std::size_t kLinearLimit = 16;

  // The names while there are at most kInlineCapacity of them.
  std::array<std::string_view, kInlineCapacity> inline_{};
  // Every name once there are more, until the index takes over.
  std::vector<std::string_view> spilled_;
  std::size_t size_ = 0;
  std::unordered_set<std::string_view> index_;
};

}  // namespace surplus::graphql::detail
