#include <utility>

#include "execution.hpp"
#include "scalars.hpp"
#include "values.hpp"

// Section 6.3 and 6.4: executing selection sets and completing values.
namespace surplus::graphql::detail {
namespace {

// The default resolver (section 6.4.2): the member named like the field, or null.
const Json* member_of(const Json& source, const std::string& name) {
  static const Json kNull;
  if (!source.is_object()) {
    return &kNull;
  }
  const auto found = source.find(name);
  return found == source.end() ? &kNull : &*found;
}

}  // namespace

Executor::Executor(const ExecutionRequest& request, Json variables)
    : request_(request), schema_(*request.schema), variables_(std::move(variables)) {
  for (const auto& definition : request.document->definitions) {
    if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
      fragments_.emplace(fragment->name, fragment);
    }
  }
}

std::vector<PathElement> Executor::path_elements() const {
  std::vector<PathElement> elements;
  elements.reserve(path_.size());
  for (const auto& segment : path_) {
    if (segment.key.empty()) {
      elements.emplace_back(segment.index);
    } else {
      elements.emplace_back(std::string(segment.key));
    }
  }
  return elements;
}

GraphQLError Executor::located(std::string message, const FieldGroup& group) const {
  GraphQLError error;
  error.message = std::move(message);
  for (const auto* node : group.nodes) {
    error.locations.push_back(node->location);
  }
  error.path = path_elements();
  return error;
}

// Section 6.4.2 ResolveFieldValue, with argument coercion (6.4.1). Errors are kept for the
// completion step so that they are reported in field order.
Executor::Resolved Executor::resolve_field(const Type* type, const Json& source,
                                           const FieldGroup& group) {
  Resolved resolved;
  const ast::Selection& node = *group.nodes.front();
  resolved.field = group.definition;
  if (node.name == "__typename") {
    resolved.result.emplace(Json(type->name));
    return resolved;
  }
  if (resolved.field == nullptr) {
    return resolved;
  }
  if (!resolved.field->resolver && resolved.field->arguments.empty()) {
    resolved.borrowed = member_of(source, node.name);
    return resolved;
  }
  try {
    Json arguments = coerce_argument_values(resolved.field->arguments, node.arguments,
                                            node.location, variables_);
    if (!resolved.field->resolver) {
      resolved.borrowed = member_of(source, node.name);
      return resolved;
    }
    resolver_path_ = path_elements();
    ResolveInfo info{&schema_,        type,        resolved.field,   &node,
                     &resolver_path_, &variables_, &request_.context};
    resolved.result.emplace(resolved.field->resolver(source, arguments, info));
  } catch (const CoercionError& error) {
    resolved.error = located(error.message, group);
    resolved.error->locations = {error.location};
  } catch (const std::exception& error) {
    resolved.error = located(error.what(), group);
  }
  return resolved;
}

// Section 6.3 ExecuteSelectionSet: every resolver of this object runs before any value is
// completed, and results that are not ready wait for the end of the step.
Json Executor::execute_fields(const Type* type, const Json& source, const FieldGroups& groups) {
  // One buffer per nesting level, reused by every object at that level, so completing a
  // list of objects does not allocate one per item.
  if (scratch_.size() <= depth_) {
    scratch_.emplace_back();
  }
  std::vector<Resolved>& resolved = scratch_[depth_];
  resolved.clear();
  const DepthScope scope(depth_);
  for (const auto& group : groups.groups()) {
    path_.push_back({group.response_key});
    resolved.push_back(resolve_field(type, source, group));
    path_.pop_back();
  }

  Json result = Json::object();
  // Response keys are distinct, so fields are appended without the key search of
  // ordered_json's operator[]. The capacity never changes afterwards, which keeps the
  // positions that queued results point to in place.
  auto& members = result.get_ref<Json::object_t&>();
  members.reserve(resolved.size());
  for (std::size_t i = 0; i < resolved.size(); ++i) {
    complete_field(type, groups.groups()[i], resolved[i], members);
  }
  return result;
}

// Appends the completed value of one field to `members`, or queues it when its result is
// not ready. Throws FieldError when the field is non-null and its value is null.
void Executor::complete_field(const Type* type, const FieldGroup& group, Resolved& entry,
                              Json::object_t& members) {
  if (!entry.result && !entry.error && entry.borrowed == nullptr) {
    return;
  }
  const Type* field_type = entry.field ? entry.field->type : schema_.find_type("String");
  members.emplace_back(group.response_key, nullptr);
  Json& slot = members.back().second;
  path_.push_back({group.response_key, 0, &slot, field_type->kind != TypeKind::kNonNull});
  const FieldContext context{type, entry.field, &group};
  try {
    if (entry.error) {
      throw FieldError{*entry.error};
    }
    if (entry.borrowed != nullptr) {
      slot = complete_value(field_type, context, *entry.borrowed);
    } else if (entry.result->is_deferred()) {
      enqueue(std::move(*entry.result), field_type, context);
    } else {
      slot = complete_value(field_type, context, entry.result->value());
    }
  } catch (FieldError& error) {
    if (field_type->kind == TypeKind::kNonNull) {
      path_.pop_back();
      throw;
    }
    errors_.push_back(std::move(error.error));
    null_current_position();
  }
  path_.pop_back();
}

// Section 6.4.3 CompleteValue.
Json Executor::complete_value(const Type* type, const FieldContext& context, const Json& value) {
  if (type->kind == TypeKind::kNonNull) {
    Json completed = complete_value(type->of_type, context, value);
    if (completed.is_null()) {
      throw FieldError{located("Cannot return null for non-nullable field " +
                                   context.parent_type->name + "." +
                                   context.group->nodes.front()->name + ".",
                               *context.group)};
    }
    return completed;
  }
  if (value.is_null()) {
    return nullptr;
  }
  switch (type->kind) {
    case TypeKind::kList:
      return complete_list(type, context, value);
    case TypeKind::kScalar:
    case TypeKind::kEnum:
      return complete_leaf(type, context, value);
    case TypeKind::kInterface:
    case TypeKind::kUnion:
      return complete_object(resolve_abstract_type(type, context, value), context, value);
    default:
      return complete_object(type, context, value);
  }
}

Json Executor::complete_list(const Type* type, const FieldContext& context, const Json& value) {
  if (!value.is_array()) {
    throw FieldError{located("Expected Iterable, but did not find one for field \"" +
                                 context.parent_type->name + "." +
                                 context.group->nodes.front()->name + "\".",
                             *context.group)};
  }
  Json list = Json::array();
  // Reserved once, so that positions queued below an item stay valid.
  auto& items = list.get_ref<Json::array_t&>();
  items.reserve(value.size());
  const bool nullable_items = type->of_type->kind != TypeKind::kNonNull;
  for (std::size_t index = 0; index < value.size(); ++index) {
    Json& slot = items.emplace_back();
    path_.push_back({{}, index, &slot, nullable_items});
    try {
      slot = complete_value(type->of_type, context, value[index]);
    } catch (FieldError& error) {
      if (!nullable_items) {
        path_.pop_back();
        throw;
      }
      errors_.push_back(std::move(error.error));
      null_current_position();
    }
    path_.pop_back();
  }
  return list;
}

Json Executor::complete_leaf(const Type* type, const FieldContext& context, const Json& value) {
  if (type->kind == TypeKind::kEnum) {
    if (!value.is_string() || type->find_enum_value(value.get<std::string>()) == nullptr) {
      throw FieldError{located(
          "Enum \"" + type->name + "\" cannot represent value: " + inspect(value), *context.group)};
    }
    return value;
  }
  try {
    return type->scalar.serialize(value);
  } catch (const std::exception& error) {
    throw FieldError{located(error.what(), *context.group)};
  }
}

// Section 6.4.3 ResolveAbstractType: the `__typename` member of the value names the type.
const Type* Executor::resolve_abstract_type(const Type* type, const FieldContext& context,
                                            const Json& value) {
  const std::string field = context.parent_type->name + "." + context.group->nodes.front()->name;
  const auto found = value.is_object() ? value.find("__typename") : value.end();
  if (found == value.end() || !found->is_string()) {
    throw FieldError{located("Abstract type \"" + type->name +
                                 "\" must resolve to an Object type at runtime for field \"" +
                                 field + "\". Either the \"" + type->name +
                                 "\" type should provide a \"resolveType\" function or each "
                                 "possible type should provide an \"isTypeOf\" function.",
                             *context.group)};
  }
  const std::string& name = found->get_ref<const std::string&>();
  const Type* runtime_type = schema_.find_type(name);
  if (runtime_type == nullptr) {
    throw FieldError{located("Abstract type \"" + type->name + "\" was resolved to a type \"" +
                                 name + "\" that does not exist inside the schema.",
                             *context.group)};
  }
  if (runtime_type->kind != TypeKind::kObject) {
    throw FieldError{located(
        "Abstract type \"" + type->name + "\" was resolved to a non-object type \"" + name + "\".",
        *context.group)};
  }
  if (!schema_.is_possible_type(type, runtime_type)) {
    throw FieldError{located(
        "Runtime Object type \"" + name + "\" is not a possible type for \"" + type->name + "\".",
        *context.group)};
  }
  return runtime_type;
}

const FieldGroups& Executor::sub_fields(const Type* type, const FieldGroup& group) {
  auto& slot = sub_fields_[{type, &group}];
  if (!slot) {
    slot = std::make_unique<FieldGroups>();
    slot->reserve(group.nodes.front()->selections.size());
    VisitedFragments visited;
    for (const auto* node : group.nodes) {
      collect_fields(schema_, type, node->selections, variables_, fragments_, visited, *slot);
    }
    slot->resolve_definitions(schema_, type);
  }
  return *slot;
}

Json Executor::complete_object(const Type* type, const FieldContext& context, const Json& value) {
  return execute_fields(type, value, sub_fields(type, *context.group));
}

}  // namespace surplus::graphql::detail
