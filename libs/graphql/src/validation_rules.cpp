#include "validation_rules.hpp"

#include <algorithm>

#include "schema_validation.hpp"
#include "values.hpp"

namespace surplus::graphql::detail {
namespace {

// A variable used in a value, with the type expected at that position (nullptr when the
// position has no known type).
struct VariableUsage {
  std::string name;
  ast::Location location;
  const Type* type = nullptr;
  bool has_location_default = false;
};
using Usages = std::vector<VariableUsage>;

// Walks one operation or fragment with the type of each selection set, applying the
// rules that need type information (section 5.3 fields, 5.4 arguments, 5.5 fragments,
// 5.7 directives, 5.8 variables).
class TypedWalker {
 public:
  TypedWalker(ValidationContext& context, Usages* used_variables,
              std::set<std::string>* used_fragments)
      : context_(context), used_variables_(used_variables), used_fragments_(used_fragments) {}

  void walk_selections(const Type* parent, const std::vector<ast::Selection>& selections);
  void check_directives(const std::vector<ast::Directive>& directives, std::string_view location);

 private:
  void walk_field(const Type* parent, const ast::Selection& field);
  void walk_fragment(const Type* parent, const ast::Selection& fragment);
  void check_arguments(const std::vector<InputValue>& definitions,
                       const std::vector<ast::Argument>& arguments, const std::string& owner,
                       ast::Location location, bool is_directive);
  void note_variables(const ast::Value& value);
  void check_literal(const ast::Value& value, const Type* type, bool has_default);
  void check_object_literal(const ast::Value& value, const Type* type);

  ValidationContext& context_;
  Usages* used_variables_;
  std::set<std::string>* used_fragments_;
};

void TypedWalker::note_variables(const ast::Value& value) {
  if (value.kind == ast::ValueKind::kVariable && used_variables_ != nullptr) {
    used_variables_->push_back({value.text, value.location, nullptr, false});
  }
  for (const auto& item : value.items) {
    note_variables(item);
  }
  for (const auto& field : value.fields) {
    note_variables(field.value);
  }
}

void TypedWalker::check_object_literal(const ast::Value& value, const Type* type) {
  for (const auto& field : value.fields) {
    const InputValue* definition = type->find_input_field(field.name);
    if (definition == nullptr) {
      context_.report("Field \"" + field.name + "\" is not defined by type \"" + type->name + "\".",
                      {field.location});
      note_variables(field.value);
      continue;
    }
    check_literal(field.value, definition->type, definition->default_value.has_value());
  }
  for (const auto& definition : type->input_fields) {
    const bool provided =
        std::any_of(value.fields.begin(), value.fields.end(),
                    [&](const auto& field) { return field.name == definition.name; });
    if (!provided && definition.type->kind == TypeKind::kNonNull && !definition.default_value) {
      context_.report("Field \"" + type->name + "." + definition.name + "\" of required type \"" +
                          definition.type->to_string() + "\" was not provided.",
                      {value.location});
    }
  }
  if (type->one_of) {
    if (value.fields.size() != 1) {
      context_.report("OneOf Input Object \"" + type->name + "\" must specify exactly one key.",
                      {value.location});
    } else if (value.fields.front().value.kind == ast::ValueKind::kNull) {
      context_.report(
          "Field \"" + type->name + "." + value.fields.front().name + "\" must be non-null.",
          {value.location});
    }
  }
}

// Section 5.6.1 Values of Correct Type, recording variable uses with their expected type
// for 5.8.5 All Variable Usages Are Allowed.
void TypedWalker::check_literal(const ast::Value& value, const Type* type, bool has_default) {
  if (value.kind == ast::ValueKind::kVariable) {
    if (used_variables_ != nullptr) {
      used_variables_->push_back({value.text, value.location, type, has_default});
    }
    return;
  }
  if (type->kind == TypeKind::kNonNull) {
    if (value.kind == ast::ValueKind::kNull) {
      context_.report("Expected value of type \"" + type->to_string() + "\", found null.",
                      {value.location});
      return;
    }
    check_literal(value, type->of_type, false);
    return;
  }
  if (value.kind == ast::ValueKind::kNull) {
    return;
  }
  if (type->kind == TypeKind::kList) {
    if (value.kind != ast::ValueKind::kList) {
      check_literal(value, type->of_type, false);
      return;
    }
    for (const auto& item : value.items) {
      check_literal(item, type->of_type, false);
    }
    return;
  }
  if (type->kind == TypeKind::kInputObject) {
    if (value.kind != ast::ValueKind::kObject) {
      context_.report("Expected value of type \"" + type->name + "\".", {value.location});
      note_variables(value);
      return;
    }
    check_object_literal(value, type);
    return;
  }
  if (!value_from_ast(value, type, Json::object())) {
    context_.report("Expected value of type \"" + type->to_string() + "\".", {value.location});
  }
}

// Section 5.4.1 Argument Names, 5.4.2 Argument Uniqueness, 5.4.2.1 Required Arguments and
// 5.6.1 Values of Correct Type.
void TypedWalker::check_arguments(const std::vector<InputValue>& definitions,
                                  const std::vector<ast::Argument>& arguments,
                                  const std::string& owner, ast::Location location,
                                  bool is_directive) {
  std::map<std::string, ast::Location> seen;
  for (const auto& argument : arguments) {
    const auto [previous, inserted] = seen.emplace(argument.name, argument.location);
    if (!inserted) {
      context_.report("There can be only one argument named \"" + argument.name + "\".",
                      {previous->second, argument.location});
    }
    const InputValue* definition = nullptr;
    for (const auto& candidate : definitions) {
      if (candidate.name == argument.name) {
        definition = &candidate;
      }
    }
    if (definition == nullptr) {
      context_.report("Unknown argument \"" + argument.name + "\" on " +
                          (is_directive ? "directive \"" : "field \"") + owner + "\".",
                      {argument.location});
      note_variables(argument.value);
      continue;
    }
    check_literal(argument.value, definition->type, definition->default_value.has_value());
  }
  for (const auto& definition : definitions) {
    if (definition.type->kind == TypeKind::kNonNull && !definition.default_value &&
        seen.count(definition.name) == 0) {
      context_.report((is_directive ? "Directive \"@" : "Field \"") + owner + "\" argument \"" +
                          definition.name + "\" of type \"" + definition.type->to_string() +
                          "\" is required, but it was not provided.",
                      {location});
    }
  }
}

// Section 5.7.1 Directives Are Defined and 5.7.3 Directives Are Unique Per Location.
void TypedWalker::check_directives(const std::vector<ast::Directive>& directives,
                                   std::string_view location) {
  std::map<std::string, ast::Location> seen;
  for (const auto& directive : directives) {
    const DirectiveType* type = context_.schema.find_directive(directive.name);
    if (type == nullptr) {
      context_.report("Unknown directive \"@" + directive.name + "\".", {directive.location});
      continue;
    }
    bool allowed = false;
    for (const auto& candidate : type->locations) {
      allowed = allowed || candidate == location;
    }
    if (!allowed) {
      context_.report(
          "Directive \"@" + directive.name + "\" may not be used on " + std::string(location) + ".",
          {directive.location});
    }
    const auto [previous, inserted] = seen.emplace(directive.name, directive.location);
    if (!inserted && !type->repeatable) {
      context_.report(
          "The directive \"@" + directive.name + "\" can only be used once at this location.",
          {previous->second, directive.location});
    }
    check_arguments(type->arguments, directive.arguments, directive.name, directive.location, true);
  }
}

// Section 5.3.1 Field Selections and 5.3.3 Leaf Field Selections.
void TypedWalker::walk_field(const Type* parent, const ast::Selection& field) {
  check_directives(field.directives, "FIELD");
  const Field* definition = parent->find_field(field.name);
  const Type* type = nullptr;
  if (field.name == "__typename") {
    type = context_.schema.non_null_of(context_.schema.find_type("String"));
  } else if (definition == nullptr) {
    context_.report("Cannot query field \"" + field.name + "\" on type \"" + parent->name + "\".",
                    {field.location});
    for (const auto& argument : field.arguments) {
      note_variables(argument.value);
    }
    return;
  } else {
    type = definition->type;
    check_arguments(definition->arguments, field.arguments, parent->name + "." + field.name,
                    field.location, false);
  }
  const Type* named = type->named_type();
  if (named->is_leaf() && field.has_selection_set) {
    context_.report("Field \"" + field.name + "\" must not have a selection since type \"" +
                        type->to_string() + "\" has no subfields.",
                    {field.selection_set_location});
  } else if (!named->is_leaf() && !field.has_selection_set) {
    context_.report("Field \"" + field.name + "\" of type \"" + type->to_string() +
                        "\" must have a selection of subfields. Did you mean \"" + field.name +
                        " { ... }\"?",
                    {field.location});
  }
  if (!named->is_leaf() && field.has_selection_set) {
    walk_selections(named, field.selections);
  }
}

// Section 5.5.1.2 Fragment Spread Type Existence, 5.5.1.3 Fragments On Composite Types and
// 5.5.2.1 Fragment spread target defined.
void TypedWalker::walk_fragment(const Type* parent, const ast::Selection& fragment) {
  if (fragment.kind == ast::Selection::Kind::kFragmentSpread) {
    check_directives(fragment.directives, "FRAGMENT_SPREAD");
    if (used_fragments_ != nullptr) {
      used_fragments_->insert(fragment.name);
    }
    if (context_.fragments.count(fragment.name) == 0) {
      context_.report("Unknown fragment \"" + fragment.name + "\".", {fragment.name_location});
    }
    return;
  }
  check_directives(fragment.directives, "INLINE_FRAGMENT");
  const Type* type = parent;
  if (!fragment.type_condition.empty()) {
    type = context_.schema.find_type(fragment.type_condition);
    if (type == nullptr) {
      context_.report("Unknown type \"" + fragment.type_condition + "\".",
                      {fragment.name_location});
      return;
    }
    if (!type->is_composite()) {
      context_.report("Fragment cannot condition on non composite type \"" + type->name + "\".",
                      {fragment.name_location});
      return;
    }
  }
  walk_selections(type, fragment.selections);
}

void TypedWalker::walk_selections(const Type* parent,
                                  const std::vector<ast::Selection>& selections) {
  for (const auto& selection : selections) {
    if (selection.kind == ast::Selection::Kind::kField) {
      walk_field(parent, selection);
    } else {
      walk_fragment(parent, selection);
    }
  }
}

// Every fragment spread reachable from `selections`, following fragments once each.
void reachable_fragments(const ValidationContext& context,
                         const std::vector<ast::Selection>& selections,
                         std::set<std::string>& reached) {
  for (const auto& selection : selections) {
    if (selection.kind == ast::Selection::Kind::kFragmentSpread) {
      const auto found = context.fragments.find(selection.name);
      if (reached.insert(selection.name).second && found != context.fragments.end()) {
        reachable_fragments(context, found->second->selections, reached);
      }
      continue;
    }
    reachable_fragments(context, selection.selections, reached);
  }
}

// Section 5.8.5 All Variable Usages Are Allowed (IsVariableUsageAllowed).
void check_variable_position(ValidationContext& context, const ast::VariableDefinition& variable,
                             const VariableUsage& usage) {
  const Type* variable_type = type_from_ast(context.schema, *variable.type);
  if (variable_type == nullptr || usage.type == nullptr) {
    return;
  }
  const Type* location_type = usage.type;
  if (location_type->kind == TypeKind::kNonNull && variable_type->kind != TypeKind::kNonNull) {
    const bool has_non_null_default =
        variable.default_value && variable.default_value->kind != ast::ValueKind::kNull;
    if (!has_non_null_default && !usage.has_location_default) {
      context.report("Variable \"$" + variable.name + "\" of type \"" + variable_type->to_string() +
                         "\" used in position expecting type \"" + location_type->to_string() +
                         "\".",
                     {variable.location, usage.location});
      return;
    }
    location_type = location_type->of_type;
  }
  if (!is_type_sub_type_of(context.schema, variable_type, location_type)) {
    context.report("Variable \"$" + variable.name + "\" of type \"" + variable_type->to_string() +
                       "\" used in position expecting type \"" + location_type->to_string() + "\".",
                   {variable.location, usage.location});
  }
}

// Sections 5.2.1 to 5.2.2 (operations) and 5.8 (variables) for one operation.
void check_operation(ValidationContext& context, const ast::OperationDefinition& operation,
                     std::set<std::string>& used_fragments) {
  const Type* root = operation.operation == ast::OperationType::kQuery ? context.schema.query_type()
                     : operation.operation == ast::OperationType::kMutation
                         ? context.schema.mutation_type()
                         : context.schema.subscription_type();
  Usages used_variables;
  TypedWalker walker(context, &used_variables, &used_fragments);
  static constexpr std::string_view kLocations[] = {"QUERY", "MUTATION", "SUBSCRIPTION"};
  walker.check_directives(operation.directives, kLocations[static_cast<int>(operation.operation)]);
  // A missing root type is an execution error in graphql-js 16, not a validation error.
  if (root != nullptr) {
    walker.walk_selections(root, operation.selections);
  }

  std::set<std::string> reached;
  reachable_fragments(context, operation.selections, reached);
  for (const auto& name : reached) {
    const auto found = context.fragments.find(name);
    if (found == context.fragments.end()) {
      continue;
    }
    // The scratch context keeps errors inside fragments from being reported once per
    // operation; this walk only collects variable uses.
    ValidationContext scratch(context.schema, context.document);
    TypedWalker quiet(scratch, &used_variables, nullptr);
    const Type* type = context.schema.find_type(found->second->type_condition);
    if (type != nullptr && type->is_composite()) {
      quiet.walk_selections(type, found->second->selections);
    }
  }

  std::map<std::string, const ast::VariableDefinition*> defined;
  for (const auto& variable : operation.variables) {
    const auto [previous, inserted] = defined.emplace(variable.name, &variable);
    if (!inserted) {
      context.report("There can be only one variable named \"$" + variable.name + "\".",
                     {previous->second->location, variable.location});
    }
    const Type* type = type_from_ast(context.schema, *variable.type);
    if (type == nullptr || !type->is_input_type()) {
      context.report("Variable \"$" + variable.name + "\" cannot be non-input type \"" +
                         (type ? type->to_string() : variable.type->name) + "\".",
                     {variable.type->location});
    }
    const bool used = std::any_of(used_variables.begin(), used_variables.end(),
                                  [&](const auto& usage) { return usage.name == variable.name; });
    if (!used) {
      context.report(
          "Variable \"$" + variable.name + "\" is never used" +
              (operation.name.empty() ? "" : " in operation \"" + operation.name + "\"") + ".",
          {variable.location});
    }
  }
  for (const auto& usage : used_variables) {
    const auto found = defined.find(usage.name);
    if (found == defined.end()) {
      context.report(
          "Variable \"$" + usage.name + "\" is not defined" +
              (operation.name.empty() ? "" : " by operation \"" + operation.name + "\"") + ".",
          {usage.location, operation.location});
      continue;
    }
    check_variable_position(context, *found->second, usage);
  }
}
}  // namespace

ValidationContext::ValidationContext(const Schema& schema_in, const ast::Document& document_in)
    : schema(schema_in), document(document_in) {
  for (const auto& definition : document.definitions) {
    if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
      fragments.emplace(fragment->name, fragment);
    }
  }
}

void run_document_rules(ValidationContext& context) {
  std::size_t operation_count = 0;
  for (const auto& definition : context.document.definitions) {
    operation_count += std::holds_alternative<ast::OperationDefinition>(definition) ? 1 : 0;
  }
  std::map<std::string, ast::Location> operation_names;
  std::map<std::string, ast::Location> fragment_names;
  std::set<std::string> used_fragments;
  for (const auto& definition : context.document.definitions) {
    if (const auto* operation = std::get_if<ast::OperationDefinition>(&definition)) {
      if (operation->name.empty() && operation_count > 1) {
        context.report("This anonymous operation must be the only defined operation.",
                       {operation->location});
      }
      if (!operation->name.empty()) {
        const auto [previous, inserted] =
            operation_names.emplace(operation->name, operation->name_location);
        if (!inserted) {
          context.report("There can be only one operation named \"" + operation->name + "\".",
                         {previous->second, operation->name_location});
        }
      }
      check_operation(context, *operation, used_fragments);
    } else if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
      const auto [previous, inserted] =
          fragment_names.emplace(fragment->name, fragment->name_location);
      if (!inserted) {
        context.report("There can be only one fragment named \"" + fragment->name + "\".",
                       {previous->second, fragment->name_location});
      }
      TypedWalker walker(context, nullptr, &used_fragments);
      walker.check_directives(fragment->directives, "FRAGMENT_DEFINITION");
      const Type* type = context.schema.find_type(fragment->type_condition);
      if (type == nullptr) {
        context.report("Unknown type \"" + fragment->type_condition + "\".",
                       {fragment->type_condition_location});
      } else if (!type->is_composite()) {
        context.report("Fragment \"" + fragment->name +
                           "\" cannot condition on non composite type \"" + type->name + "\".",
                       {fragment->type_condition_location});
      } else {
        walker.walk_selections(type, fragment->selections);
      }
    } else {
      const ast::Location location =
          std::visit([](const auto& node) { return node.location; }, definition);
      context.report("The definition is not executable.", {location});
    }
  }
  for (const auto& definition : context.document.definitions) {
    const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition);
    if (fragment != nullptr && used_fragments.count(fragment->name) == 0) {
      context.report("Fragment \"" + fragment->name + "\" is never used.", {fragment->location});
    }
  }
}

void run_limit_rules(ValidationContext&, const ValidationLimits&) {
  // NOTE: depth, alias, root field and cost limits are not enforced yet.
}

}  // namespace surplus::graphql::detail
