#include "validation/limits.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace surplus::graphql::detail {
namespace {

constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > kSaturated - b ? kSaturated : a + b;
}

std::uint64_t saturating_multiply(std::uint64_t a, std::uint64_t b) {
  return a != 0 && b > kSaturated / a ? kSaturated : a * b;
}

// Size figures of a selection set with its fragments expanded. Counts saturate instead of
// wrapping, because fragments spread in fragments grow exponentially.
struct Measure {
  std::uint64_t depth = 0;
  std::uint64_t aliases = 0;
  std::uint64_t cost = 0;

  void add_sibling(const Measure& other) {
    depth = std::max(depth, other.depth);
    aliases = saturating_add(aliases, other.aliases);
    cost = saturating_add(cost, other.cost);
  }
};

bool is_list(const Type* type) {
  if (type->kind == TypeKind::kNonNull) {
    type = type->of_type;
  }
  return type->kind == TypeKind::kList;
}

class LimitChecker {
 public:
  LimitChecker(ValidationContext& context, const ValidationLimits& limits)
      : context_(context), limits_(limits) {}

  void check(const ast::OperationDefinition& operation);

 private:
  // `page_size` is the `first` or `last` of the enclosing field when that field is not a
  // list itself, such as a connection, so that its list fields (edges) take that size.
  Measure measure(const Type* parent, const std::vector<ast::Selection>& selections,
                  std::optional<std::uint64_t> page_size = std::nullopt);
  Measure measure_field(const Type* parent, const ast::Selection& field,
                        std::optional<std::uint64_t> page_size);
  const Measure& measure_fragment(const ast::FragmentDefinition& fragment);
  static std::optional<std::uint64_t> page_argument(const ast::Selection& field);
  void collect_root_keys(const std::vector<ast::Selection>& selections,
                         std::set<std::string_view>& keys,
                         std::set<std::string_view>& visited_fragments) const;
  // Reports `actual` above `maximum`; the message reads "... with <before><actual><after>".
  void check_bound(const ast::OperationDefinition& operation, std::string_view limit,
                   std::uint64_t maximum, std::uint64_t actual, std::string_view before,
                   std::string_view after);

  ValidationContext& context_;
  const ValidationLimits& limits_;
  // Fragments are measured once: their figures do not depend on where they are spread.
  std::map<std::string_view, Measure> fragments_;
};

void LimitChecker::check(const ast::OperationDefinition& operation) {
  const Schema& schema = context_.schema();
  const Type* root = operation.operation == ast::OperationType::kQuery ? schema.query_type()
                     : operation.operation == ast::OperationType::kMutation
                         ? schema.mutation_type()
                         : schema.subscription_type();
  const Measure figures = measure(root, operation.selections);
  check_bound(operation, "max_depth", limits_.max_depth, figures.depth, "a depth of ", "");
  check_bound(operation, "max_aliases", limits_.max_aliases, figures.aliases, "", " aliases");
  if (limits_.max_root_fields != 0) {
    std::set<std::string_view> keys;
    std::set<std::string_view> visited;
    collect_root_keys(operation.selections, keys, visited);
    check_bound(operation, "max_root_fields", limits_.max_root_fields, keys.size(), "",
                " root fields");
  }
  check_bound(operation, "max_cost", limits_.max_cost, figures.cost, "an estimated cost of ", "");
}

void LimitChecker::check_bound(const ast::OperationDefinition& operation, std::string_view limit,
                               std::uint64_t maximum, std::uint64_t actual, std::string_view before,
                               std::string_view after) {
  if (maximum == 0 || actual <= maximum) {
    return;
  }
  const std::string subject =
      operation.name.empty() ? "The operation" : "Operation \"" + operation.name + "\"";
  const std::string figure = actual == kSaturated ? "more than 2^64" : std::to_string(actual);
  context_.report(
      subject + " exceeds the limit " + std::string(limit) + " = " + std::to_string(maximum) +
          " with " + std::string(before) + figure + std::string(after) + ".",
      {operation.location},
      Json{{"code", "LIMIT_EXCEEDED"}, {"limit", limit}, {"maximum", maximum}, {"actual", actual}});
}

Measure LimitChecker::measure(const Type* parent, const std::vector<ast::Selection>& selections,
                              std::optional<std::uint64_t> page_size) {
  Measure total;
  for (const auto& selection : selections) {
    switch (selection.kind) {
      case ast::Selection::Kind::kField:
        total.add_sibling(measure_field(parent, selection, page_size));
        break;
      case ast::Selection::Kind::kInlineFragment: {
        const Type* type = selection.type_condition.empty()
                               ? parent
                               : context_.schema().find_type(selection.type_condition);
        total.add_sibling(measure(type, selection.selections, page_size));
        break;
      }
      case ast::Selection::Kind::kFragmentSpread:
        if (const auto* fragment = context_.fragment(selection.name)) {
          total.add_sibling(measure_fragment(*fragment));
        }
        break;
    }
  }
  return total;
}

Measure LimitChecker::measure_field(const Type* parent, const ast::Selection& field,
                                    std::optional<std::uint64_t> page_size) {
  const Field* definition =
      parent == nullptr ? nullptr : context_.schema().field_definition(parent, field.name);
  const bool list = definition != nullptr && is_list(definition->type);
  const std::optional<std::uint64_t> own_size = page_argument(field);
  Measure children;
  if (field.has_selection_set) {
    children = measure(definition == nullptr ? nullptr : definition->type->named_type(),
                       field.selections, list ? std::nullopt : own_size);
  }
  std::uint64_t multiplier = 1;
  if (list) {
    multiplier = own_size.value_or(page_size.value_or(limits_.default_list_size));
  }
  Measure result;
  result.depth = children.depth + 1;
  result.aliases = saturating_add(children.aliases, field.alias.empty() ? 0 : 1);
  result.cost = saturating_add(1, saturating_multiply(multiplier, children.cost));
  return result;
}

const Measure& LimitChecker::measure_fragment(const ast::FragmentDefinition& fragment) {
  const auto found = fragments_.find(fragment.name);
  if (found != fragments_.end()) {
    return found->second;
  }
  const Measure figures =
      measure(context_.schema().find_type(fragment.type_condition), fragment.selections);
  return fragments_.emplace(fragment.name, figures).first->second;
}

// The larger integer literal of the `first` and `last` arguments, or nullopt without one.
std::optional<std::uint64_t> LimitChecker::page_argument(const ast::Selection& field) {
  std::uint64_t size = 0;
  bool found = false;
  for (const auto& argument : field.arguments) {
    if ((argument.name != "first" && argument.name != "last") ||
        argument.value.kind != ast::ValueKind::kInt) {
      continue;
    }
    const std::string& text = argument.value.text;
    std::uint64_t value = 0;
    if (!text.empty() && text[0] == '-') {
      value = 0;
    } else if (std::from_chars(text.data(), text.data() + text.size(), value).ec != std::errc()) {
      value = kSaturated;
    }
    size = std::max(size, value);
    found = true;
  }
  if (!found) {
    return std::nullopt;
  }
  return size;
}

void LimitChecker::collect_root_keys(const std::vector<ast::Selection>& selections,
                                     std::set<std::string_view>& keys,
                                     std::set<std::string_view>& visited_fragments) const {
  for (const auto& selection : selections) {
    if (selection.kind == ast::Selection::Kind::kField) {
      keys.insert(selection.response_key());
    } else if (selection.kind == ast::Selection::Kind::kInlineFragment) {
      collect_root_keys(selection.selections, keys, visited_fragments);
    } else if (visited_fragments.insert(selection.name).second) {
      if (const auto* fragment = context_.fragment(selection.name)) {
        collect_root_keys(fragment->selections, keys, visited_fragments);
      }
    }
  }
}

}  // namespace

void check_limits(ValidationContext& context, const ValidationLimits& limits) {
  if (limits.max_depth == 0 && limits.max_aliases == 0 && limits.max_root_fields == 0 &&
      limits.max_cost == 0) {
    return;
  }
  LimitChecker checker(context, limits);
  for (const auto& definition : context.document().definitions) {
    if (const auto* operation = std::get_if<ast::OperationDefinition>(&definition)) {
      checker.check(*operation);
    }
  }
}

}  // namespace surplus::graphql::detail
