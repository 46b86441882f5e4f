#include "validation/variable_usages.hpp"

namespace surplus::graphql::detail {

Visit VariableUsageCollector::enter_operation(const ast::OperationDefinition& operation) {
  return begin(&operation);
}

Visit VariableUsageCollector::enter_fragment_definition(const ast::FragmentDefinition& fragment) {
  return begin(&fragment);
}

Visit VariableUsageCollector::begin(const void* definition) {
  usages_ = context_.begin_variable_usages(definition);
  return usages_ == nullptr ? Visit::kSkip : Visit::kContinue;
}

Visit VariableUsageCollector::enter_value(const ast::Value& value) {
  // Values outside operations and fragments, in type system definitions, are constant.
  if (value.kind == ast::ValueKind::kVariable && usages_ != nullptr) {
    usages_->push_back(
        {&value, info_->input_type(), info_->has_default_value(), info_->parent_input_type()});
  }
  return Visit::kContinue;
}

}  // namespace surplus::graphql::detail
