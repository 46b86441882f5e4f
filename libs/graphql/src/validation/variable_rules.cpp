// Section 5.8 Variables: 5.8.1 Variable Uniqueness, 5.8.2 Variables Are Input Types, 5.8.3
// All Variable Uses Defined, 5.8.4 All Variables Used and 5.8.5 All Variable Usages Are
// Allowed (with the @oneOf rule of the September 2025 edition). Uses are counted through
// every fragment the operation reaches.
//
// The last three rules check the operations when the document is left, after the main walk
// has collected the usages of every fragment (VariableUsageCollector), because fragments
// usually follow the operations that spread them. graphql-js checks each operation when it
// leaves it, so these errors come later in the list than there.
// NOTE: a document that reaches the error limit or the fragment work budget, where
// validation stops, can therefore list other errors before it stops than graphql-js does.
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "name_set.hpp"
#include "printer.hpp"
#include "schema_validation.hpp"
#include "validation/rules.hpp"
#include "values.hpp"

namespace surplus::graphql::detail {
namespace {

std::string operation_suffix(const ast::OperationDefinition& operation, std::string_view verb) {
  if (operation.name.empty()) {
    return ".";
  }
  return std::string(" ").append(verb).append(" \"").append(operation.name).append("\".");
}

class UniqueVariableNames final : public Rule {
 public:
  explicit UniqueVariableNames(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kOperationHook; }
  void reset() override {}

  Visit enter_operation(const ast::OperationDefinition& operation) override {
    const auto& variables = operation.variables;
    NameSet seen;
    seen.reserve(variables.size());
    for (const auto& variable : variables) {
      if (!seen.insert(variable.name)) {
        report_duplicates(variables);
        break;
      }
    }
    return Visit::kSkip;
  }

 private:
  // Reports each name defined more than once, with all its locations, in one pass.
  void report_duplicates(const std::vector<ast::VariableDefinition>& variables) {
    std::vector<std::pair<std::string_view, std::vector<ast::Location>>> names;
    std::unordered_map<std::string_view, std::size_t> index;
    for (const auto& variable : variables) {
      const auto [found, inserted] = index.try_emplace(variable.name, names.size());
      if (inserted) {
        names.emplace_back(variable.name, std::vector<ast::Location>{});
      }
      names[found->second].second.push_back(variable.name_location);
    }
    for (auto& [name, locations] : names) {
      if (locations.size() > 1) {
        context_.report("There can be only one variable named \"$" + std::string(name) + "\".",
                        std::move(locations));
      }
    }
  }

  ValidationContext& context_;
};

class VariablesAreInputTypes final : public Rule {
 public:
  explicit VariablesAreInputTypes(ValidationContext& context) : context_(context) {}

  std::uint32_t hooks() const override { return kVariableDefinitionHook; }
  void reset() override {}

  Visit enter_variable_definition(const ast::VariableDefinition& variable) override {
    const Type* type = type_from_ast(context_.schema(), *variable.type);
    if (type != nullptr && !type->is_input_type()) {
      context_.report("Variable \"$" + variable.name + "\" cannot be non-input type \"" +
                          print_type(*variable.type) + "\".",
                      {variable.type->location});
    }
    return Visit::kSkip;
  }

 private:
  ValidationContext& context_;
};

// Checks every operation of the document once the walk has left the document.
class OperationVariablesRule : public Rule {
 public:
  std::uint32_t hooks() const override { return kDocumentHook; }
  void reset() override {}

  void leave_document(const ast::Document& document) override {
    for (const auto& definition : document.definitions) {
      if (const auto* operation = std::get_if<ast::OperationDefinition>(&definition)) {
        check(*operation);
      }
    }
  }

 protected:
  virtual void check(const ast::OperationDefinition& operation) = 0;
};

class NoUndefinedVariables final : public OperationVariablesRule {
 public:
  explicit NoUndefinedVariables(ValidationContext& context) : context_(context) {}

  void check(const ast::OperationDefinition& operation) override {
    NameSet defined;
    for (const auto& variable : operation.variables) {
      defined.insert(variable.name);
    }
    for (const auto& usage : context_.recursive_variable_usages(operation)) {
      if (!defined.contains(usage.node->text)) {
        context_.report("Variable \"$" + usage.node->text + "\" is not defined" +
                            operation_suffix(operation, "by operation"),
                        {usage.node->location, operation.location});
      }
    }
  }

 private:
  ValidationContext& context_;
};

class NoUnusedVariables final : public OperationVariablesRule {
 public:
  explicit NoUnusedVariables(ValidationContext& context) : context_(context) {}

  void check(const ast::OperationDefinition& operation) override {
    NameSet used;
    for (const auto& usage : context_.recursive_variable_usages(operation)) {
      used.insert(usage.node->text);
    }
    for (const auto& variable : operation.variables) {
      if (!used.contains(variable.name)) {
        context_.report("Variable \"$" + variable.name + "\" is never used" +
                            operation_suffix(operation, "in operation"),
                        {variable.location});
      }
    }
  }

 private:
  ValidationContext& context_;
};

class VariablesInAllowedPosition final : public OperationVariablesRule {
 public:
  explicit VariablesInAllowedPosition(ValidationContext& context) : context_(context) {}

  void check(const ast::OperationDefinition& operation) override {
    std::map<std::string_view, const ast::VariableDefinition*> definitions;
    for (const auto& variable : operation.variables) {
      definitions.insert_or_assign(variable.name, &variable);
    }
    for (const auto& usage : context_.recursive_variable_usages(operation)) {
      const auto found = definitions.find(usage.node->text);
      if (found == definitions.end() || usage.type == nullptr) {
        continue;
      }
      const ast::VariableDefinition& definition = *found->second;
      const Type* variable_type = type_from_ast(context_.schema(), *definition.type);
      if (variable_type == nullptr) {
        continue;
      }
      if (!is_allowed(variable_type, definition, usage)) {
        context_.report("Variable \"$" + definition.name + "\" of type \"" +
                            variable_type->to_string() + "\" used in position expecting type \"" +
                            usage.type->to_string() + "\".",
                        {definition.location, usage.node->location});
      }
      const Type* parent = usage.parent_type;
      if (parent != nullptr && parent->kind == TypeKind::kInputObject && parent->one_of &&
          variable_type->kind != TypeKind::kNonNull) {
        context_.report("Variable \"$" + definition.name + "\" is of type \"" +
                            variable_type->to_string() +
                            "\" but must be non-nullable to be used for OneOf Input Object \"" +
                            parent->name + "\".",
                        {definition.location, usage.node->location});
      }
    }
  }

 private:
  // A nullable variable may fill a non-null position when the variable or the position
  // has a default value (section 5.8.5 IsVariableUsageAllowed).
  bool is_allowed(const Type* variable_type, const ast::VariableDefinition& definition,
                  const VariableUsage& usage) const {
    const Type* location_type = usage.type;
    if (location_type->kind == TypeKind::kNonNull && variable_type->kind != TypeKind::kNonNull) {
      const bool has_non_null_default =
          definition.default_value && definition.default_value->kind != ast::ValueKind::kNull;
      if (!has_non_null_default && !usage.has_location_default) {
        return false;
      }
      location_type = location_type->of_type;
    }
    return is_type_sub_type_of(context_.schema(), variable_type, location_type);
  }

  ValidationContext& context_;
};

}  // namespace

RulePtr make_unique_variable_names_rule(ValidationContext& context) {
  return std::make_unique<UniqueVariableNames>(context);
}

RulePtr make_variables_are_input_types_rule(ValidationContext& context) {
  return std::make_unique<VariablesAreInputTypes>(context);
}

RulePtr make_no_undefined_variables_rule(ValidationContext& context) {
  return std::make_unique<NoUndefinedVariables>(context);
}

RulePtr make_no_unused_variables_rule(ValidationContext& context) {
  return std::make_unique<NoUnusedVariables>(context);
}

RulePtr make_variables_in_allowed_position_rule(ValidationContext& context) {
  return std::make_unique<VariablesInAllowedPosition>(context);
}

}  // namespace surplus::graphql::detail
