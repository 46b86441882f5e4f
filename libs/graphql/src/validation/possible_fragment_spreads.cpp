// Section 5.5.2.3 Fragment Spread Is Possible: some object type must satisfy both the type
// condition of the fragment and the type of the selection set it is spread in.
#include <algorithm>

#include "validation/rules.hpp"

namespace surplus::graphql::detail {
namespace {

// graphql-js doTypesOverlap. Possible types of an abstract type are object types.
bool do_types_overlap(const Schema& schema, const Type* a, const Type* b) {
  if (a == b) {
    return true;
  }
  if (a->is_abstract()) {
    if (b->is_abstract()) {
      return std::any_of(b->possible_types.begin(), b->possible_types.end(),
                         [&](const Type* type) { return schema.is_possible_type(a, type); });
    }
    return schema.is_possible_type(a, b);
  }
  return b->is_abstract() && schema.is_possible_type(b, a);
}

class PossibleFragmentSpreads final : public Rule {
 public:
  explicit PossibleFragmentSpreads(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kInlineFragmentHook | kFragmentSpreadHook; }
  void reset() override {}

  Visit enter_inline_fragment(const ast::Selection& fragment) override {
    const Type* fragment_type = context_.type_info().type();
    const Type* parent_type = context_.type_info().parent_type();
    if (is_composite(fragment_type) && is_composite(parent_type) &&
        !do_types_overlap(context_.schema(), fragment_type, parent_type)) {
      context_.report("Fragment cannot be spread here as objects of type \"" +
                          parent_type->to_string() + "\" can never be of type \"" +
                          fragment_type->to_string() + "\".",
                      {fragment.location});
    }
    return Visit::kContinue;
  }

  Visit enter_fragment_spread(const ast::Selection& spread) override {
    const ast::FragmentDefinition* fragment = context_.fragment(spread.name);
    if (fragment == nullptr) {
      return Visit::kContinue;
    }
    const Type* fragment_type = context_.schema().find_type(fragment->type_condition);
    const Type* parent_type = context_.type_info().parent_type();
    if (is_composite(fragment_type) && parent_type != nullptr &&
        !do_types_overlap(context_.schema(), fragment_type, parent_type)) {
      context_.report("Fragment \"" + spread.name +
                          "\" cannot be spread here as objects of type \"" +
                          parent_type->to_string() + "\" can never be of type \"" +
                          fragment_type->to_string() + "\".",
                      {spread.location});
    }
    return Visit::kContinue;
  }

 private:
  static bool is_composite(const Type* type) { return type != nullptr && type->is_composite(); }

  ValidationContext& context_;
};

}  // namespace

RulePtr make_possible_fragment_spreads_rule(ValidationContext& context) {
  return std::make_unique<PossibleFragmentSpreads>(context);
}

}  // namespace surplus::graphql::detail
