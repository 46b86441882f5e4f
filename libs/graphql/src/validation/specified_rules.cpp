#include "validation/rules.hpp"

namespace surplus::graphql::detail {

// The order of graphql-js 16.15 `specifiedRules`, which includes its introspection depth
// rule. Errors are compared as sets, so the order only affects how a response reads.
std::vector<RulePtr> make_specified_rules(ValidationContext& context) {
  std::vector<RulePtr> rules;
  rules.reserve(27);
  rules.push_back(make_executable_definitions_rule(context));
  rules.push_back(make_unique_operation_names_rule(context));
  rules.push_back(make_lone_anonymous_operation_rule(context));
  rules.push_back(make_single_field_subscriptions_rule(context));
  rules.push_back(make_known_type_names_rule(context));
  rules.push_back(make_fragments_on_composite_types_rule(context));
  rules.push_back(make_variables_are_input_types_rule(context));
  rules.push_back(make_scalar_leafs_rule(context));
  rules.push_back(make_fields_on_correct_type_rule(context));
  rules.push_back(make_unique_fragment_names_rule(context));
  rules.push_back(make_known_fragment_names_rule(context));
  rules.push_back(make_no_unused_fragments_rule(context));
  rules.push_back(make_possible_fragment_spreads_rule(context));
  rules.push_back(make_no_fragment_cycles_rule(context));
  rules.push_back(make_unique_variable_names_rule(context));
  rules.push_back(make_no_undefined_variables_rule(context));
  rules.push_back(make_no_unused_variables_rule(context));
  rules.push_back(make_known_directives_rule(context));
  rules.push_back(make_unique_directives_per_location_rule(context));
  rules.push_back(make_known_argument_names_rule(context));
  rules.push_back(make_unique_argument_names_rule(context));
  rules.push_back(make_values_of_correct_type_rule(context));
  rules.push_back(make_provided_required_arguments_rule(context));
  rules.push_back(make_variables_in_allowed_position_rule(context));
  rules.push_back(make_overlapping_fields_can_be_merged_rule(context));
  rules.push_back(make_unique_input_field_names_rule(context));
  rules.push_back(make_max_introspection_depth_rule(context));
  return rules;
}

}  // namespace surplus::graphql::detail
