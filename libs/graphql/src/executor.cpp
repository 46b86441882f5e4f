#include <deque>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include <surplus/graphql/executor.hpp>

#include "collect_fields.hpp"
#include "scalars.hpp"
#include "values.hpp"

// Section 6: execution of queries and mutations.
namespace surplus::graphql {
namespace {

using detail::FieldGroup;
using detail::FieldGroups;

// A field error on its way up to the nearest nullable field (section 6.4.4).
struct FieldError {
  GraphQLError error;
};

// The field being completed, for error messages and locations.
struct FieldContext {
  const Type* parent_type;
  const Field* field;
  const FieldGroup* group;
};

class Executor {
 public:
  Executor(const ExecutionRequest& request, Json variables)
      : request_(request), schema_(*request.schema), variables_(std::move(variables)) {
    for (const auto& definition : request.document->definitions) {
      if (const auto* fragment = std::get_if<ast::FragmentDefinition>(&definition)) {
        fragments_.emplace(fragment->name, fragment);
      }
    }
  }

  Json execute_root(const Type* root_type, const ast::OperationDefinition& operation);
  std::vector<GraphQLError> take_errors() { return std::move(errors_); }

 private:
  // The value of one field before completion: borrowed from the parent value when the
  // default resolver read it, otherwise owned.
  struct Resolved {
    const Field* field = nullptr;
    const Json* borrowed = nullptr;
    std::optional<FieldResult> result;
    std::optional<GraphQLError> error;
  };

  Json execute_fields(const Type* type, const Json& source, const FieldGroups& groups);
  Resolved resolve_field(const Type* type, const Json& source, const FieldGroup& group);
  Json complete_value(const Type* type, const FieldContext& context, const Json& value);
  Json complete_list(const Type* type, const FieldContext& context, const Json& value);
  Json complete_leaf(const Type* type, const FieldContext& context, const Json& value);
  Json complete_object(const Type* type, const FieldContext& context, const Json& value);
  const Type* resolve_abstract_type(const Type* type, const FieldContext& context,
                                    const Json& value);
  GraphQLError located(std::string message, const FieldGroup& group) const;
  std::vector<PathElement> path_elements() const;
  const FieldGroups& sub_fields(const Type* type, const FieldGroup& group);

  const ExecutionRequest& request_;
  const Schema& schema_;
  Json variables_;
  detail::FragmentMap fragments_;
  // Section 6.4.3 CollectSubfields, memoised: every item of a list shares its field groups.
  std::map<std::pair<const Type*, const FieldGroup*>, std::unique_ptr<FieldGroups>> sub_fields_;
  // The response path of the current field. Keys point into the document, so moving along
  // the path copies no strings. path_elements() builds the public form when an error or a
  // resolver needs it.
  struct PathSegment {
    std::string_view key;
    std::size_t index = 0;
  };
  std::vector<PathSegment> path_;
  std::vector<PathElement> resolver_path_;
  // Scratch buffers of execute_fields by nesting level; a deque keeps them in place as it
  // grows.
  std::deque<std::vector<Resolved>> scratch_;
  std::size_t depth_ = 0;

  struct DepthScope {
    explicit DepthScope(std::size_t& depth) : depth_(depth) { ++depth_; }
    ~DepthScope() { --depth_; }
    DepthScope(const DepthScope&) = delete;
    DepthScope& operator=(const DepthScope&) = delete;
    std::size_t& depth_;
  };
  std::vector<GraphQLError> errors_;
};

// The default resolver (section 6.4.2): the member named like the field, or null.
const Json* member_of(const Json& source, const std::string& name) {
  static const Json kNull;
  if (!source.is_object()) {
    return &kNull;
  }
  const auto found = source.find(name);
  return found == source.end() ? &kNull : &*found;
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
    Json arguments = detail::coerce_argument_values(resolved.field->arguments, node.arguments,
                                                    node.location, variables_);
    if (!resolved.field->resolver) {
      resolved.borrowed = member_of(source, node.name);
      return resolved;
    }
    resolver_path_ = path_elements();
    ResolveInfo info{&schema_,        type,        resolved.field,   &node,
                     &resolver_path_, &variables_, &request_.context};
    resolved.result.emplace(resolved.field->resolver(source, arguments, info));
  } catch (const detail::CoercionError& error) {
    resolved.error = located(error.message, group);
    resolved.error->locations = {error.location};
  } catch (const std::exception& error) {
    resolved.error = located(error.what(), group);
  }
  return resolved;
}

// Section 6.3 ExecuteSelectionSet: every resolver of this object runs before any deferred
// value is computed, so loaders see all keys of the step.
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
  // ordered_json's operator[].
  auto& members = result.get_ref<Json::object_t&>();
  members.reserve(resolved.size());
  for (std::size_t i = 0; i < resolved.size(); ++i) {
    const FieldGroup& group = groups.groups()[i];
    Resolved& entry = resolved[i];
    if (!entry.result && !entry.error && entry.borrowed == nullptr) {
      continue;
    }
    const Type* field_type = entry.field ? entry.field->type : schema_.find_type("String");
    path_.push_back({group.response_key});
    try {
      if (entry.error) {
        throw FieldError{*entry.error};
      }
      const Json* value = entry.borrowed;
      if (value == nullptr) {
        try {
          value = &entry.result->value();
        } catch (const std::exception& error) {
          throw FieldError{located(error.what(), group)};
        }
      }
      members.emplace_back(group.response_key,
                           complete_value(field_type, {type, entry.field, &group}, *value));
    } catch (FieldError& error) {
      if (field_type->kind == TypeKind::kNonNull) {
        path_.pop_back();
        throw;
      }
      errors_.push_back(std::move(error.error));
      members.emplace_back(group.response_key, nullptr);
    }
    path_.pop_back();
  }
  return result;
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
  for (std::size_t index = 0; index < value.size(); ++index) {
    path_.push_back({{}, index});
    try {
      list.push_back(complete_value(type->of_type, context, value[index]));
    } catch (FieldError& error) {
      if (type->of_type->kind == TypeKind::kNonNull) {
        path_.pop_back();
        throw;
      }
      errors_.push_back(std::move(error.error));
      list.push_back(nullptr);
    }
    path_.pop_back();
  }
  return list;
}

Json Executor::complete_leaf(const Type* type, const FieldContext& context, const Json& value) {
  if (type->kind == TypeKind::kEnum) {
    if (!value.is_string() || type->find_enum_value(value.get<std::string>()) == nullptr) {
      throw FieldError{
          located("Enum \"" + type->name + "\" cannot represent value: " + detail::inspect(value),
                  *context.group)};
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
    detail::VisitedFragments visited;
    for (const auto* node : group.nodes) {
      detail::collect_fields(schema_, type, node->selections, variables_, fragments_, visited,
                             *slot);
    }
    slot->resolve_definitions(schema_, type);
  }
  return *slot;
}

Json Executor::complete_object(const Type* type, const FieldContext& context, const Json& value) {
  return execute_fields(type, value, sub_fields(type, *context.group));
}

Json Executor::execute_root(const Type* root_type, const ast::OperationDefinition& operation) {
  FieldGroups groups;
  detail::VisitedFragments visited;
  detail::collect_fields(schema_, root_type, operation.selections, variables_, fragments_, visited,
                         groups);
  groups.resolve_definitions(schema_, root_type);
  try {
    return execute_fields(root_type, request_.root_value, groups);
  } catch (FieldError& error) {
    errors_.push_back(std::move(error.error));
    return nullptr;
  }
}

// Section 6.1 GetOperation.
const ast::OperationDefinition* select_operation(const ExecutionRequest& request,
                                                 std::vector<GraphQLError>& errors) {
  const ast::OperationDefinition* selected = nullptr;
  std::size_t count = 0;
  for (const auto& definition : request.document->definitions) {
    const auto* operation = std::get_if<ast::OperationDefinition>(&definition);
    if (operation == nullptr) {
      continue;
    }
    ++count;
    if (request.operation_name.empty() ? selected == nullptr
                                       : operation->name == request.operation_name) {
      selected = operation;
    }
  }
  if (!request.operation_name.empty() && selected == nullptr) {
    errors.push_back({"Unknown operation named \"" + request.operation_name + "\".", {}, {}, {}});
  } else if (request.operation_name.empty() && count > 1) {
    errors.push_back(
        {"Must provide operation name if query contains multiple operations.", {}, {}, {}});
    return nullptr;
  } else if (count == 0) {
    errors.push_back({"Must provide an operation.", {}, {}, {}});
  }
  return selected;
}

Json path_to_json(const std::vector<PathElement>& path) {
  Json json = Json::array();
  for (const auto& element : path) {
    if (const auto* key = std::get_if<std::string>(&element)) {
      json.push_back(*key);
    } else {
      json.push_back(std::get<std::size_t>(element));
    }
  }
  return json;
}

}  // namespace

Json GraphQLError::to_json() const {
  Json json = Json::object();
  json["message"] = message;
  if (!locations.empty()) {
    Json list = Json::array();
    for (const auto& location : locations) {
      list.push_back(Json{{"line", location.line}, {"column", location.column}});
    }
    json["locations"] = std::move(list);
  }
  if (path) {
    json["path"] = path_to_json(*path);
  }
  if (extensions.is_object() && !extensions.empty()) {
    json["extensions"] = extensions;
  }
  return json;
}

Json ExecutionResult::to_json() const& {
  return ExecutionResult(*this).to_json();
}

Json ExecutionResult::to_json() && {
  Json json = Json::object();
  if (!errors.empty()) {
    Json list = Json::array();
    for (const auto& error : errors) {
      list.push_back(error.to_json());
    }
    json["errors"] = std::move(list);
  }
  if (data) {
    json["data"] = std::move(*data);
  }
  return json;
}

ExecutionResult execute(const ExecutionRequest& request) {
  ExecutionResult result;
  const ast::OperationDefinition* operation = select_operation(request, result.errors);
  if (operation == nullptr || !result.errors.empty()) {
    return result;
  }
  const Schema& schema = *request.schema;
  Json variables =
      detail::coerce_variable_values(schema, *operation, request.variables, result.errors);
  if (!result.errors.empty()) {
    return result;
  }
  const Type* root_type = operation->operation == ast::OperationType::kQuery ? schema.query_type()
                          : operation->operation == ast::OperationType::kMutation
                              ? schema.mutation_type()
                              : schema.subscription_type();
  if (root_type == nullptr) {
    result.data = nullptr;
    result.errors.push_back({"Schema is not configured to execute this operation.",
                             {operation->location},
                             std::nullopt,
                             Json::object()});
    return result;
  }
  Executor executor(request, std::move(variables));
  result.data = executor.execute_root(root_type, *operation);
  result.errors = executor.take_errors();
  return result;
}

}  // namespace surplus::graphql
