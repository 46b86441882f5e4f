// Section 5.2 Operations: 5.2.1.1 Operation Name Uniqueness and 5.2.2.1 Lone Anonymous
// Operation.
#include <map>
#include <string_view>

#include "validation/rules.hpp"

namespace surplus::graphql::detail {
namespace {

class UniqueOperationNames final : public Rule {
 public:
  explicit UniqueOperationNames(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kOperationHook; }

  void reset() override { seen_.clear(); }

  Visit enter_operation(const ast::OperationDefinition& operation) override {
    if (operation.name.empty()) {
      return Visit::kSkip;
    }
    const auto [first, inserted] = seen_.emplace(operation.name, operation.name_location);
    if (!inserted) {
      context_.report("There can be only one operation named \"" + operation.name + "\".",
                      {first->second, operation.name_location});
    }
    return Visit::kSkip;
  }

 private:
  ValidationContext& context_;
  // Names point into the document.
  std::map<std::string_view, ast::Location> seen_;
};

class LoneAnonymousOperation final : public Rule {
 public:
  explicit LoneAnonymousOperation(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kOperationHook; }

  void reset() override {
    operation_count_ = 0;
    for (const auto& definition : context_.document().definitions) {
      operation_count_ += std::holds_alternative<ast::OperationDefinition>(definition) ? 1 : 0;
    }
  }

  Visit enter_operation(const ast::OperationDefinition& operation) override {
    if (operation.name.empty() && operation_count_ > 1) {
      context_.report("This anonymous operation must be the only defined operation.",
                      {operation.location});
    }
    return Visit::kSkip;
  }

 private:
  ValidationContext& context_;
  std::size_t operation_count_ = 0;
};

}  // namespace

RulePtr make_unique_operation_names_rule(ValidationContext& context) {
  return std::make_unique<UniqueOperationNames>(context);
}

RulePtr make_lone_anonymous_operation_rule(ValidationContext& context) {
  return std::make_unique<LoneAnonymousOperation>(context);
}

}  // namespace surplus::graphql::detail
