// Section 5.3.2 Field Selection Merging. Fields with the same response name in one
// selection set, after fragments are expanded, must be the same field with the same
// arguments unless their parent types exclude each other. In all cases their response
// shapes must agree (SameResponseShape).
//
// The algorithm never compares every expanded field with every other. Fields are
// compared only within one response name, and the fields of a selection set are collected
// once per parent type. A fragment is compared with a given field set once, and each pair
// of fragments once, memoised apart for mutually exclusive parents. All work is charged
// against a budget, and validation aborts when it runs out. The budget and the other
// limits are those of graphql-js 16.15.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "printer.hpp"
#include "same_name.hpp"
#include "validation/rules.hpp"

namespace surplus::graphql::detail {
namespace {

constexpr long kComplexityBudget = 500'000;
constexpr std::size_t kMaxConflictNodes = 20;
constexpr std::size_t kMaxDetailLength = 1000;

std::string abbreviate(std::string text) {
  if (text.size() > kMaxDetailLength) {
    text.resize(kMaxDetailLength);
    text += "...";
  }
  return text;
}

// Facts about a field computed only when it overlaps another.
struct FieldInfo {
  // Result of comparing name and arguments with another field: a reason, or nullopt when
  // they match.
  std::unordered_map<const FieldInfo*, std::optional<std::string>> comparisons;
  const Type* named_type = nullptr;
  const std::vector<ast::Argument>* arguments = nullptr;
};

struct FieldDetail {
  const Type* parent_type = nullptr;
  const ast::Selection* node = nullptr;
  const Field* definition = nullptr;
  // No arguments and no selection set: two such fields with the same name and type match.
  bool is_simple_leaf = false;
  std::unique_ptr<FieldInfo> info;
};

// The fields of one response name. Almost always there is one, which is stored without an
// allocation of its own.
class FieldList {
 public:
  void push_back(FieldDetail detail) {
    if (size_ == 0) {
      first_ = std::move(detail);
    } else {
      rest_.push_back(std::move(detail));
    }
    ++size_;
  }
  std::size_t size() const { return size_; }
  FieldDetail& operator[](std::size_t index) { return index == 0 ? first_ : rest_[index - 1]; }

 private:
  FieldDetail first_;
  std::vector<FieldDetail> rest_;
  std::size_t size_ = 0;
};

struct Overlap {
  std::string_view response_name;
  FieldList* fields1 = nullptr;
  FieldList* fields2 = nullptr;
};

// The fields of a selection set by response name, in order of first appearance, and the
// fragments it spreads directly. Inline fragments are expanded in place.
struct CollectedFields {
  // Small sets are searched directly; past this size `index` and `fragment_name_set` are
  // filled.
  static constexpr std::size_t kLinearSearchLimit = 16;

  // The group of `name`, or nullptr.
  FieldList* find(std::string_view name) {
    if (index.empty()) {
      for (auto& [key, list] : groups) {
        if (same_name(key, name)) {
          return &list;
        }
      }
      return nullptr;
    }
    const auto found = index.find(name);
    return found == index.end() ? nullptr : &groups[found->second].second;
  }

  void add_field(std::string_view name, FieldDetail detail) {
    if (FieldList* list = find(name)) {
      list->push_back(std::move(detail));
      return;
    }
    groups.emplace_back(name, FieldList{});
    groups.back().second.push_back(std::move(detail));
    if (!index.empty()) {
      index.emplace(name, groups.size() - 1);
    } else if (groups.size() > kLinearSearchLimit) {
      for (std::size_t position = 0; position < groups.size(); ++position) {
        index.emplace(groups[position].first, position);
      }
    }
  }

  void add_fragment_name(std::string_view name) {
    if (fragment_name_set.empty()) {
      if (std::find(fragment_names.begin(), fragment_names.end(), name) != fragment_names.end()) {
        return;
      }
      fragment_names.push_back(name);
      if (fragment_names.size() > kLinearSearchLimit) {
        fragment_name_set.insert(fragment_names.begin(), fragment_names.end());
      }
      return;
    }
    if (fragment_name_set.insert(name).second) {
      fragment_names.push_back(name);
    }
  }

  std::vector<std::pair<std::string_view, FieldList>> groups;
  std::unordered_map<std::string_view, std::size_t> index;
  std::vector<std::string_view> fragment_names;
  std::unordered_set<std::string_view> fragment_name_set;
  // Fragments already compared with these fields, and whether that was in a mutually
  // exclusive context.
  std::unordered_map<std::string_view, bool> compared_fragments;
  std::unordered_map<const CollectedFields*, std::vector<Overlap>> overlaps;
};

// Whether the selection set consists of fields only, each with its own response name. Such
// a set has nothing to merge within itself, so the collection below can be skipped.
bool has_only_distinct_fields(const std::vector<ast::Selection>& selections) {
  constexpr std::size_t kQuadraticLimit = 32;
  for (const auto& selection : selections) {
    if (selection.kind != ast::Selection::Kind::kField) {
      return false;
    }
  }
  if (selections.size() > kQuadraticLimit) {
    std::unordered_set<std::string_view> keys;
    for (const auto& selection : selections) {
      if (!keys.insert(selection.response_key()).second) {
        return false;
      }
    }
    return true;
  }
  for (std::size_t i = 0; i < selections.size(); ++i) {
    for (std::size_t j = i + 1; j < selections.size(); ++j) {
      if (selections[i].response_key() == selections[j].response_key()) {
        return false;
      }
    }
  }
  return true;
}

struct Conflict {
  std::string_view response_name;
  std::string reason;
  std::vector<const ast::Selection*> fields1;
  std::vector<const ast::Selection*> fields2;
};
using Conflicts = std::vector<Conflict>;

class OverlappingFieldsCanBeMerged final : public Rule {
 public:
  explicit OverlappingFieldsCanBeMerged(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kSelectionSetHook; }

  void reset() override {
    remaining_budget_ = kComplexityBudget;
    collected_.clear();
    compared_pairs_.clear();
    stringified_.clear();
  }

  // Inline fragments are checked as part of the selection set that contains them, and a
  // set with one field or one spread cannot conflict within itself.
  Visit enter_selection_set(const std::vector<ast::Selection>& selections,
                            SelectionSetOwner owner) override {
    if (owner == SelectionSetOwner::kInlineFragment) {
      return Visit::kContinue;
    }
    if (selections.size() <= 1 &&
        (selections.empty() || selections[0].kind != ast::Selection::Kind::kInlineFragment)) {
      return Visit::kContinue;
    }
    for (const Conflict& conflict :
         find_conflicts_within(context_.type_info().parent_type(), selections)) {
      std::vector<ast::Location> locations;
      for (const auto* node : conflict.fields1) {
        locations.push_back(node->location);
      }
      for (const auto* node : conflict.fields2) {
        locations.push_back(node->location);
      }
      context_.report("Fields \"" + abbreviate(std::string(conflict.response_name)) +
                          "\" conflict because " + conflict.reason +
                          ". Use different aliases on the fields to fetch both if this was "
                          "intentional.",
                      std::move(locations));
    }
    return Visit::kContinue;
  }

 private:
  void spend(long cost) {
    remaining_budget_ -= cost;
    if (remaining_budget_ < 0) {
      context_.abort("checking the selections for conflicting fields took more than " +
                     std::to_string(kComplexityBudget) +
                     " comparisons; repeat fewer fields or split the query");
    }
  }

  Conflicts find_conflicts_within(const Type* parent_type,
                                  const std::vector<ast::Selection>& selections);
  Conflicts find_conflicts_between_sub_selections(bool exclusive, const Type* parent_type1,
                                                  const std::vector<ast::Selection>& selections1,
                                                  const Type* parent_type2,
                                                  const std::vector<ast::Selection>& selections2);
  void collect_within(Conflicts& conflicts, CollectedFields& fields);
  void collect_between(Conflicts& conflicts, bool exclusive, CollectedFields& fields1,
                       CollectedFields& fields2);
  void collect_between_fields_and_fragment(Conflicts& conflicts, bool exclusive,
                                           CollectedFields& fields, std::string_view name);
  void collect_between_fragments(Conflicts& conflicts, bool exclusive, std::string_view name1,
                                 std::string_view name2);
  std::optional<Conflict> find_conflict(bool parents_exclusive, std::string_view response_name,
                                        FieldDetail& detail1, FieldDetail& detail2);
  bool do_types_conflict(const Type* type1, const Type* type2);
  bool same_arguments(const std::vector<ast::Argument>* arguments1,
                      const std::vector<ast::Argument>* arguments2);
  const std::string& stringify(const ast::Value& value);
  FieldInfo& info_of(FieldDetail& detail);

  CollectedFields& collect_fields(const Type* parent_type,
                                  const std::vector<ast::Selection>& selections);
  CollectedFields* collect_fragment_fields(const ast::FragmentDefinition& fragment);
  void collect_fields_into(const Type* parent_type, const std::vector<ast::Selection>& selections,
                           CollectedFields& fields);
  std::vector<Overlap>& overlapping_fields(CollectedFields& fields1, CollectedFields& fields2);

  bool fragment_pair_compared(std::string_view a, std::string_view b, bool exclusive) const;

  ValidationContext& context_;
  long remaining_budget_ = kComplexityBudget;
  std::map<std::pair<const Type*, const void*>, std::unique_ptr<CollectedFields>> collected_;
  // Fragment pairs already compared; the value records whether in an exclusive context.
  std::map<std::pair<std::string_view, std::string_view>, bool> compared_pairs_;
  std::unordered_map<const ast::Value*, std::string> stringified_;
};

// (A) and then (B), (C) of the graphql-js algorithm: fields within the set, the set against
// each fragment it spreads, and those fragments against each other.
Conflicts OverlappingFieldsCanBeMerged::find_conflicts_within(
    const Type* parent_type, const std::vector<ast::Selection>& selections) {
  Conflicts conflicts;
  if (has_only_distinct_fields(selections)) {
    return conflicts;
  }
  CollectedFields& fields = collect_fields(parent_type, selections);
  collect_within(conflicts, fields);
  const auto& names = fields.fragment_names;
  if (!names.empty() && (!fields.groups.empty() || names.size() > 1)) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      collect_between_fields_and_fragment(conflicts, false, fields, names[i]);
      for (std::size_t j = i + 1; j < names.size(); ++j) {
        collect_between_fragments(conflicts, false, names[i], names[j]);
      }
    }
  }
  return conflicts;
}

void OverlappingFieldsCanBeMerged::collect_between_fields_and_fragment(Conflicts& conflicts,
                                                                       bool exclusive,
                                                                       CollectedFields& fields,
                                                                       std::string_view name) {
  spend(1);
  if (fields.groups.empty()) {
    return;
  }
  // A comparison in a non-exclusive context covers the exclusive one too.
  const auto compared = fields.compared_fragments.find(name);
  if (compared != fields.compared_fragments.end() && (!compared->second || exclusive)) {
    return;
  }
  fields.compared_fragments[name] = exclusive;
  const ast::FragmentDefinition* fragment = context_.fragment(name);
  if (fragment == nullptr) {
    return;
  }
  CollectedFields* fragment_fields = collect_fragment_fields(*fragment);
  if (fragment_fields == &fields) {
    return;
  }
  collect_between(conflicts, exclusive, fields, *fragment_fields);
  // Copied because the recursion may add entries to the cache, not to this list.
  const std::vector<std::string_view> nested = fragment_fields->fragment_names;
  for (const auto nested_name : nested) {
    collect_between_fields_and_fragment(conflicts, exclusive, fields, nested_name);
  }
}

bool OverlappingFieldsCanBeMerged::fragment_pair_compared(std::string_view a, std::string_view b,
                                                          bool exclusive) const {
  for (const auto& key : {std::pair{a, b}, std::pair{b, a}}) {
    const auto found = compared_pairs_.find(key);
    if (found != compared_pairs_.end() && (exclusive || !found->second)) {
      return true;
    }
  }
  return false;
}

void OverlappingFieldsCanBeMerged::collect_between_fragments(Conflicts& conflicts, bool exclusive,
                                                             std::string_view name1,
                                                             std::string_view name2) {
  spend(2);
  if (name1 == name2 || fragment_pair_compared(name1, name2, exclusive)) {
    return;
  }
  compared_pairs_[{name1, name2}] = exclusive;
  const ast::FragmentDefinition* fragment1 = context_.fragment(name1);
  const ast::FragmentDefinition* fragment2 = context_.fragment(name2);
  if (fragment1 == nullptr || fragment2 == nullptr) {
    return;
  }
  CollectedFields* fields1 = collect_fragment_fields(*fragment1);
  CollectedFields* fields2 = collect_fragment_fields(*fragment2);
  collect_between(conflicts, exclusive, *fields1, *fields2);
  const std::vector<std::string_view> nested2 = fields2->fragment_names;
  for (const auto nested : nested2) {
    collect_between_fragments(conflicts, exclusive, name1, nested);
  }
  const std::vector<std::string_view> nested1 = fields1->fragment_names;
  for (const auto nested : nested1) {
    collect_between_fragments(conflicts, exclusive, nested, name2);
  }
}

// (H) to (J): two sub-selection sets of fields that share a response name.
Conflicts OverlappingFieldsCanBeMerged::find_conflicts_between_sub_selections(
    bool exclusive, const Type* parent_type1, const std::vector<ast::Selection>& selections1,
    const Type* parent_type2, const std::vector<ast::Selection>& selections2) {
  Conflicts conflicts;
  CollectedFields& fields1 = collect_fields(parent_type1, selections1);
  CollectedFields& fields2 = collect_fields(parent_type2, selections2);
  collect_between(conflicts, exclusive, fields1, fields2);
  const std::vector<std::string_view> names1 = fields1.fragment_names;
  const std::vector<std::string_view> names2 = fields2.fragment_names;
  for (const auto name2 : names2) {
    collect_between_fields_and_fragment(conflicts, exclusive, fields1, name2);
  }
  for (const auto name1 : names1) {
    collect_between_fields_and_fragment(conflicts, exclusive, fields2, name1);
  }
  for (const auto name1 : names1) {
    for (const auto name2 : names2) {
      collect_between_fragments(conflicts, exclusive, name1, name2);
    }
  }
  return conflicts;
}

void OverlappingFieldsCanBeMerged::collect_within(Conflicts& conflicts, CollectedFields& fields) {
  for (auto& [response_name, list] : fields.groups) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      for (std::size_t j = i + 1; j < list.size(); ++j) {
        if (auto conflict = find_conflict(false, response_name, list[i], list[j])) {
          conflicts.push_back(std::move(*conflict));
        }
      }
    }
  }
}

void OverlappingFieldsCanBeMerged::collect_between(Conflicts& conflicts, bool exclusive,
                                                   CollectedFields& fields1,
                                                   CollectedFields& fields2) {
  if (fields1.groups.empty() || fields2.groups.empty()) {
    return;
  }
  for (const Overlap& overlap : overlapping_fields(fields1, fields2)) {
    for (std::size_t i = 0; i < overlap.fields1->size(); ++i) {
      for (std::size_t j = 0; j < overlap.fields2->size(); ++j) {
        if (auto conflict = find_conflict(exclusive, overlap.response_name, (*overlap.fields1)[i],
                                          (*overlap.fields2)[j])) {
          conflicts.push_back(std::move(*conflict));
        }
      }
    }
  }
}

std::vector<Overlap>& OverlappingFieldsCanBeMerged::overlapping_fields(CollectedFields& fields1,
                                                                       CollectedFields& fields2) {
  const auto [found, inserted] = fields1.overlaps.try_emplace(&fields2);
  if (!inserted) {
    return found->second;
  }
  for (auto& [response_name, list] : fields1.groups) {
    spend(1);
    if (FieldList* other = fields2.find(response_name)) {
      found->second.push_back({response_name, &list, other});
    }
  }
  return found->second;
}

FieldInfo& OverlappingFieldsCanBeMerged::info_of(FieldDetail& detail) {
  if (!detail.info) {
    detail.info = std::make_unique<FieldInfo>();
    detail.info->named_type =
        detail.definition == nullptr ? nullptr : detail.definition->type->named_type();
    detail.info->arguments = detail.node->arguments.empty() ? nullptr : &detail.node->arguments;
  }
  return *detail.info;
}

std::optional<Conflict> OverlappingFieldsCanBeMerged::find_conflict(bool parents_exclusive,
                                                                    std::string_view response_name,
                                                                    FieldDetail& detail1,
                                                                    FieldDetail& detail2) {
  // Fields of two different object types never apply to the same object, so only their
  // response shapes must agree.
  const bool exclusive =
      parents_exclusive ||
      (detail1.parent_type != detail2.parent_type && detail1.parent_type != nullptr &&
       detail2.parent_type != nullptr && detail1.parent_type->kind == TypeKind::kObject &&
       detail2.parent_type->kind == TypeKind::kObject);
  spend(2);
  const Type* type1 = detail1.definition == nullptr ? nullptr : detail1.definition->type;
  const Type* type2 = detail2.definition == nullptr ? nullptr : detail2.definition->type;
  const ast::Selection& node1 = *detail1.node;
  const ast::Selection& node2 = *detail2.node;
  if (detail1.is_simple_leaf && detail2.is_simple_leaf && type1 == type2 &&
      node1.name == node2.name) {
    return std::nullopt;
  }

  if (!exclusive) {
    FieldInfo& info1 = info_of(detail1);
    FieldInfo& info2 = info_of(detail2);
    auto [found, inserted] = info1.comparisons.try_emplace(&info2);
    if (inserted) {
      if (node1.name != node2.name) {
        found->second = "\"" + abbreviate(node1.name) + "\" and \"" + abbreviate(node2.name) +
                        "\" are different fields";
      } else if (!same_arguments(info1.arguments, info2.arguments)) {
        found->second = "they have differing arguments";
      }
    }
    if (found->second) {
      return Conflict{response_name, *found->second, {&node1}, {&node2}};
    }
  }

  if (type1 != nullptr && type2 != nullptr && do_types_conflict(type1, type2)) {
    return Conflict{response_name,
                    "they return conflicting types \"" + type1->to_string() + "\" and \"" +
                        type2->to_string() + "\"",
                    {&node1},
                    {&node2}};
  }

  if (!node1.has_selection_set || !node2.has_selection_set) {
    return std::nullopt;
  }
  Conflicts sub = find_conflicts_between_sub_selections(
      exclusive, info_of(detail1).named_type, node1.selections, info_of(detail2).named_type,
      node2.selections);
  if (sub.empty()) {
    return std::nullopt;
  }
  std::string reason;
  for (const auto& conflict : sub) {
    reason += (reason.empty() ? "" : " and ") +
              ("subfields \"" + abbreviate(std::string(conflict.response_name)) +
               "\" conflict because " + conflict.reason);
    if (reason.size() > kMaxDetailLength) {
      break;
    }
  }
  // The enclosing field first, then the nodes of the sub-conflicts, at most
  // kMaxConflictNodes in all, taking the innermost nodes of each sub-conflict.
  const auto gather = [&](const ast::Selection* node, auto member) {
    std::vector<const ast::Selection*> nodes = {node};
    for (const auto& conflict : sub) {
      const auto& list = conflict.*member;
      const std::size_t remaining = kMaxConflictNodes - nodes.size();
      const std::size_t take = std::min(remaining, list.size());
      nodes.insert(nodes.end(), list.end() - static_cast<std::ptrdiff_t>(take), list.end());
      if (nodes.size() == kMaxConflictNodes) {
        break;
      }
    }
    return nodes;
  };
  return Conflict{response_name, abbreviate(std::move(reason)), gather(&node1, &Conflict::fields1),
                  gather(&node2, &Conflict::fields2)};
}

// Two types conflict when no value could have both response shapes: lists against
// non-lists, nullable against non-null, or different leaf types.
bool OverlappingFieldsCanBeMerged::do_types_conflict(const Type* type1, const Type* type2) {
  if (type1 == type2) {
    return false;
  }
  spend(1);
  if (type1->kind == TypeKind::kList) {
    return type2->kind == TypeKind::kList ? do_types_conflict(type1->of_type, type2->of_type)
                                          : true;
  }
  if (type2->kind == TypeKind::kList) {
    return true;
  }
  if (type1->kind == TypeKind::kNonNull) {
    return type2->kind == TypeKind::kNonNull ? do_types_conflict(type1->of_type, type2->of_type)
                                             : true;
  }
  if (type2->kind == TypeKind::kNonNull) {
    return true;
  }
  if (type1->is_leaf() || type2->is_leaf()) {
    return type1 != type2;
  }
  return false;
}

bool OverlappingFieldsCanBeMerged::same_arguments(const std::vector<ast::Argument>* arguments1,
                                                  const std::vector<ast::Argument>* arguments2) {
  if (arguments1 == nullptr) {
    return arguments2 == nullptr;
  }
  if (arguments2 == nullptr || arguments1->size() != arguments2->size()) {
    return false;
  }
  for (const auto& argument1 : *arguments1) {
    spend(1);
    // The last argument with a name counts, as in a JavaScript map.
    const ast::Argument* argument2 = nullptr;
    for (const auto& candidate : *arguments2) {
      if (candidate.name == argument1.name) {
        argument2 = &candidate;
      }
    }
    if (argument2 == nullptr || stringify(argument1.value) != stringify(argument2->value)) {
      return false;
    }
  }
  return true;
}

// A canonical text of a literal: object fields sorted by name, block strings distinct
// from quoted strings, numbers compared as written.
const std::string& OverlappingFieldsCanBeMerged::stringify(const ast::Value& value) {
  const auto found = stringified_.find(&value);
  if (found != stringified_.end()) {
    return found->second;
  }
  std::string text;
  switch (value.kind) {
    case ast::ValueKind::kVariable:
      text = "$" + value.text;
      break;
    case ast::ValueKind::kInt:
      text = "i" + value.text;
      break;
    case ast::ValueKind::kFloat:
      text = "f" + value.text;
      break;
    case ast::ValueKind::kString:
      text = value.block ? "b" : "s";
      text += print_string(value.text);
      break;
    case ast::ValueKind::kBoolean:
      text = value.boolean ? "true" : "false";
      break;
    case ast::ValueKind::kNull:
      text = "null";
      break;
    case ast::ValueKind::kEnum:
      text = "e" + value.text;
      break;
    case ast::ValueKind::kList:
      text = "[";
      for (const auto& item : value.items) {
        text += stringify(item) + ",";
      }
      text += "]";
      break;
    case ast::ValueKind::kObject: {
      std::vector<const ast::ObjectField*> fields;
      for (const auto& field : value.fields) {
        fields.push_back(&field);
      }
      std::stable_sort(fields.begin(), fields.end(),
                       [](const auto* a, const auto* b) { return a->name < b->name; });
      text = "{";
      for (const auto* field : fields) {
        text += field->name + ":" + stringify(field->value) + ",";
      }
      text += "}";
      break;
    }
  }
  return stringified_.emplace(&value, std::move(text)).first->second;
}

CollectedFields& OverlappingFieldsCanBeMerged::collect_fields(
    const Type* parent_type, const std::vector<ast::Selection>& selections) {
  auto& slot = collected_[{parent_type, &selections}];
  if (!slot) {
    slot = std::make_unique<CollectedFields>();
    slot->groups.reserve(selections.size());
    collect_fields_into(parent_type, selections, *slot);
  }
  return *slot;
}

CollectedFields* OverlappingFieldsCanBeMerged::collect_fragment_fields(
    const ast::FragmentDefinition& fragment) {
  return &collect_fields(context_.schema().find_type(fragment.type_condition), fragment.selections);
}

// Meta fields such as __typename have no definition here, as in graphql-js.
void OverlappingFieldsCanBeMerged::collect_fields_into(
    const Type* parent_type, const std::vector<ast::Selection>& selections,
    CollectedFields& fields) {
  for (const auto& selection : selections) {
    switch (selection.kind) {
      case ast::Selection::Kind::kField: {
        const Field* definition = nullptr;
        if (parent_type != nullptr &&
            (parent_type->kind == TypeKind::kObject || parent_type->kind == TypeKind::kInterface)) {
          definition = parent_type->find_field(selection.name);
        }
        fields.add_field(
            selection.response_key(),
            FieldDetail{parent_type, &selection, definition,
                        selection.arguments.empty() && !selection.has_selection_set, nullptr});
        break;
      }
      case ast::Selection::Kind::kFragmentSpread: {
        fields.add_fragment_name(selection.name);
        break;
      }
      case ast::Selection::Kind::kInlineFragment: {
        const Type* type = selection.type_condition.empty()
                               ? parent_type
                               : context_.schema().find_type(selection.type_condition);
        collect_fields_into(type, selection.selections, fields);
        break;
      }
    }
  }
}

}  // namespace

RulePtr make_overlapping_fields_can_be_merged_rule(ValidationContext& context) {
  return std::make_unique<OverlappingFieldsCanBeMerged>(context);
}

}  // namespace surplus::graphql::detail
