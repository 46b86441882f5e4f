#include "fragment_map.hpp"

#include <algorithm>
#include <variant>

#include "same_name.hpp"

namespace surplus::graphql::detail {

FragmentMap::FragmentMap(const ast::Document& document) {
  for (const auto& definition : document.definitions) {
    if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
      entries_.emplace_back(fragment->name, fragment);
    }
  }
  // A stable sort keeps definitions of one name in document order, so the last of each
  // run is the one to keep.
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const auto& left, const auto& right) { return left.first < right.first; });
  auto kept_end = entries_.begin();
  for (auto at = entries_.begin(); at != entries_.end(); ++at) {
    const auto next = at + 1;
    if (next == entries_.end() || next->first != at->first) {
      *kept_end++ = *at;
    }
  }
  entries_.erase(kept_end, entries_.end());
}

const ast::FragmentDefinition* FragmentMap::find(std::string_view name) const {
  if (entries_.size() <= kLinearSearchLimit) {
    for (const auto& [key, definition] : entries_) {
      if (same_name(key, name)) {
        return definition;
      }
    }
    return nullptr;
  }
  const auto found = std::lower_bound(
      entries_.begin(), entries_.end(), name,
      [](const auto& entry, std::string_view wanted) { return entry.first < wanted; });
  return found != entries_.end() && found->first == name ? found->second : nullptr;
}

}  // namespace surplus::graphql::detail
