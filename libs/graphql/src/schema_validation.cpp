#include "schema_validation.hpp"

#include <algorithm>
#include <set>

#include "introspection.hpp"

namespace surplus::graphql::detail {
namespace {

class SchemaValidator {
 public:
  explicit SchemaValidator(const Schema& schema) : schema_(schema) {}

  std::vector<std::string> run();

 private:
  void check_root(const Type* type, std::string_view operation, bool required);
  void check_name(const std::string& name);
  void check_arguments(const std::vector<InputValue>& arguments, const std::string& owner);
  void check_fields(const Type& type);
  void check_interfaces(const Type& type);
  void check_implementation(const Type& type, const Type& interface);
  void check_union(const Type& type);
  void check_input_object(const Type& type);
  void check_input_cycles(const Type& type, std::vector<std::string>& path,
                          std::set<const Type*>& visiting);
  void add(std::string message) { errors_.push_back(std::move(message)); }

  const Schema& schema_;
  std::vector<std::string> errors_;
  std::set<const Type*> cycle_checked_;
};

bool is_non_null(const Type* type) {
  return type->kind == TypeKind::kNonNull;
}

void SchemaValidator::check_root(const Type* type, std::string_view operation, bool required) {
  if (type == nullptr) {
    if (required) {
      add(std::string(operation) + " root type must be provided.");
    }
    return;
  }
  if (type->kind != TypeKind::kObject) {
    add(std::string(operation) + " root type must be Object type" +
        (required ? ", it cannot be " + type->name + "."
                  : " if provided, it cannot be " + type->name + "."));
  }
}

// Section 2.1.9 reserves names that start with "__" for introspection.
void SchemaValidator::check_name(const std::string& name) {
  if (name.rfind("__", 0) == 0) {
    add("Name \"" + name +
        "\" must not begin with \"__\", which is reserved by GraphQL introspection.");
  }
}

void SchemaValidator::check_arguments(const std::vector<InputValue>& arguments,
                                      const std::string& owner) {
  for (const auto& argument : arguments) {
    check_name(argument.name);
    const std::string where = owner + "(" + argument.name + ":)";
    if (argument.type != nullptr && !argument.type->is_input_type()) {
      add("The type of " + where + " must be Input Type but got: " + argument.type->to_string() +
          ".");
    }
    if (argument.type != nullptr && is_non_null(argument.type) && !argument.default_value &&
        argument.deprecation_reason) {
      add("Required argument " + where + " cannot be deprecated.");
    }
  }
}

void SchemaValidator::check_fields(const Type& type) {
  if (type.fields.empty()) {
    add("Type " + type.name + " must define one or more fields.");
  }
  for (const auto& field : type.fields) {
    check_name(field.name);
    const std::string where = type.name + "." + field.name;
    if (field.type != nullptr && !field.type->is_output_type()) {
      add("The type of " + where + " must be Output Type but got: " + field.type->to_string() +
          ".");
    }
    check_arguments(field.arguments, where);
  }
}

// Section 3.6 IsValidImplementation.
void SchemaValidator::check_implementation(const Type& type, const Type& interface) {
  for (const auto& expected : interface.fields) {
    const std::string interface_field = interface.name + "." + expected.name;
    const Field* field = type.find_field(expected.name);
    if (field == nullptr) {
      add("Interface field " + interface_field + " expected but " + type.name +
          " does not provide it.");
      continue;
    }
    const std::string type_field = type.name + "." + field->name;
    if (!is_type_sub_type_of(schema_, field->type, expected.type)) {
      add("Interface field " + interface_field + " expects type " + expected.type->to_string() +
          " but " + type_field + " is type " + field->type->to_string() + ".");
    }
    for (const auto& argument : expected.arguments) {
      const InputValue* provided = field->find_argument(argument.name);
      if (provided == nullptr) {
        add("Interface field argument " + interface_field + "(" + argument.name +
            ":) expected but " + type_field + " does not provide it.");
      } else if (provided->type != argument.type) {
        add("Interface field argument " + interface_field + "(" + argument.name +
            ":) expects type " + argument.type->to_string() + " but " + type_field + "(" +
            argument.name + ":) is type " + provided->type->to_string() + ".");
      }
    }
    for (const auto& argument : field->arguments) {
      if (expected.find_argument(argument.name) == nullptr && is_non_null(argument.type) &&
          !argument.default_value) {
        add("Argument \"" + type_field + "(" + argument.name + ":)\" must not be required type \"" +
            argument.type->to_string() + "\" if not provided by the Interface field \"" +
            interface_field + "\".");
      }
    }
  }
}

void SchemaValidator::check_interfaces(const Type& type) {
  std::set<const Type*> seen;
  for (const Type* interface : type.interfaces) {
    if (interface->kind != TypeKind::kInterface) {
      add("Type " + type.name + " must only implement Interface types, it cannot implement " +
          interface->name + ".");
      continue;
    }
    if (interface == &type) {
      add("Type " + type.name +
          " cannot implement itself because it would create a circular reference.");
      continue;
    }
    if (!seen.insert(interface).second) {
      add("Type " + type.name + " can only implement " + interface->name + " once.");
      continue;
    }
    for (const Type* transitive : interface->interfaces) {
      if (std::find(type.interfaces.begin(), type.interfaces.end(), transitive) ==
          type.interfaces.end()) {
        add("Type " + type.name + " must implement " + transitive->name +
            " because it is implemented by " + interface->name + ".");
      }
    }
    check_implementation(type, *interface);
  }
}

void SchemaValidator::check_union(const Type& type) {
  if (type.possible_types.empty()) {
    add("Union type " + type.name + " must define one or more member types.");
  }
  std::set<const Type*> seen;
  for (const Type* member : type.possible_types) {
    if (!seen.insert(member).second) {
      add("Union type " + type.name + " can only include type " + member->name + " once.");
    } else if (member->kind != TypeKind::kObject) {
      add("Union type " + type.name + " can only include Object types, it cannot include " +
          member->name + ".");
    }
  }
}

void SchemaValidator::check_input_object(const Type& type) {
  if (type.input_fields.empty()) {
    add("Input Object type " + type.name + " must define one or more fields.");
  }
  for (const auto& field : type.input_fields) {
    check_name(field.name);
    const std::string where = type.name + "." + field.name;
    if (field.type != nullptr && !field.type->is_input_type()) {
      add("The type of " + where + " must be Input Type but got: " + field.type->to_string() + ".");
    }
    if (field.type != nullptr && is_non_null(field.type) && !field.default_value &&
        field.deprecation_reason) {
      add("Required input field " + where + " cannot be deprecated.");
    }
    if (type.one_of && field.type != nullptr && is_non_null(field.type)) {
      add("OneOf input field " + where + " must be nullable.");
    }
    if (type.one_of && field.default_value) {
      add("OneOf input field " + where + " cannot have a default value.");
    }
  }
  std::vector<std::string> path;
  std::set<const Type*> visiting;
  check_input_cycles(type, path, visiting);
}

// Section 3.10: an input object must not reach itself through non-null singular fields,
// because no finite value could satisfy it.
void SchemaValidator::check_input_cycles(const Type& type, std::vector<std::string>& path,
                                         std::set<const Type*>& visiting) {
  if (cycle_checked_.count(&type) != 0) {
    return;
  }
  visiting.insert(&type);
  for (const auto& field : type.input_fields) {
    if (field.type == nullptr || !is_non_null(field.type) ||
        field.type->of_type->kind != TypeKind::kInputObject) {
      continue;
    }
    const Type* target = field.type->of_type;
    path.push_back(field.name);
    if (visiting.count(target) != 0) {
      std::string joined;
      for (const auto& name : path) {
        joined += (joined.empty() ? "" : ".") + name;
      }
      add("Cannot reference Input Object \"" + target->name +
          "\" within itself through a series of non-null fields: \"" + joined + "\".");
    } else {
      check_input_cycles(*target, path, visiting);
    }
    path.pop_back();
  }
  visiting.erase(&type);
  if (path.empty()) {
    cycle_checked_.insert(&type);
  }
}

std::vector<std::string> SchemaValidator::run() {
  check_root(schema_.query_type(), "Query", true);
  check_root(schema_.mutation_type(), "Mutation", false);
  check_root(schema_.subscription_type(), "Subscription", false);
  for (const auto& directive : schema_.directives()) {
    check_name(directive->name);
    check_arguments(directive->arguments, "@" + directive->name);
  }
  for (const Type* type : schema_.types()) {
    if (is_introspection_type(type->name)) {
      continue;
    }
    check_name(type->name);
    switch (type->kind) {
      case TypeKind::kObject:
      case TypeKind::kInterface:
        check_fields(*type);
        check_interfaces(*type);
        break;
      case TypeKind::kUnion:
        check_union(*type);
        break;
      case TypeKind::kEnum:
        if (type->enum_values.empty()) {
          add("Enum type " + type->name + " must define one or more values.");
        }
        break;
      case TypeKind::kInputObject:
        check_input_object(*type);
        break;
      default:
        break;
    }
  }
  return std::move(errors_);
}

}  // namespace

bool is_type_sub_type_of(const Schema& schema, const Type* maybe_subtype, const Type* super_type) {
  if (maybe_subtype == super_type) {
    return true;
  }
  if (super_type->kind == TypeKind::kNonNull) {
    return maybe_subtype->kind == TypeKind::kNonNull &&
           is_type_sub_type_of(schema, maybe_subtype->of_type, super_type->of_type);
  }
  if (maybe_subtype->kind == TypeKind::kNonNull) {
    return is_type_sub_type_of(schema, maybe_subtype->of_type, super_type);
  }
  if (super_type->kind == TypeKind::kList) {
    return maybe_subtype->kind == TypeKind::kList &&
           is_type_sub_type_of(schema, maybe_subtype->of_type, super_type->of_type);
  }
  if (maybe_subtype->kind == TypeKind::kList) {
    return false;
  }
  return super_type->is_abstract() &&
         (maybe_subtype->kind == TypeKind::kObject ||
          maybe_subtype->kind == TypeKind::kInterface) &&
         schema.is_sub_type(super_type, maybe_subtype);
}

std::vector<std::string> validate_schema(const Schema& schema) {
  return SchemaValidator(schema).run();
}

}  // namespace surplus::graphql::detail
