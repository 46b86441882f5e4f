#include "values.hpp"

#include <stdexcept>

#include "same_name.hpp"
#include "scalars.hpp"

namespace surplus::graphql::detail {
namespace {

// graphql-js stops coercing variables after this many errors, and so do we.
constexpr std::size_t kMaxVariableErrors = 50;

bool is_missing_variable(const ast::Value& literal, const Json& variables) {
  return literal.kind == ast::ValueKind::kVariable && !variables.contains(literal.text);
}

// Section 3.10 and 3.11 input coercion of a JSON value (a variable value). Every problem is
// recorded with where it is inside the value, and coercion goes on with the rest, so one
// response lists every problem of a variable as graphql-js does.
class InputCoercer {
 public:
  struct Problem {
    // Position inside the value, such as `.items[2].name`; empty for the value itself.
    std::string path;
    Json value;
    std::string message;
  };

  Json coerce(const Json& value, const Type* type);
  std::vector<Problem>& problems() { return problems_; }

 private:
  Json coerce_list(const Json& value, const Type* type);
  Json coerce_object(const Json& value, const Type* type);
  Json coerce_leaf(const Json& value, const Type* type);
  void report(const Json& value, std::string message) {
    problems_.push_back({path_, value, std::move(message)});
  }

  std::string path_;
  std::vector<Problem> problems_;
};

Json InputCoercer::coerce(const Json& value, const Type* type) {
  if (type->kind == TypeKind::kNonNull) {
    if (value.is_null()) {
      report(value, "Expected non-nullable type \"" + type->to_string() + "\" not to be null.");
      return nullptr;
    }
    return coerce(value, type->of_type);
  }
  if (value.is_null()) {
    return nullptr;
  }
  switch (type->kind) {
    case TypeKind::kList:
      return coerce_list(value, type);
    case TypeKind::kInputObject:
      return coerce_object(value, type);
    default:
      return coerce_leaf(value, type);
  }
}

// A single value where a list is expected becomes a list of one (section 3.11).
Json InputCoercer::coerce_list(const Json& value, const Type* type) {
  Json list = Json::array();
  if (!value.is_array()) {
    list.push_back(coerce(value, type->of_type));
    return list;
  }
  const std::size_t path_size = path_.size();
  for (std::size_t index = 0; index < value.size(); ++index) {
    path_.append("[").append(std::to_string(index)).append("]");
    list.push_back(coerce(value[index], type->of_type));
    path_.resize(path_size);
  }
  return list;
}

// Section 3.10 input coercion of an input object, including the @oneOf rules.
Json InputCoercer::coerce_object(const Json& value, const Type* type) {
  if (!value.is_object()) {
    report(value, "Expected type \"" + type->name + "\" to be an object.");
    return nullptr;
  }
  Json coerced = Json::object();
  const std::size_t path_size = path_.size();
  for (const auto& field : type->input_fields) {
    const auto found = value.find(field.name);
    if (found == value.end()) {
      if (field.default_value) {
        coerced[field.name] =
            value_from_ast(*field.default_value, field.type, Json::object()).value_or(Json());
      } else if (field.type->kind == TypeKind::kNonNull) {
        report(value, "Field \"" + field.name + "\" of required type \"" + field.type->to_string() +
                          "\" was not provided.");
      }
      continue;
    }
    path_ += "." + field.name;
    coerced[field.name] = coerce(*found, field.type);
    path_.resize(path_size);
  }
  for (const auto& [name, item] : value.items()) {
    if (type->find_input_field(name) == nullptr) {
      report(value, "Field \"" + name + "\" is not defined by type \"" + type->name + "\".");
    }
  }
  if (type->one_of) {
    if (coerced.size() != 1) {
      report(value, "Exactly one key must be specified for OneOf type \"" + type->name + "\".");
    } else if (coerced.begin().value().is_null()) {
      report(value, "Field \"" + coerced.begin().key() + "\" must be non-null.");
    }
  }
  return coerced;
}

// Leaf input coercion through the scalar or enum rules.
Json InputCoercer::coerce_leaf(const Json& value, const Type* type) {
  if (type->kind == TypeKind::kEnum) {
    if (!value.is_string()) {
      report(value, "Enum \"" + type->name +
                        "\" cannot represent non-string value: " + inspect(value) + ".");
    } else if (type->find_enum_value(value.get<std::string>()) == nullptr) {
      report(value, "Value \"" + value.get<std::string>() + "\" does not exist in \"" + type->name +
                        "\" enum.");
    }
    return value;
  }
  try {
    return type->scalar.parse_value(value);
  } catch (const std::exception& error) {
    report(value, error.what());
    return nullptr;
  }
}

std::optional<Json> object_from_ast(const ast::Value& literal, const Type* type,
                                    const Json& variables) {
  if (literal.kind != ast::ValueKind::kObject) {
    return std::nullopt;
  }
  Json coerced = Json::object();
  for (const auto& field : type->input_fields) {
    const ast::ObjectField* node = nullptr;
    for (const auto& candidate : literal.fields) {
      if (candidate.name == field.name) {
        node = &candidate;
      }
    }
    if (node == nullptr || is_missing_variable(node->value, variables)) {
      if (field.default_value) {
        coerced[field.name] =
            value_from_ast(*field.default_value, field.type, Json::object()).value_or(Json());
      } else if (field.type->kind == TypeKind::kNonNull) {
        return std::nullopt;
      }
      continue;
    }
    auto value = value_from_ast(node->value, field.type, variables);
    if (!value) {
      return std::nullopt;
    }
    coerced[field.name] = std::move(*value);
  }
  if (type->one_of) {
    if (literal.fields.size() != 1 || coerced.size() != 1 || coerced.begin().value().is_null()) {
      return std::nullopt;
    }
  }
  return coerced;
}

std::optional<Json> leaf_from_ast(const ast::Value& literal, const Type* type,
                                  const Json& variables) {
  if (type->kind == TypeKind::kEnum) {
    if (literal.kind != ast::ValueKind::kEnum || type->find_enum_value(literal.text) == nullptr) {
      return std::nullopt;
    }
    return literal.text;
  }
  try {
    return type->scalar.parse_literal(literal, variables);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

const Type* type_from_ast(const Schema& schema, const ast::TypeRef& reference) {
  switch (reference.kind) {
    case ast::TypeRef::Kind::kList: {
      const Type* item = type_from_ast(schema, *reference.of_type);
      return item == nullptr ? nullptr : schema.list_of(item);
    }
    case ast::TypeRef::Kind::kNonNull: {
      const Type* item = type_from_ast(schema, *reference.of_type);
      return item == nullptr ? nullptr : schema.non_null_of(item);
    }
    case ast::TypeRef::Kind::kNamed:
      return schema.find_type(reference.name);
  }
  return nullptr;
}

std::optional<Json> value_from_ast(const ast::Value& literal, const Type* type,
                                   const Json& variables) {
  if (literal.kind == ast::ValueKind::kVariable) {
    const auto found = variables.find(literal.text);
    if (found == variables.end() || (found->is_null() && type->kind == TypeKind::kNonNull)) {
      return std::nullopt;
    }
    return *found;
  }
  if (type->kind == TypeKind::kNonNull) {
    if (literal.kind == ast::ValueKind::kNull) {
      return std::nullopt;
    }
    return value_from_ast(literal, type->of_type, variables);
  }
  if (literal.kind == ast::ValueKind::kNull) {
    return Json();
  }
  if (type->kind == TypeKind::kList) {
    if (literal.kind != ast::ValueKind::kList) {
      auto item = value_from_ast(literal, type->of_type, variables);
      return item ? std::optional<Json>(Json::array({std::move(*item)})) : std::nullopt;
    }
    Json list = Json::array();
    for (const auto& node : literal.items) {
      if (is_missing_variable(node, variables)) {
        if (type->of_type->kind == TypeKind::kNonNull) {
          return std::nullopt;
        }
        list.push_back(nullptr);
        continue;
      }
      auto item = value_from_ast(node, type->of_type, variables);
      if (!item) {
        return std::nullopt;
      }
      list.push_back(std::move(*item));
    }
    return list;
  }
  if (type->kind == TypeKind::kInputObject) {
    return object_from_ast(literal, type, variables);
  }
  return leaf_from_ast(literal, type, variables);
}

Json coerce_variable_values(const Schema& schema, const ast::OperationDefinition& operation,
                            const Json& inputs, std::vector<GraphQLError>& errors) {
  // Appends an error; returns false, after appending one that says so, past the limit.
  const auto add = [&](std::string message, ast::Location location) {
    if (errors.size() >= kMaxVariableErrors) {
      errors.push_back(
          {"Too many errors processing variables, error limit reached. Execution "
           "aborted.",
           {},
           std::nullopt,
           Json::object()});
      return false;
    }
    errors.push_back({std::move(message), {location}, std::nullopt, Json::object()});
    return true;
  };

  Json coerced = Json::object();
  // Sets a variable's value, replacing the value of an earlier definition of the same name,
  // without the key copies of ordered_json's operator[].
  const auto store = [&](const std::string& name, Json value) {
    auto& members = coerced.get_ref<Json::object_t&>();
    for (auto& member : members) {
      if (same_name(member.first, name)) {
        member.second = std::move(value);
        return;
      }
    }
    members.emplace_back(name, std::move(value));
  };
  for (const auto& definition : operation.variables) {
    // Only error messages use the name with its `$`.
    const auto name = [&] { return "$" + definition.name; };
    const Type* type = type_from_ast(schema, *definition.type);
    if (type == nullptr || !type->is_input_type()) {
      if (!add("Variable \"" + name() + "\" expected value of type \"" + definition.type->name +
                   "\" which cannot be used as an input type.",
               definition.location)) {
        return coerced;
      }
      continue;
    }
    const auto found = inputs.is_object() ? inputs.find(definition.name) : inputs.end();
    if (!inputs.is_object() || found == inputs.end()) {
      if (definition.default_value) {
        store(definition.name,
              value_from_ast(*definition.default_value, type, Json::object()).value_or(Json()));
      } else if (type->kind == TypeKind::kNonNull &&
                 !add("Variable \"" + name() + "\" of required type \"" + type->to_string() +
                          "\" was not provided.",
                      definition.location)) {
        return coerced;
      }
      continue;
    }
    if (found->is_null() && type->kind == TypeKind::kNonNull) {
      if (!add("Variable \"" + name() + "\" of non-null type \"" + type->to_string() +
                   "\" must not be null.",
               definition.location)) {
        return coerced;
      }
      continue;
    }

    InputCoercer coercer;
    Json value = coercer.coerce(*found, type);
    for (const auto& problem : coercer.problems()) {
      const std::string where =
          problem.path.empty() ? "" : " at \"" + definition.name + problem.path + "\"";
      if (!add("Variable \"" + name() + "\" got invalid value " + inspect(problem.value) + where +
                   "; " + problem.message,
               definition.location)) {
        return coerced;
      }
    }
    if (coercer.problems().empty()) {
      store(definition.name, std::move(value));
    }
  }
  return coerced;
}

Json coerce_argument_values(const std::vector<InputValue>& definitions,
                            const std::vector<ast::Argument>& arguments, ast::Location location,
                            const Json& variables) {
  Json coerced = Json::object();
  // A valid schema defines each argument once, so values are appended without the key
  // search and copies of ordered_json's operator[].
  auto& members = coerced.get_ref<Json::object_t&>();
  for (const auto& definition : definitions) {
    const ast::Argument* node = nullptr;
    for (const auto& argument : arguments) {
      if (argument.name == definition.name) {
        node = &argument;
      }
    }
    const bool non_null = definition.type->kind == TypeKind::kNonNull;
    if (node == nullptr || is_missing_variable(node->value, variables)) {
      if (definition.default_value) {
        members.emplace_back(definition.name, value_from_ast(*definition.default_value,
                                                             definition.type, Json::object())
                                                  .value_or(Json()));
      } else if (non_null) {
        throw CoercionError{"Argument \"" + definition.name + "\" of required type \"" +
                                definition.type->to_string() + "\" was not provided.",
                            location};
      }
      continue;
    }
    const bool is_null =
        node->value.kind == ast::ValueKind::kNull ||
        (node->value.kind == ast::ValueKind::kVariable && variables.at(node->value.text).is_null());
    if (is_null && non_null) {
      throw CoercionError{"Argument \"" + definition.name + "\" of non-null type \"" +
                              definition.type->to_string() + "\" must not be null.",
                          node->value.location};
    }
    auto value = value_from_ast(node->value, definition.type, variables);
    if (!value) {
      throw CoercionError{"Argument \"" + definition.name + "\" has invalid value.",
                          node->value.location};
    }
    members.emplace_back(definition.name, std::move(*value));
  }
  return coerced;
}

}  // namespace surplus::graphql::detail
