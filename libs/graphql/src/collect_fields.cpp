#include "collect_fields.hpp"

#include <algorithm>

#include "same_name.hpp"
#include "values.hpp"

namespace surplus::graphql::detail {
namespace {

// Value of the `if` argument of @skip or @include; `otherwise` when the directive is
// absent or its variable has no value. Validated and coerced requests always have the
// value; only validation, which runs without variables, meets the `otherwise` case.
bool directive_condition(const std::vector<ast::Directive>& directives, std::string_view name,
                         const Json& variables, bool otherwise) {
  for (const auto& directive : directives) {
    if (directive.name != name) {
      continue;
    }
    for (const auto& argument : directive.arguments) {
      if (argument.name != "if") {
        continue;
      }
      if (argument.value.kind == ast::ValueKind::kBoolean) {
        return argument.value.boolean;
      }
      if (argument.value.kind == ast::ValueKind::kVariable) {
        const auto found = variables.find(argument.value.text);
        return found != variables.end() && found->is_boolean() ? found->get<bool>() : otherwise;
      }
    }
  }
  return otherwise;
}

}  // namespace

void FieldGroups::add(const ast::Selection& field) {
  const std::string_view key = field.response_key();
  if (index_.empty()) {
    for (auto& group : groups_) {
      if (same_name(group.response_key, key)) {
        group.nodes.push_back(&field);
        return;
      }
    }
    append_group(key, field);
    if (groups_.size() > kLinearSearchLimit) {
      for (std::size_t index = 0; index < groups_.size(); ++index) {
        index_.emplace(groups_[index].response_key, index);
      }
    }
    return;
  }
  const auto [found, inserted] = index_.try_emplace(key, groups_.size());
  if (!inserted) {
    groups_[found->second].nodes.push_back(&field);
    return;
  }
  append_group(key, field);
}

bool should_include(const std::vector<ast::Directive>& directives, const Json& variables) {
  if (directives.empty()) {
    return true;
  }
  if (directive_condition(directives, "skip", variables, false)) {
    return false;
  }
  return directive_condition(directives, "include", variables, true);
}

std::size_t estimate_field_count(const std::vector<ast::Selection>& selections,
                                 const FragmentMap& fragments) {
  constexpr std::size_t kMaxEstimate = 64;
  std::size_t count = 0;
  for (const auto& selection : selections) {
    if (count >= kMaxEstimate) {
      return kMaxEstimate;
    }
    if (selection.kind == ast::Selection::Kind::kField) {
      ++count;
    } else if (selection.kind == ast::Selection::Kind::kInlineFragment) {
      count += selection.selections.size();
    } else if (const auto* fragment = fragments.find(selection.name)) {
      count += fragment->selections.size();
    }
  }
  return std::min(count, kMaxEstimate);
}

bool does_fragment_type_apply(const Schema& schema, const Type* object_type,
                              const Type* fragment_type) {
  if (fragment_type == nullptr) {
    return false;
  }
  if (fragment_type->kind == TypeKind::kObject) {
    return fragment_type == object_type;
  }
  return fragment_type->is_abstract() && schema.is_possible_type(fragment_type, object_type);
}

void collect_fields(const Schema& schema, const Type* object_type,
                    const std::vector<ast::Selection>& selections, const Json& variables,
                    const FragmentMap& fragments, VisitedFragments& visited, FieldGroups& groups) {
  for (const auto& selection : selections) {
    if (!should_include(selection.directives, variables)) {
      continue;
    }
    switch (selection.kind) {
      case ast::Selection::Kind::kField:
        groups.add(selection);
        break;
      case ast::Selection::Kind::kInlineFragment:
        if (!selection.type_condition.empty() &&
            !does_fragment_type_apply(schema, object_type,
                                      schema.find_type(selection.type_condition))) {
          break;
        }
        collect_fields(schema, object_type, selection.selections, variables, fragments, visited,
                       groups);
        break;
      case ast::Selection::Kind::kFragmentSpread: {
        if (!visited.insert(selection.name)) {
          break;
        }
        const auto* fragment = fragments.find(selection.name);
        if (fragment == nullptr ||
            !does_fragment_type_apply(schema, object_type,
                                      schema.find_type(fragment->type_condition))) {
          break;
        }
        collect_fields(schema, object_type, fragment->selections, variables, fragments, visited,
                       groups);
        break;
      }
    }
  }
}

}  // namespace surplus::graphql::detail
