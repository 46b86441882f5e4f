#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <surplus/graphql/schema.hpp>

#include "fragment_map.hpp"
#include "name_set.hpp"
#include "same_name.hpp"

namespace surplus::graphql::detail {

// Field nodes in document order. Most response keys have one node, which is stored
// without an allocation of its own.
class NodeList {
 public:
  explicit NodeList(const ast::Selection* first) : first_(first) {}

  void push_back(const ast::Selection* node) {
    if (rest_.empty()) {
      rest_.push_back(first_);
    }
    rest_.push_back(node);
  }
  const ast::Selection* front() const { return first_; }
  const ast::Selection* const* begin() const { return rest_.empty() ? &first_ : rest_.data(); }
  const ast::Selection* const* end() const {
    return rest_.empty() ? &first_ + 1 : rest_.data() + rest_.size();
  }

 private:
  const ast::Selection* first_;
  // Every node, the first one included, once there is more than one.
  std::vector<const ast::Selection*> rest_;
};

class FieldGroups;

// The field nodes that share one response key. The key and the nodes belong to the
// document, which must outlive the group.
struct FieldGroup {
  FieldGroup(std::string_view key, const ast::Selection* first, std::size_t hint)
      : response_key(key), nodes(first), member_hint(hint) {}

  std::string_view response_key;
  NodeList nodes;
  // Definition of the field on the object type the groups were collected for; set by
  // FieldGroups::resolve_definitions.
  const Field* definition = nullptr;
  // Set by resolve_definitions: the field is `__typename`, or it has neither a resolver nor
  // arguments, so its value is the parent's member of the same name.
  bool is_typename = false;
  bool reads_member = false;
  // Caches of the executor, which lists of similar objects hit on every item: the index of
  // the member found in the previous parent value (at first the group's position), and the
  // subfields collected for the previous object type.
  mutable std::size_t member_hint = 0;
  mutable const Type* sub_fields_type = nullptr;
  mutable const FieldGroups* sub_fields = nullptr;
  // The coerced argument values, once coercion has succeeded. They depend only on the first
  // node, the field definition and the variables, which are the same for every object the
  // group is resolved on.
  mutable std::optional<Json> arguments = std::nullopt;
};

// Field groups in the order their response keys first appear (section 6.3.2).
class FieldGroups {
 public:
  void add(const ast::Selection& field);
  void reserve(std::size_t count) { groups_.reserve(count); }
  // Looks up every group's field on `object_type` once, for all objects of that type.
  void resolve_definitions(const Schema& schema, const Type* object_type) {
    for (auto& group : groups_) {
      const std::string& name = group.nodes.front()->name;
      group.definition = schema.field_definition(object_type, name);
      group.is_typename = same_name(name, "__typename");
      group.reads_member = !group.is_typename && group.definition != nullptr &&
                           !group.definition->resolver && group.definition->arguments.empty();
    }
  }
  const std::vector<FieldGroup>& groups() const { return groups_; }

 private:
  // Small selection sets are searched directly; the index is built past this size.
  static constexpr std::size_t kLinearSearchLimit = 16;

  // The first member hint is the group's own position, because data objects usually list
  // their members in the order the query selects them.
  void append_group(std::string_view key, const ast::Selection& field) {
    groups_.emplace_back(key, &field, groups_.size());
  }

  std::vector<FieldGroup> groups_;
  std::unordered_map<std::string_view, std::size_t> index_;
};

// Names of the fragments already expanded into one selection.
using VisitedFragments = NameSet;

// Section 6.3.2 CollectFields: follows fragments once each, applies @skip and @include
// (section 3.13.1 and 3.13.2) and keeps only fragments whose type condition applies.
void collect_fields(const Schema& schema, const Type* object_type,
                    const std::vector<ast::Selection>& selections, const Json& variables,
                    const FragmentMap& fragments, VisitedFragments& visited, FieldGroups& groups);

// Estimates how many field groups collect_fields makes from `selections`, so they can be
// reserved at once. A spread or inline fragment counts as its own selections, one level
// deep. The estimate is at most 64, so a document that spreads large fragments many times
// cannot make the reservation large.
std::size_t estimate_field_count(const std::vector<ast::Selection>& selections,
                                 const FragmentMap& fragments);

// Section 6.3.2 DoesFragmentTypeApply.
bool does_fragment_type_apply(const Schema& schema, const Type* object_type,
                              const Type* fragment_type);

bool should_include(const std::vector<ast::Directive>& directives, const Json& variables);

}  // namespace surplus::graphql::detail
