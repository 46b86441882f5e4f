#include "validation/walker.hpp"

#include <stdexcept>
#include <utility>

#include "values.hpp"

namespace surplus::graphql::detail {
namespace {

const Type* nullable(const Type* type) {
  return type != nullptr && type->kind == TypeKind::kNonNull ? type->of_type : type;
}

const Type* named(const Type* type) {
  return type == nullptr ? nullptr : type->named_type();
}

const Type* input_or_null(const Type* type) {
  return type != nullptr && type->is_input_type() ? type : nullptr;
}

const Type* output_or_null(const Type* type) {
  return type != nullptr && type->is_output_type() ? type : nullptr;
}

std::string_view operation_location(ast::OperationType operation) {
  switch (operation) {
    case ast::OperationType::kQuery:
      return "QUERY";
    case ast::OperationType::kMutation:
      return "MUTATION";
    case ast::OperationType::kSubscription:
      return "SUBSCRIPTION";
  }
  return "QUERY";
}

std::string_view type_definition_location(ast::TypeDefinition::Kind kind) {
  switch (kind) {
    case ast::TypeDefinition::Kind::kScalar:
      return "SCALAR";
    case ast::TypeDefinition::Kind::kObject:
      return "OBJECT";
    case ast::TypeDefinition::Kind::kInterface:
      return "INTERFACE";
    case ast::TypeDefinition::Kind::kUnion:
      return "UNION";
    case ast::TypeDefinition::Kind::kEnum:
      return "ENUM";
    case ast::TypeDefinition::Kind::kInputObject:
      return "INPUT_OBJECT";
  }
  return "OBJECT";
}

}  // namespace

DocumentWalker::DocumentWalker(const Schema& schema, std::vector<Rule*> rules)
    : schema_(&schema), rules_(std::move(rules)) {
  if (rules_.size() > 64) {
    throw std::logic_error("a document walker takes at most 64 rules");
  }
  skips_.reserve(rules_.size());
  for (std::size_t index = 0; index < rules_.size(); ++index) {
    for (std::uint32_t hooks = rules_[index]->hooks(); hooks != 0; hooks &= hooks - 1) {
      observers_[std::countr_zero(hooks)] |= std::uint64_t{1} << index;
    }
  }
}

void DocumentWalker::reset(const Schema& schema) {
  schema_ = &schema;
  skipping_ = 0;
  skips_.clear();
  info_.types_.clear();
  info_.parent_types_.clear();
  info_.fields_.clear();
  info_.input_types_.clear();
  info_.defaults_.clear();
  info_.directive_ = nullptr;
  info_.argument_ = nullptr;
}

template <typename Visit>
void DocumentWalker::for_each_observer(std::uint32_t hook, Visit&& visit) {
  const std::uint64_t observers = observers_[std::countr_zero(hook)] & ~skipping_;
  for (std::uint64_t set = observers; set != 0; set &= set - 1) {
    visit(static_cast<std::size_t>(std::countr_zero(set)));
  }
}

template <typename Call>
void DocumentWalker::enter(std::uint32_t hook, const void* node, Call&& call) {
  for_each_observer(hook, [&](std::size_t index) {
    if (call(*rules_[index]) == Visit::kSkip) {
      skipping_ |= std::uint64_t{1} << index;
      skips_.emplace_back(node, index);
    }
  });
}

// A rule that skipped `node` is not called when leaving it; it observes again afterwards.
template <typename Call>
void DocumentWalker::leave(std::uint32_t hook, const void* node, Call&& call) {
  for_each_observer(hook, [&](std::size_t index) { call(*rules_[index]); });
  while (!skips_.empty() && skips_.back().first == node) {
    skipping_ &= ~(std::uint64_t{1} << skips_.back().second);
    skips_.pop_back();
  }
}

void DocumentWalker::walk(const ast::Document& document) {
  enter(kDocumentHook, &document, [&](Rule& rule) { return rule.enter_document(document); });
  for (const auto& definition : document.definitions) {
    walk_definition(definition);
  }
  leave(kDocumentHook, &document, [&](Rule& rule) { rule.leave_document(document); });
}

void DocumentWalker::walk_definition(const ast::Definition& definition) {
  if (const auto* operation = std::get_if<ast::OperationDefinition>(&definition)) {
    walk(*operation);
  } else if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
    walk(*fragment);
  } else if (const auto* type = std::get_if<ast::TypeDefinition>(&definition)) {
    walk_type_system(*type);
  } else if (const auto* schema = std::get_if<ast::SchemaDefinition>(&definition)) {
    walk_directives(schema->directives, {"SCHEMA", "schema"});
    for (const auto& root : schema->operation_types) {
      walk_named_type(root.type.name, root.type.location, true);
    }
  } else if (const auto* directive = std::get_if<ast::DirectiveDefinition>(&definition)) {
    for (const auto& argument : directive->arguments) {
      walk_input_value_definition(argument, "ARGUMENT_DEFINITION");
    }
  }
}

// TypeInfo: the root type of the operation, when it is an object type.
void DocumentWalker::walk(const ast::OperationDefinition& operation) {
  const Type* root = operation.operation == ast::OperationType::kQuery ? schema_->query_type()
                     : operation.operation == ast::OperationType::kMutation
                         ? schema_->mutation_type()
                         : schema_->subscription_type();
  info_.types_.push_back(root != nullptr && root->kind == TypeKind::kObject ? root : nullptr);
  enter(kOperationHook, &operation, [&](Rule& rule) { return rule.enter_operation(operation); });
  for (const auto& variable : operation.variables) {
    walk_variable_definition(variable);
  }
  walk_directives(operation.directives, {operation_location(operation.operation), {}});
  walk_selection_set(operation.selections, SelectionSetOwner::kOperation);
  leave(kOperationHook, &operation, [&](Rule& rule) { rule.leave_operation(operation); });
  info_.types_.pop_back();
}

void DocumentWalker::walk(const ast::FragmentDefinition& fragment) {
  info_.types_.push_back(output_or_null(schema_->find_type(fragment.type_condition)));
  enter(kFragmentDefinitionHook, &fragment,
        [&](Rule& rule) { return rule.enter_fragment_definition(fragment); });
  walk_named_type(fragment.type_condition, fragment.type_condition_location, false);
  walk_directives(fragment.directives, {"FRAGMENT_DEFINITION", {}});
  walk_selection_set(fragment.selections, SelectionSetOwner::kFragmentDefinition);
  leave(kFragmentDefinitionHook, &fragment,
        [&](Rule& rule) { rule.leave_fragment_definition(fragment); });
  info_.types_.pop_back();
}

void DocumentWalker::walk_variable_definition(const ast::VariableDefinition& variable) {
  info_.input_types_.push_back(input_or_null(type_from_ast(*schema_, *variable.type)));
  enter(kVariableDefinitionHook, &variable,
        [&](Rule& rule) { return rule.enter_variable_definition(variable); });
  walk_type_reference(*variable.type, false);
  if (variable.default_value) {
    walk_value(*variable.default_value);
  }
  walk_directives(variable.directives, {"VARIABLE_DEFINITION", {}});
  leave(kVariableDefinitionHook, &variable, [](Rule&) {});
  info_.input_types_.pop_back();
}

void DocumentWalker::walk_selection_set(const std::vector<ast::Selection>& selections,
                                        SelectionSetOwner owner) {
  const Type* type = named(info_.type());
  info_.parent_types_.push_back(type != nullptr && type->is_composite() ? type : nullptr);
  enter(kSelectionSetHook, &selections,
        [&](Rule& rule) { return rule.enter_selection_set(selections, owner); });
  for (const auto& selection : selections) {
    switch (selection.kind) {
      case ast::Selection::Kind::kField:
        walk_field(selection);
        break;
      case ast::Selection::Kind::kFragmentSpread:
        walk_fragment_spread(selection);
        break;
      case ast::Selection::Kind::kInlineFragment:
        walk_inline_fragment(selection);
        break;
    }
  }
  leave(kSelectionSetHook, &selections, [](Rule&) {});
  info_.parent_types_.pop_back();
}

void DocumentWalker::walk_field(const ast::Selection& field) {
  const Type* parent = info_.parent_type();
  const Field* definition =
      parent == nullptr ? nullptr : schema_->field_definition(parent, field.name);
  info_.fields_.push_back(definition);
  info_.types_.push_back(definition == nullptr ? nullptr : output_or_null(definition->type));
  enter(kFieldHook, &field, [&](Rule& rule) { return rule.enter_field(field); });
  for (const auto& argument : field.arguments) {
    walk_argument(argument);
  }
  walk_directives(field.directives, {"FIELD", {}});
  if (field.has_selection_set) {
    walk_selection_set(field.selections, SelectionSetOwner::kField);
  }
  leave(kLeaveFieldHook, &field, [&](Rule& rule) { rule.leave_field(field); });
  info_.types_.pop_back();
  info_.fields_.pop_back();
}

void DocumentWalker::walk_fragment_spread(const ast::Selection& spread) {
  enter(kFragmentSpreadHook, &spread,
        [&](Rule& rule) { return rule.enter_fragment_spread(spread); });
  walk_directives(spread.directives, {"FRAGMENT_SPREAD", {}});
  leave(kFragmentSpreadHook, &spread, [](Rule&) {});
}

void DocumentWalker::walk_inline_fragment(const ast::Selection& fragment) {
  const Type* type = fragment.type_condition.empty() ? named(info_.type())
                                                     : schema_->find_type(fragment.type_condition);
  info_.types_.push_back(output_or_null(type));
  enter(kInlineFragmentHook, &fragment,
        [&](Rule& rule) { return rule.enter_inline_fragment(fragment); });
  if (!fragment.type_condition.empty()) {
    walk_named_type(fragment.type_condition, fragment.name_location, false);
  }
  walk_directives(fragment.directives, {"INLINE_FRAGMENT", {}});
  walk_selection_set(fragment.selections, SelectionSetOwner::kInlineFragment);
  leave(kInlineFragmentHook, &fragment, [](Rule&) {});
  info_.types_.pop_back();
}

void DocumentWalker::walk_directives(const std::vector<ast::Directive>& directives,
                                     const DirectivesSite& site) {
  if (directives.empty()) {
    return;
  }
  for_each_observer(kDirectivesHook,
                    [&](std::size_t index) { rules_[index]->check_directives(directives, site); });
  for (const auto& directive : directives) {
    info_.directive_ = schema_->find_directive(directive.name);
    enter(kDirectiveHook, &directive,
          [&](Rule& rule) { return rule.enter_directive(directive, site.location); });
    for (const auto& argument : directive.arguments) {
      walk_argument(argument);
    }
    leave(kLeaveDirectiveHook, &directive, [&](Rule& rule) { rule.leave_directive(directive); });
    info_.directive_ = nullptr;
  }
}

// TypeInfo: an argument of the current directive, or else of the current field.
void DocumentWalker::walk_argument(const ast::Argument& argument) {
  const InputValue* definition = nullptr;
  if (info_.directive_ != nullptr) {
    definition = info_.directive_->find_argument(argument.name);
  } else if (const Field* field = info_.field_definition()) {
    definition = field->find_argument(argument.name);
  }
  info_.argument_ = definition;
  info_.defaults_.push_back(definition != nullptr && definition->default_value.has_value());
  info_.input_types_.push_back(definition == nullptr ? nullptr : input_or_null(definition->type));
  enter(kArgumentHook, &argument, [&](Rule& rule) { return rule.enter_argument(argument); });
  walk_value(argument.value);
  leave(kArgumentHook, &argument, [](Rule&) {});
  info_.input_types_.pop_back();
  info_.defaults_.pop_back();
  info_.argument_ = nullptr;
}

// TypeInfo: a list pushes its item type (a non-list type stands for itself, as input
// coercion wraps a single value), and list items never have a default value.
void DocumentWalker::walk_value(const ast::Value& value) {
  const bool is_list = value.kind == ast::ValueKind::kList;
  if (is_list) {
    const Type* list_type = nullable(info_.input_type());
    const Type* item_type =
        list_type != nullptr && list_type->kind == TypeKind::kList ? list_type->of_type : list_type;
    info_.defaults_.push_back(false);
    info_.input_types_.push_back(input_or_null(item_type));
  }
  enter(kValueHook, &value, [&](Rule& rule) { return rule.enter_value(value); });
  for (const auto& item : value.items) {
    walk_value(item);
  }
  for (const auto& field : value.fields) {
    walk_object_field(field);
  }
  leave(kLeaveValueHook, &value, [&](Rule& rule) { rule.leave_value(value); });
  if (is_list) {
    info_.input_types_.pop_back();
    info_.defaults_.pop_back();
  }
}

void DocumentWalker::walk_object_field(const ast::ObjectField& field) {
  const Type* object_type = named(info_.input_type());
  const InputValue* definition =
      object_type != nullptr && object_type->kind == TypeKind::kInputObject
          ? object_type->find_input_field(field.name)
          : nullptr;
  info_.defaults_.push_back(definition != nullptr && definition->default_value.has_value());
  info_.input_types_.push_back(definition == nullptr ? nullptr : input_or_null(definition->type));
  enter(kObjectFieldHook, &field, [&](Rule& rule) { return rule.enter_object_field(field); });
  walk_value(field.value);
  leave(kObjectFieldHook, &field, [](Rule&) {});
  info_.input_types_.pop_back();
  info_.defaults_.pop_back();
}

void DocumentWalker::walk_named_type(const std::string& name, ast::Location location,
                                     bool in_type_system) {
  for_each_observer(kNamedTypeHook, [&](std::size_t index) {
    rules_[index]->enter_named_type(name, location, in_type_system);
  });
}

void DocumentWalker::walk_type_reference(const ast::TypeRef& reference, bool in_type_system) {
  if (reference.kind == ast::TypeRef::Kind::kNamed) {
    walk_named_type(reference.name, reference.location, in_type_system);
  } else {
    walk_type_reference(*reference.of_type, in_type_system);
  }
}

// Type system definitions are not executable (section 5.1.1); their type names, directives
// and default values are still checked, as graphql-js does.
void DocumentWalker::walk_type_system(const ast::TypeDefinition& definition) {
  for (const auto& interface : definition.interfaces) {
    walk_named_type(interface.name, interface.location, true);
  }
  const std::string shared_key = "type " + definition.name;
  walk_directives(definition.directives, {type_definition_location(definition.kind), shared_key});
  for (const auto& field : definition.fields) {
    for (const auto& argument : field.arguments) {
      walk_input_value_definition(argument, "ARGUMENT_DEFINITION");
    }
    walk_type_reference(*field.type, true);
    walk_directives(field.directives, {"FIELD_DEFINITION", {}});
  }
  for (const auto& member : definition.members) {
    walk_named_type(member.name, member.location, true);
  }
  for (const auto& value : definition.values) {
    walk_directives(value.directives, {"ENUM_VALUE", {}});
  }
  for (const auto& field : definition.input_fields) {
    walk_input_value_definition(field, "INPUT_FIELD_DEFINITION");
  }
}

void DocumentWalker::walk_input_value_definition(const ast::InputValueDefinition& definition,
                                                 std::string_view location) {
  walk_type_reference(*definition.type, true);
  if (definition.default_value) {
    walk_value(*definition.default_value);
  }
  walk_directives(definition.directives, {location, {}});
}

}  // namespace surplus::graphql::detail
