// Section 5.1.1 Executable Definitions: a document sent for execution contains only
// operations and fragments.
#include "validation/rules.hpp"

namespace surplus::graphql::detail {
namespace {

class ExecutableDefinitions final : public Rule {
 public:
  explicit ExecutableDefinitions(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kDocumentHook; }
  void reset() override {}

  Visit enter_document(const ast::Document& document) override {
    for (const auto& definition : document.definitions) {
      if (const auto* type = std::get_if<ast::TypeDefinition>(&definition)) {
        report("\"" + type->name + "\"", type->location);
      } else if (const auto* directive = std::get_if<ast::DirectiveDefinition>(&definition)) {
        report("\"" + directive->name + "\"", directive->location);
      } else if (const auto* schema = std::get_if<ast::SchemaDefinition>(&definition)) {
        report("schema", schema->location);
      }
    }
    return Visit::kSkip;
  }

 private:
  void report(const std::string& name, ast::Location location) {
    context_.report("The " + name + " definition is not executable.", {location});
  }

  ValidationContext& context_;
};

}  // namespace

RulePtr make_executable_definitions_rule(ValidationContext& context) {
  return std::make_unique<ExecutableDefinitions>(context);
}

}  // namespace surplus::graphql::detail
