#pragma once

#include <memory>
#include <vector>

#include "validation/context.hpp"
#include "validation/rule.hpp"

// Factories for the rules of section 5 (October 2021 edition), the same set as graphql-js
// 16 `specifiedRules`. Each file under validation/ implements one rule or a few closely
// related ones and cites its section.
namespace surplus::graphql::detail {

using RulePtr = std::unique_ptr<Rule>;

RulePtr make_executable_definitions_rule(ValidationContext& context);
RulePtr make_unique_operation_names_rule(ValidationContext& context);
RulePtr make_lone_anonymous_operation_rule(ValidationContext& context);
RulePtr make_single_field_subscriptions_rule(ValidationContext& context);
RulePtr make_known_type_names_rule(ValidationContext& context);
RulePtr make_fragments_on_composite_types_rule(ValidationContext& context);
RulePtr make_variables_are_input_types_rule(ValidationContext& context);
RulePtr make_scalar_leafs_rule(ValidationContext& context);
RulePtr make_fields_on_correct_type_rule(ValidationContext& context);
RulePtr make_unique_fragment_names_rule(ValidationContext& context);
RulePtr make_known_fragment_names_rule(ValidationContext& context);
RulePtr make_no_unused_fragments_rule(ValidationContext& context);
RulePtr make_possible_fragment_spreads_rule(ValidationContext& context);
RulePtr make_no_fragment_cycles_rule(ValidationContext& context);
RulePtr make_unique_variable_names_rule(ValidationContext& context);
RulePtr make_no_undefined_variables_rule(ValidationContext& context);
RulePtr make_no_unused_variables_rule(ValidationContext& context);
RulePtr make_known_directives_rule(ValidationContext& context);
RulePtr make_unique_directives_per_location_rule(ValidationContext& context);
RulePtr make_known_argument_names_rule(ValidationContext& context);
RulePtr make_unique_argument_names_rule(ValidationContext& context);
RulePtr make_values_of_correct_type_rule(ValidationContext& context);
RulePtr make_provided_required_arguments_rule(ValidationContext& context);
RulePtr make_variables_in_allowed_position_rule(ValidationContext& context);
RulePtr make_overlapping_fields_can_be_merged_rule(ValidationContext& context);
RulePtr make_unique_input_field_names_rule(ValidationContext& context);
RulePtr make_max_introspection_depth_rule(ValidationContext& context);

// Every rule above, in the order graphql-js runs them.
std::vector<RulePtr> make_specified_rules(ValidationContext& context);

}  // namespace surplus::graphql::detail
