#include "fragment_map.hpp"

#include <algorithm>
#include <variant>

#include "same_name.hpp"

namespace surplus::graphql::detail {

FragmentMap::FragmentMap(const ast::Document& document) {
  std::size_t count = 0;
  for (const auto& definition : document.definitions) {
    count += std::holds_alternative<ast::FragmentDefinition>(definition) ? 1 : 0;
  }
  entries_.reserve(count);
  for (const auto& definition : document.definitions) {
    if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
      entries_.emplace_back(fragment->name, fragment);
    }
  }
  // A short list stays in document order, and find() searches it from the end.
  if (entries_.size() <= kLinearSearchLimit) {
    return;
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
    // From the end, so that the later of two definitions with one name wins.
    for (auto at = entries_.rbegin(); at != entries_.rend(); ++at) {
      if (same_name(at->first, name)) {
        return at->second;
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
