#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <surplus/graphql/schema.hpp>

namespace surplus::graphql::detail {

using FragmentMap = std::map<std::string, const ast::FragmentDefinition*, std::less<>>;

// The field nodes that share one response key, in document order.
struct FieldGroup {
  std::string response_key;
  std::vector<const ast::Selection*> nodes;
};

// Field groups in the order their response keys first appear (section 6.3.2).
class FieldGroups {
 public:
  void add(const ast::Selection& field);
  const std::vector<FieldGroup>& groups() const { return groups_; }

 private:
  std::vector<FieldGroup> groups_;
  std::unordered_map<std::string, std::size_t> index_;
};

// Section 6.3.2 CollectFields: follows fragments once each, applies @skip and @include
// (section 3.13.1 and 3.13.2) and keeps only fragments whose type condition applies.
void collect_fields(const Schema& schema, const Type* object_type,
                    const std::vector<ast::Selection>& selections, const Json& variables,
                    const FragmentMap& fragments, std::set<std::string>& visited,
                    FieldGroups& groups);

// Section 6.3.2 DoesFragmentTypeApply.
bool does_fragment_type_apply(const Schema& schema, const Type* object_type,
                              const Type* fragment_type);

bool should_include(const std::vector<ast::Directive>& directives, const Json& variables);

}  // namespace surplus::graphql::detail
