#pragma once

#include <cstdint>
#include <vector>

#include "validation/context.hpp"
#include "validation/rule.hpp"
#include "validation/type_info.hpp"

namespace surplus::graphql::detail {

// Records the variable usages of each operation and fragment definition that a walk
// enters, with the input type that TypeInfo has at each position, in the context's list for
// that definition. In the main validation walk it fills every list, so the variable rules
// need no second walk. It skips a definition whose list already exists, and the constant
// default values of variable definitions.
class VariableUsageCollector final : public Rule {
 public:
  explicit VariableUsageCollector(ValidationContext& context) : context_(context) {}

  // Sets the TypeInfo of the walk that calls this collector. Call it before the walk starts.
  void attach(const TypeInfo& info) { info_ = &info; }

  std::uint32_t hooks() const override {
    return kOperationHook | kFragmentDefinitionHook | kVariableDefinitionHook | kValueHook;
  }
  void reset() override { usages_ = nullptr; }

  Visit enter_operation(const ast::OperationDefinition& operation) override;
  void leave_operation(const ast::OperationDefinition&) override { usages_ = nullptr; }
  Visit enter_fragment_definition(const ast::FragmentDefinition& fragment) override;
  void leave_fragment_definition(const ast::FragmentDefinition&) override { usages_ = nullptr; }
  Visit enter_variable_definition(const ast::VariableDefinition&) override { return Visit::kSkip; }
  Visit enter_value(const ast::Value& value) override;

 private:
  Visit begin(const void* definition);

  ValidationContext& context_;
  const TypeInfo* info_ = nullptr;
  std::vector<VariableUsage>* usages_ = nullptr;
};

}  // namespace surplus::graphql::detail
