// Section 5.5.1.2 Fragment Spread Type Existence, applied as graphql-js does to every type
// name of the document: type conditions, variable types (section 5.8.2 requires an input
// type, which must exist first) and type system definitions.
#include <set>

#include "validation/rules.hpp"

namespace surplus::graphql::detail {
namespace {

// Built-in scalars and introspection types. A schema lists a built-in scalar only when it
// uses it, but type system definitions may always refer to these.
bool is_standard_type_name(std::string_view name) {
  static const std::set<std::string_view> kNames = {"String",
                                                    "Int",
                                                    "Float",
                                                    "Boolean",
                                                    "ID",
                                                    "__Schema",
                                                    "__Type",
                                                    "__TypeKind",
                                                    "__Field",
                                                    "__InputValue",
                                                    "__EnumValue",
                                                    "__Directive",
                                                    "__DirectiveLocation"};
  return kNames.count(name) != 0;
}

class KnownTypeNames final : public Rule {
 public:
  explicit KnownTypeNames(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kNamedTypeHook; }

  void reset() override {
    defined_.clear();
    for (const auto& definition : context_.document().definitions) {
      const auto* type = std::get_if<ast::TypeDefinition>(&definition);
      if (type != nullptr && !type->is_extension) {
        defined_.insert(type->name);
      }
    }
  }

  void enter_named_type(std::string_view name, ast::Location location,
                        bool in_type_system) override {
    if (context_.schema().find_type(name) != nullptr || defined_.count(name) != 0) {
      return;
    }
    if (in_type_system && is_standard_type_name(name)) {
      return;
    }
    context_.report("Unknown type \"" + std::string(name) + "\".", {location});
  }

 private:
  ValidationContext& context_;
  std::set<std::string, std::less<>> defined_;
};

}  // namespace

RulePtr make_known_type_names_rule(ValidationContext& context) {
  return std::make_unique<KnownTypeNames>(context);
}

}  // namespace surplus::graphql::detail
