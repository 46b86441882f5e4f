#pragma once

#include <algorithm>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "same_name.hpp"

namespace surplus::graphql::detail {

// A set of names (fragments, variables) that lives in a small vector until it grows past
// kLinearLimit, because most documents have a handful of them and a hash set would
// allocate for each. The names must outlive the set.
class NameSet {
 public:
  // Returns true when `name` was not in the set yet.
  bool insert(std::string_view name) {
    if (!index_.empty()) {
      if (!index_.insert(name).second) {
        return false;
      }
      names_.push_back(name);
      return true;
    }
    if (contains(name)) {
      return false;
    }
    names_.push_back(name);
    if (names_.size() > kLinearLimit) {
      index_.insert(names_.begin(), names_.end());
    }
    return true;
  }

  // Reserves room for `count` names in the vector, which avoids its first reallocations.
  void reserve(std::size_t count) { names_.reserve(count); }

  bool contains(std::string_view name) const {
    if (!index_.empty()) {
      return index_.count(name) != 0;
    }
    return std::any_of(names_.begin(), names_.end(),
                       [&](std::string_view known) { return same_name(known, name); });
  }

 private:
  static constexpr std::size_t kLinearLimit = 16;

  std::vector<std::string_view> names_;
  std::unordered_set<std::string_view> index_;
};

}  // namespace surplus::graphql::detail
