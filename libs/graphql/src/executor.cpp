#include <algorithm>
#include <utility>

#include "execution.hpp"
#include "same_name.hpp"
#include "scalars.hpp"
#include "values.hpp"

// Section 6.3 and 6.4: executing selection sets and completing values.
namespace surplus::graphql::detail {
namespace {

// The value of an absent member, at namespace scope so that reading it needs no guard.
const Json kNull;

// The default resolver (section 6.4.2): the member named like the field, or null. Items of
// a list usually have their members in the same order, so the index where the previous
// item had the member is tried first.
const Json* member_of(const Json& source, const FieldGroup& group) {
  if (!source.is_object()) {
    return &kNull;
  }
  const auto& members = source.get_ref<const Json::object_t&>();
  const std::string& name = group.nodes.front()->name;
  if (group.member_hint < members.size()) {
    const auto& hinted = *(members.begin() + static_cast<std::ptrdiff_t>(group.member_hint));
    if (same_name(hinted.first, name)) {
      return &hinted.second;
    }
  }
  std::size_t index = 0;
  for (const auto& member : members) {
    if (same_name(member.first, name)) {
      group.member_hint = index;
      return &member.second;
    }
    ++index;
  }
  return &kNull;
}

}  // namespace

bool is_complete_leaf(const Type* type, const Json& value) {
  if (value.is_null()) {
    return false;
  }
  if (type->kind == TypeKind::kNonNull) {
    type = type->of_type;
  }
  if (type->kind == TypeKind::kEnum) {
    return value.is_string() &&
           type->find_enum_value(value.get_ref<const std::string&>()) != nullptr;
  }
  return type->kind == TypeKind::kScalar && serializes_unchanged(type->scalar, value);
}

Executor::Executor(const ExecutionRequest& request, Json variables)
    : request_(request),
      schema_(*request.schema),
      variables_(std::move(variables)),
      fragments_(*request.document) {}

// Brings resolver_path_ up to date with path_ and returns it, rebuilding only the elements
// after the longest common prefix: sibling fields share all but the last element. Called
// only when a resolver reads its path.
const std::vector<PathElement>& Executor::update_resolver_path() {
  std::size_t common = 0;
  const std::size_t limit = std::min(resolver_path_source_.size(), path_.size());
  while (common < limit && resolver_path_source_[common].key.data() == path_[common].key.data() &&
         resolver_path_source_[common].key.size() == path_[common].key.size() &&
         resolver_path_source_[common].index == path_[common].index) {
    ++common;
  }
  resolver_path_.resize(common);
  resolver_path_source_.resize(common);
  for (std::size_t i = common; i < path_.size(); ++i) {
    const PathSegment& segment = path_[i];
    if (segment.key.empty()) {
      resolver_path_.emplace_back(segment.index);
    } else {
      resolver_path_.emplace_back(std::string(segment.key));
    }
    resolver_path_source_.push_back({segment.key, segment.index});
  }
  return resolver_path_;
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
  if (group.is_typename) {
    resolved.result.emplace(Json(type->name));
    return resolved;
  }
  if (resolved.field == nullptr) {
    return resolved;
  }
  if (group.reads_member) {
    resolved.borrowed = member_of(source, group);
    return resolved;
  }
  try {
    // Most fields with a resolver take no arguments; they share one empty object.
    static const Json kNoArguments = Json::object();
    const Json* arguments = &kNoArguments;
    if (!resolved.field->arguments.empty()) {
      if (!group.arguments) {
        group.arguments = coerce_argument_values(resolved.field->arguments, node.arguments,
                                                 node.location, variables_);
      }
      arguments = &*group.arguments;
    }
    if (!resolved.field->resolver) {
      resolved.borrowed = member_of(source, group);
      return resolved;
    }
    const ResponsePath path(
        [](void* executor) -> const std::vector<PathElement>& {
          return static_cast<Executor*>(executor)->update_resolver_path();
        },
        this);
    ResolveInfo info{&schema_, type, resolved.field, &node, path, &variables_, &request_.context};
    resolved.result.emplace(resolved.field->resolver(source, *arguments, info));
  } catch (const CoercionError& error) {
    resolved.error = located(error.message, group);
    resolved.error->locations = {error.location};
  } catch (const std::exception& error) {
    resolved.error = located(error.what(), group);
  }
  return resolved;
}

// Section 6.3 ExecuteSelectionSet. Each field is resolved and completed before the next
// one, as graphql-js does; results that are not ready wait for the end of the step.
Json Executor::execute_fields(const Type* type, const Json& source, const FieldGroups& groups) {
  Json result = Json::object();
  // Response keys are distinct, so fields are appended without the key search of
  // ordered_json's operator[]. The capacity never changes afterwards, which keeps the
  // positions that queued results point to in place.
  auto& members = result.get_ref<Json::object_t&>();
  members.reserve(groups.groups().size());
  for (const auto& group : groups.groups()) {
    if (group.reads_member) {
      // The common case, without the bookkeeping of a resolver call.
      const Json& value = *member_of(source, group);
      complete_at(group.definition->type, group.response_key, members, [&](Json& slot) {
        slot = complete_value(group.definition->type, {type, group.definition, &group}, value);
      });
      continue;
    }
    path_.push_back({group.response_key});
    Resolved resolved = resolve_field(type, source, group);
    path_.pop_back();
    complete_field(type, group, resolved, members);
  }
  return result;
}

// Appends a member for `key` to `members`, lets `complete` store its value, and handles a
// field error by storing null or, for a non-null field, passing the error on.
template <typename Complete>
void Executor::complete_at(const Type* field_type, std::string_view key, Json::object_t& members,
                           Complete&& complete) {
  members.emplace_back(key, nullptr);
  Json& slot = members.back().second;
  path_.push_back({key, 0, &slot, field_type->kind != TypeKind::kNonNull});
  try {
    complete(slot);
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

// Completes a field that went through resolve_field, or queues it when its result is not
// ready. Throws FieldError when the field is non-null and its value is null.
void Executor::complete_field(const Type* type, const FieldGroup& group, Resolved& entry,
                              Json::object_t& members) {
  if (!entry.result && !entry.error && entry.borrowed == nullptr) {
    return;
  }
  const Type* field_type = entry.field ? entry.field->type : schema_.find_type("String");
  const FieldContext context{type, entry.field, &group};
  complete_at(field_type, group.response_key, members, [&](Json& slot) {
    if (entry.error) {
      throw FieldError{std::move(*entry.error)};
    }
    if (entry.borrowed != nullptr) {
      slot = complete_value(field_type, context, *entry.borrowed);
    } else if (entry.result->is_deferred()) {
      enqueue(std::move(*entry.result), field_type, context);
    } else if (Json& value = entry.result->value(); is_complete_leaf(field_type, value)) {
      slot = std::move(value);
    } else {
      slot = complete_value(field_type, context, value);
    }
  });
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
    if (!value.is_string() ||
        type->find_enum_value(value.get_ref<const std::string&>()) == nullptr) {
      throw FieldError{located(
          "Enum \"" + type->name + "\" cannot represent value: " + inspect(value), *context.group)};
    }
    return value;
  }
  if (serializes_unchanged(type->scalar, value)) {
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
  if (group.sub_fields_type == type) {
    return *group.sub_fields;
  }
  // Only a group completed on several object types, through an abstract type, needs the
  // index. It records the entry that the group's cache is about to drop.
  if (group.sub_fields_type != nullptr) {
    sub_fields_index_.try_emplace({group.sub_fields_type, &group}, group.sub_fields);
    const auto found = sub_fields_index_.find({type, &group});
    if (found != sub_fields_index_.end()) {
      group.sub_fields_type = type;
      group.sub_fields = found->second;
      return *found->second;
    }
  }
  FieldGroups& groups = sub_fields_.emplace_back();
  groups.reserve(estimate_field_count(group.nodes.front()->selections, fragments_));
  VisitedFragments visited;
  for (const auto* node : group.nodes) {
    collect_fields(schema_, type, node->selections, variables_, fragments_, visited, groups);
  }
  groups.resolve_definitions(schema_, type);
  group.sub_fields_type = type;
  group.sub_fields = &groups;
  return groups;
}

Json Executor::complete_object(const Type* type, const FieldContext& context, const Json& value) {
  return execute_fields(type, value, sub_fields(type, *context.group));
}

}  // namespace surplus::graphql::detail
