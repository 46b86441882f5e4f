// Section 5.5 Fragments: 5.5.1.1 Fragment Name Uniqueness, 5.5.1.3 Fragments On Composite
// Types, 5.5.1.4 Fragments Must Be Used and 5.5.2.1 Fragment Spread Target Defined.
#include <map>
#include <set>
#include <string_view>

#include "name_set.hpp"
#include "validation/rules.hpp"

namespace surplus::graphql::detail {
namespace {

class UniqueFragmentNames final : public Rule {
 public:
  explicit UniqueFragmentNames(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kOperationHook | kFragmentDefinitionHook; }

  void reset() override { seen_.clear(); }

  Visit enter_operation(const ast::OperationDefinition&) override { return Visit::kSkip; }

  Visit enter_fragment_definition(const ast::FragmentDefinition& fragment) override {
    const auto [first, inserted] = seen_.emplace(fragment.name, fragment.name_location);
    if (!inserted) {
      context_.report("There can be only one fragment named \"" + fragment.name + "\".",
                      {first->second, fragment.name_location});
    }
    return Visit::kSkip;
  }

 private:
  ValidationContext& context_;
  // Names point into the document.
  std::map<std::string_view, ast::Location> seen_;
};

class FragmentsOnCompositeTypes final : public Rule {
 public:
  explicit FragmentsOnCompositeTypes(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kInlineFragmentHook | kFragmentDefinitionHook; }
  void reset() override {}

  Visit enter_inline_fragment(const ast::Selection& fragment) override {
    if (is_non_composite(fragment.type_condition)) {
      context_.report(
          "Fragment cannot condition on non composite type \"" + fragment.type_condition + "\".",
          {fragment.name_location});
    }
    return Visit::kContinue;
  }

  Visit enter_fragment_definition(const ast::FragmentDefinition& fragment) override {
    if (is_non_composite(fragment.type_condition)) {
      context_.report("Fragment \"" + fragment.name +
                          "\" cannot condition on non composite type \"" + fragment.type_condition +
                          "\".",
                      {fragment.type_condition_location});
    }
    return Visit::kContinue;
  }

 private:
  // Unknown types are left to KnownTypeNames.
  bool is_non_composite(const std::string& type_condition) const {
    if (type_condition.empty()) {
      return false;
    }
    const Type* type = context_.schema().find_type(type_condition);
    return type != nullptr && !type->is_composite();
  }

  ValidationContext& context_;
};

class NoUnusedFragments final : public Rule {
 public:
  explicit NoUnusedFragments(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override {
    return kDocumentHook | kOperationHook | kFragmentDefinitionHook;
  }

  void reset() override {
    operations_.clear();
    fragments_.clear();
  }

  Visit enter_operation(const ast::OperationDefinition& operation) override {
    operations_.push_back(&operation);
    return Visit::kSkip;
  }

  Visit enter_fragment_definition(const ast::FragmentDefinition& fragment) override {
    fragments_.push_back(&fragment);
    return Visit::kSkip;
  }

  void leave_document(const ast::Document&) override {
    NameSet used;
    for (const auto* fragment : context_.referenced_fragments(operations_)) {
      used.insert(fragment->name);
    }
    for (const auto* fragment : fragments_) {
      if (!used.contains(fragment->name)) {
        context_.report("Fragment \"" + fragment->name + "\" is never used.", {fragment->location});
      }
    }
  }

 private:
  ValidationContext& context_;
  std::vector<const ast::OperationDefinition*> operations_;
  std::vector<const ast::FragmentDefinition*> fragments_;
};

class KnownFragmentNames final : public Rule {
 public:
  explicit KnownFragmentNames(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kFragmentSpreadHook; }
  void reset() override {}

  Visit enter_fragment_spread(const ast::Selection& spread) override {
    if (context_.fragment(spread.name) == nullptr) {
      context_.report("Unknown fragment \"" + spread.name + "\".", {spread.name_location});
    }
    return Visit::kContinue;
  }

 private:
  ValidationContext& context_;
};

}  // namespace

RulePtr make_unique_fragment_names_rule(ValidationContext& context) {
  return std::make_unique<UniqueFragmentNames>(context);
}

RulePtr make_fragments_on_composite_types_rule(ValidationContext& context) {
  return std::make_unique<FragmentsOnCompositeTypes>(context);
}

RulePtr make_no_unused_fragments_rule(ValidationContext& context) {
  return std::make_unique<NoUnusedFragments>(context);
}

RulePtr make_known_fragment_names_rule(ValidationContext& context) {
  return std::make_unique<KnownFragmentNames>(context);
}

}  // namespace surplus::graphql::detail
