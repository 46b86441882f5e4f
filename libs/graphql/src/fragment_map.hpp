#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include <surplus/graphql/ast.hpp>

namespace surplus::graphql::detail {

// The fragment definitions of one document by name, for the lookups of field collection
// and validation. Of two definitions with the same name the later one wins, as in
// graphql-js; UniqueFragmentNames reports such a document. The names belong to the
// document, which must outlive the map.
//
// A vector rather than a tree: a document has few fragments, so they fit in one
// allocation, and a short list stays in document order and is searched without the string
// comparisons of a tree. A longer list is sorted by name, with duplicates removed.
class FragmentMap {
 public:
  FragmentMap() = default;
  explicit FragmentMap(const ast::Document& document);

  // The definition named `name`, or nullptr.
  const ast::FragmentDefinition* find(std::string_view name) const;
  bool empty() const { return entries_.empty(); }

 private:
  // Up to this many entries a linear search beats a binary one.
  static constexpr std::size_t kLinearSearchLimit = 8;

  std::vector<std::pair<std::string_view, const ast::FragmentDefinition*>> entries_;
};

}  // namespace surplus::graphql::detail
