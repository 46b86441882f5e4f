#include <algorithm>
#include <map>

#include <surplus/graphql/parser.hpp>
#include <surplus/graphql/schema.hpp>

#include "introspection.hpp"
#include "scalars.hpp"
#include "schema_validation.hpp"

namespace surplus::graphql {

// Turns a type system document into a Schema (section 3), collecting every error before
// it throws, so one run shows all problems of an SDL file.
class SchemaBuilder {
 public:
  Schema build(const ast::Document& document);

 private:
  void add_builtin_scalars();
  void add_builtin_directives();
  void add_introspection_types();
  void declare(const ast::Definition& definition);
  void declare_type(const ast::TypeDefinition& definition);
  void fill_type(const ast::TypeDefinition& definition);
  void fill_directive(const ast::DirectiveDefinition& definition);
  void set_root_types(const std::vector<const ast::SchemaDefinition*>& definitions);
  void link_possible_types();
  void order_types();
  void check_directives(const std::vector<ast::Directive>& directives, std::string_view where);

  const Type* resolve(const ast::TypeRefPtr& reference, std::string_view where);
  std::vector<InputValue> input_values(const std::vector<ast::InputValueDefinition>& definitions,
                                       std::string_view owner);
  Field make_field(const ast::FieldDefinition& definition, std::string_view owner);

  Schema schema_;
  std::vector<std::string> errors_;
  std::vector<std::string> builtin_directives_;
};

namespace {

// Argument `name` of directive `directive_name` when it is a string literal.
std::optional<std::string> directive_string(const std::vector<ast::Directive>& directives,
                                            std::string_view directive_name,
                                            std::string_view argument_name) {
  for (const auto& directive : directives) {
    if (directive.name != directive_name) {
      continue;
    }
    for (const auto& argument : directive.arguments) {
      if (argument.name == argument_name && argument.value.kind == ast::ValueKind::kString) {
        return argument.value.text;
      }
    }
    return std::string();
  }
  return std::nullopt;
}

bool has_directive(const std::vector<ast::Directive>& directives, std::string_view name) {
  return std::any_of(directives.begin(), directives.end(),
                     [&](const ast::Directive& directive) { return directive.name == name; });
}

// Section 3.13.3 @deprecated(reason: String = "No longer supported").
std::optional<std::string> deprecation_reason(const std::vector<ast::Directive>& directives) {
  auto reason = directive_string(directives, "deprecated", "reason");
  if (reason && reason->empty()) {
    const auto& directive = *std::find_if(directives.begin(), directives.end(),
                                          [](const auto& d) { return d.name == "deprecated"; });
    if (directive.arguments.empty()) {
      return std::string("No longer supported");
    }
  }
  return reason;
}

TypeKind to_type_kind(ast::TypeDefinition::Kind kind) {
  switch (kind) {
    case ast::TypeDefinition::Kind::kScalar:
      return TypeKind::kScalar;
    case ast::TypeDefinition::Kind::kObject:
      return TypeKind::kObject;
    case ast::TypeDefinition::Kind::kInterface:
      return TypeKind::kInterface;
    case ast::TypeDefinition::Kind::kUnion:
      return TypeKind::kUnion;
    case ast::TypeDefinition::Kind::kEnum:
      return TypeKind::kEnum;
    case ast::TypeDefinition::Kind::kInputObject:
      return TypeKind::kInputObject;
  }
  return TypeKind::kScalar;
}

std::string_view kind_word(TypeKind kind) {
  switch (kind) {
    case TypeKind::kScalar:
      return "scalar";
    case TypeKind::kObject:
      return "object";
    case TypeKind::kInterface:
      return "interface";
    case TypeKind::kUnion:
      return "union";
    case TypeKind::kEnum:
      return "enum";
    default:
      return "input object";
  }
}

}  // namespace

void SchemaBuilder::add_builtin_scalars() {
  static constexpr std::string_view kNames[] = {"String", "Int", "Float", "Boolean", "ID"};
  for (const auto name : kNames) {
    auto type = std::make_unique<Type>();
    type->kind = TypeKind::kScalar;
    type->name = std::string(name);
    type->scalar = detail::builtin_scalar_hooks(name);
    schema_.add_type(std::move(type));
  }
}

// Section 3.13: @include, @skip, @deprecated and @specifiedBy, plus @oneOf.
void SchemaBuilder::add_builtin_directives() {
  const auto add = [&](std::string name, std::vector<std::string> locations,
                       std::vector<InputValue> arguments, std::string description) {
    auto directive = std::make_unique<DirectiveType>();
    directive->name = std::move(name);
    directive->locations = std::move(locations);
    directive->arguments = std::move(arguments);
    directive->description = std::move(description);
    builtin_directives_.push_back(directive->name);
    schema_.directives_.push_back(std::move(directive));
  };
  const Type* boolean = schema_.non_null_of(schema_.find_type("Boolean"));
  const std::vector<std::string> conditional = {"FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"};
  add("include", conditional,
      {InputValue{"if", "The selection is included only when this is true.", boolean, {}, {}, {}}},
      "Includes this field or fragment in the response only when `if` is true.");
  add("skip", conditional,
      {InputValue{"if", "The selection is left out when this is true.", boolean, {}, {}, {}}},
      "Leaves this field or fragment out of the response when `if` is true.");
  ast::Value reason;
  reason.kind = ast::ValueKind::kString;
  reason.text = "No longer supported";
  add("deprecated",
      {"FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INPUT_FIELD_DEFINITION", "ENUM_VALUE",
       "DIRECTIVE_DEFINITION"},
      {InputValue{"reason",
                  "Why the element is deprecated, ideally naming what to use instead.",
                  schema_.find_type("String"),
                  reason,
                  {},
                  {}}},
      "Marks a schema element that clients should stop using.");
  add("specifiedBy", {"SCALAR"},
      {InputValue{"url",
                  "Address of the document that defines the scalar.",
                  schema_.non_null_of(schema_.find_type("String")),
                  {},
                  {},
                  {}}},
      "Links a custom scalar to the document that defines its values and coercion.");
  add("oneOf", {"INPUT_OBJECT"}, {},
      "Requires a value of this input object to set exactly one field, to a value other than "
      "null.");
}

// Section 4.2: the introspection types, built from SDL like the user's types. The user's SDL
// cannot define or extend them.
void SchemaBuilder::add_introspection_types() {
  const ast::Document document = parse(detail::introspection_sdl());
  for (const auto& definition : document.definitions) {
    declare(definition);
  }
  for (const auto& definition : document.definitions) {
    fill_type(std::get<ast::TypeDefinition>(definition));
  }
  schema_.schema_field_ = detail::make_schema_meta_field(schema_);
  schema_.type_field_ = detail::make_type_meta_field(schema_);
}

const Type* SchemaBuilder::resolve(const ast::TypeRefPtr& reference, std::string_view where) {
  switch (reference->kind) {
    case ast::TypeRef::Kind::kList: {
      const Type* item = resolve(reference->of_type, where);
      return item == nullptr ? nullptr : schema_.list_of(item);
    }
    case ast::TypeRef::Kind::kNonNull: {
      const Type* item = resolve(reference->of_type, where);
      return item == nullptr ? nullptr : schema_.non_null_of(item);
    }
    case ast::TypeRef::Kind::kNamed:
      break;
  }
  const Type* type = schema_.find_type(reference->name);
  if (type == nullptr) {
    errors_.push_back("Unknown type \"" + reference->name + "\" referenced by " +
                      std::string(where) + ".");
  }
  return type;
}

void SchemaBuilder::check_directives(const std::vector<ast::Directive>& directives,
                                     std::string_view where) {
  for (const auto& directive : directives) {
    if (schema_.find_directive(directive.name) == nullptr) {
      errors_.push_back("Unknown directive \"@" + directive.name + "\" on " + std::string(where) +
                        ".");
    }
  }
}

std::vector<InputValue> SchemaBuilder::input_values(
    const std::vector<ast::InputValueDefinition>& definitions, std::string_view owner) {
  std::vector<InputValue> values;
  for (const auto& definition : definitions) {
    const std::string where = std::string(owner) + "(" + definition.name + ":)";
    if (std::any_of(values.begin(), values.end(),
                    [&](const InputValue& value) { return value.name == definition.name; })) {
      errors_.push_back("Argument \"" + where + "\" can only be defined once.");
      continue;
    }
    check_directives(definition.directives, where);
    InputValue value;
    value.name = definition.name;
    value.description = definition.description;
    value.type = resolve(definition.type, where);
    value.default_value = definition.default_value;
    value.deprecation_reason = deprecation_reason(definition.directives);
    value.location = definition.location;
    values.push_back(std::move(value));
  }
  return values;
}

Field SchemaBuilder::make_field(const ast::FieldDefinition& definition, std::string_view owner) {
  const std::string where = std::string(owner) + "." + definition.name;
  check_directives(definition.directives, where);
  Field field;
  field.name = definition.name;
  field.description = definition.description;
  field.arguments = input_values(definition.arguments, where);
  field.type = resolve(definition.type, where);
  field.deprecation_reason = deprecation_reason(definition.directives);
  field.location = definition.location;
  return field;
}

void SchemaBuilder::declare_type(const ast::TypeDefinition& definition) {
  if (definition.is_extension) {
    return;
  }
  if (schema_.find_type(definition.name) != nullptr) {
    errors_.push_back(detail::is_builtin_scalar(definition.name)
                          ? "Type \"" + definition.name +
                                "\" already exists in the schema. It cannot also be defined in "
                                "this type definition."
                          : "There can be only one type named \"" + definition.name + "\".");
    return;
  }
  auto type = std::make_unique<Type>();
  type->kind = to_type_kind(definition.kind);
  type->name = definition.name;
  type->location = definition.location;
  if (type->kind == TypeKind::kScalar) {
    type->scalar = detail::passthrough_scalar_hooks();
  }
  schema_.add_type(std::move(type));
}

void SchemaBuilder::declare(const ast::Definition& definition) {
  if (const auto* type = std::get_if<ast::TypeDefinition>(&definition)) {
    declare_type(*type);
    return;
  }
  if (const auto* directive = std::get_if<ast::DirectiveDefinition>(&definition)) {
    if (schema_.find_directive(directive->name) != nullptr) {
      errors_.push_back("Directive \"@" + directive->name +
                        "\" already exists in the schema. It cannot be redefined.");
      return;
    }
    auto declared = std::make_unique<DirectiveType>();
    declared->name = directive->name;
    schema_.directives_.push_back(std::move(declared));
    return;
  }
  if (!std::holds_alternative<ast::SchemaDefinition>(definition)) {
    errors_.push_back(
        "The schema document may contain only type system definitions; found an "
        "operation or fragment.");
  }
}

void SchemaBuilder::fill_type(const ast::TypeDefinition& definition) {
  if (definition.is_extension && detail::is_introspection_type(definition.name)) {
    errors_.push_back("Cannot extend the introspection type \"" + definition.name + "\".");
    return;
  }
  Type* type = schema_.find_type(definition.name);
  if (type == nullptr || (!definition.is_extension && type->location.line != 0 &&
                          (type->location.line != definition.location.line ||
                           type->location.column != definition.location.column))) {
    if (definition.is_extension && type == nullptr) {
      errors_.push_back("Cannot extend type \"" + definition.name +
                        "\" because it is not defined.");
    }
    return;
  }
  if (type->kind != to_type_kind(definition.kind)) {
    errors_.push_back("Cannot extend non-" + std::string(kind_word(to_type_kind(definition.kind))) +
                      " type \"" + definition.name + "\".");
    return;
  }
  if (!definition.is_extension) {
    type->description = definition.description;
  }
  check_directives(definition.directives, "type \"" + definition.name + "\"");
  if (has_directive(definition.directives, "oneOf")) {
    type->one_of = true;
  }
  if (auto url = directive_string(definition.directives, "specifiedBy", "url")) {
    type->specified_by_url = std::move(url);
  }
  for (const auto& interface : definition.interfaces) {
    const Type* resolved = schema_.find_type(interface.name);
    if (resolved == nullptr) {
      errors_.push_back("Unknown type \"" + interface.name + "\" implemented by \"" +
                        definition.name + "\".");
      continue;
    }
    type->interfaces.push_back(resolved);
  }
  for (const auto& field : definition.fields) {
    if (type->find_field(field.name) != nullptr) {
      errors_.push_back("Field \"" + definition.name + "." + field.name +
                        "\" can only be defined once.");
      continue;
    }
    type->fields.push_back(make_field(field, definition.name));
  }
  for (const auto& member : definition.members) {
    if (const Type* resolved = schema_.find_type(member.name)) {
      type->possible_types.push_back(resolved);
    } else {
      errors_.push_back("Unknown type \"" + member.name + "\" in union \"" + definition.name +
                        "\".");
    }
  }
  for (const auto& value : definition.values) {
    if (type->find_enum_value(value.name) != nullptr) {
      errors_.push_back("Enum value \"" + definition.name + "." + value.name +
                        "\" can only be defined once.");
      continue;
    }
    type->enum_values.push_back(
        EnumValue{value.name, value.description, deprecation_reason(value.directives)});
  }
  for (auto& field : input_values(definition.input_fields, definition.name)) {
    if (type->find_input_field(field.name) != nullptr) {
      errors_.push_back("Field \"" + definition.name + "." + field.name +
                        "\" can only be defined once.");
      continue;
    }
    type->input_fields.push_back(std::move(field));
  }
}

void SchemaBuilder::fill_directive(const ast::DirectiveDefinition& definition) {
  for (const auto& directive : schema_.directives_) {
    if (directive->name == definition.name && directive->locations.empty()) {
      directive->description = definition.description;
      directive->repeatable = definition.repeatable;
      directive->arguments = input_values(definition.arguments, "@" + definition.name);
      for (const auto& location : definition.locations) {
        directive->locations.push_back(location.name);
      }
      return;
    }
  }
}

// Section 3.3.1: without a schema definition the types named Query, Mutation and
// Subscription are the roots.
void SchemaBuilder::set_root_types(const std::vector<const ast::SchemaDefinition*>& definitions) {
  bool has_definition = false;
  for (const auto* definition : definitions) {
    has_definition = has_definition || !definition->is_extension;
    if (!definition->is_extension) {
      schema_.description_ = definition->description;
    }
    for (const auto& root : definition->operation_types) {
      const Type* type = schema_.find_type(root.type.name);
      if (type == nullptr) {
        errors_.push_back("Unknown type \"" + root.type.name + "\" used as a root type.");
        continue;
      }
      const Type** slot = root.operation == ast::OperationType::kQuery ? &schema_.query_
                          : root.operation == ast::OperationType::kMutation
                              ? &schema_.mutation_
                              : &schema_.subscription_;
      if (*slot != nullptr) {
        errors_.push_back("Type for " + root.type.name + " root operation is defined twice.");
      }
      *slot = type;
    }
  }
  if (!has_definition) {
    schema_.query_ = schema_.query_ ? schema_.query_ : schema_.find_type("Query");
    schema_.mutation_ = schema_.mutation_ ? schema_.mutation_ : schema_.find_type("Mutation");
    schema_.subscription_ =
        schema_.subscription_ ? schema_.subscription_ : schema_.find_type("Subscription");
  }
}

// Records every object type in the possible types of the interfaces it implements.
void SchemaBuilder::link_possible_types() {
  for (const Type* type : schema_.type_order_) {
    if (type->kind != TypeKind::kObject) {
      continue;
    }
    for (const Type* interface : type->interfaces) {
      schema_.find_type(interface->name)->possible_types.push_back(type);
    }
  }
}

namespace {

// An insertion-ordered set of types in which removing and adding again moves a type to
// the end, like a JavaScript Set.
class TypeSequence {
 public:
  bool contains(const Type* type) const { return positions_.count(type) != 0; }
  void add(const Type* type) {
    positions_[type] = slots_.size();
    slots_.push_back(type);
  }
  void remove(const Type* type) {
    const auto found = positions_.find(type);
    if (found != positions_.end()) {
      slots_[found->second] = nullptr;
      positions_.erase(found);
    }
  }
  std::vector<const Type*> ordered() const {
    std::vector<const Type*> types;
    for (const Type* type : slots_) {
      if (type != nullptr) {
        types.push_back(type);
      }
    }
    return types;
  }

 private:
  std::map<const Type*, std::size_t> positions_;
  std::vector<const Type*> slots_;
};

// Adds the named type of `type` and, depth first, every type it refers to.
void collect_referenced_types(const Type* type, TypeSequence& sequence) {
  const Type* named = type->named_type();
  if (sequence.contains(named)) {
    return;
  }
  sequence.add(named);
  if (named->kind == TypeKind::kUnion) {
    for (const Type* member : named->possible_types) {
      collect_referenced_types(member, sequence);
    }
  }
  for (const Type* interface : named->interfaces) {
    collect_referenced_types(interface, sequence);
  }
  for (const auto& field : named->fields) {
    collect_referenced_types(field.type, sequence);
    for (const auto& argument : field.arguments) {
      collect_referenced_types(argument.type, sequence);
    }
  }
  for (const auto& field : named->input_fields) {
    collect_referenced_types(field.type, sequence);
  }
}

}  // namespace

// Orders types and directives as graphql-js `buildSchema` lists them in introspection, and
// drops the built-in scalars that nothing refers to, which graphql-js omits too (a variable
// of such a type is then an unknown type). Types follow the SDL, and each is followed by
// the types first reached from it. Types reached only from root types, directive arguments
// and introspection come last. Directives of the SDL come before the built-in ones.
void SchemaBuilder::order_types() {
  auto& directives = schema_.directives_;
  std::stable_partition(directives.begin(), directives.end(), [&](const auto& directive) {
    return std::find(builtin_directives_.begin(), builtin_directives_.end(), directive->name) ==
           builtin_directives_.end();
  });

  TypeSequence sequence;
  std::vector<const Type*> declared;
  for (const Type* type : schema_.type_order_) {
    if (!detail::is_builtin_scalar(type->name) && !detail::is_introspection_type(type->name)) {
      declared.push_back(type);
      sequence.add(type);
    }
  }
  for (const Type* type : declared) {
    sequence.remove(type);
    collect_referenced_types(type, sequence);
  }
  for (const Type* root : {schema_.query_, schema_.mutation_, schema_.subscription_}) {
    if (root != nullptr) {
      collect_referenced_types(root, sequence);
    }
  }
  for (const auto& directive : directives) {
    for (const auto& argument : directive->arguments) {
      collect_referenced_types(argument.type, sequence);
    }
  }
  // Introspection uses String and Boolean, so they always stay.
  collect_referenced_types(schema_.find_type("__Schema"), sequence);

  schema_.type_order_ = sequence.ordered();
  for (const char* name : {"Int", "Float", "ID"}) {
    const Type* scalar = schema_.find_type(name);
    if (scalar != nullptr && !sequence.contains(scalar)) {
      schema_.named_.erase(name);
    }
  }
  for (const Type* type : schema_.type_order_) {
    if (type->kind == TypeKind::kInterface) {
      schema_.find_type(type->name)->possible_types.clear();
    }
  }
  link_possible_types();
}

Schema SchemaBuilder::build(const ast::Document& document) {
  add_builtin_scalars();
  schema_.typename_field_.name = "__typename";
  schema_.typename_field_.description = "The name of the object type of this value.";
  schema_.typename_field_.type = schema_.non_null_of(schema_.find_type("String"));
  add_builtin_directives();
  add_introspection_types();
  std::vector<const ast::SchemaDefinition*> schema_definitions;
  std::size_t schema_definition_count = 0;
  for (const auto& definition : document.definitions) {
    declare(definition);
    if (const auto* schema = std::get_if<ast::SchemaDefinition>(&definition)) {
      schema_definitions.push_back(schema);
      schema_definition_count += schema->is_extension ? 0 : 1;
    }
  }
  if (schema_definition_count > 1) {
    errors_.push_back("Must provide only one schema definition.");
  }
  for (const auto& definition : document.definitions) {
    if (const auto* type = std::get_if<ast::TypeDefinition>(&definition)) {
      fill_type(*type);
    } else if (const auto* directive = std::get_if<ast::DirectiveDefinition>(&definition)) {
      fill_directive(*directive);
    }
  }
  set_root_types(schema_definitions);
  if (!errors_.empty()) {
    throw SchemaError(std::move(errors_));
  }
  link_possible_types();
  auto problems = detail::validate_schema(schema_);
  if (!problems.empty()) {
    throw SchemaError(std::move(problems));
  }
  order_types();
  detail::attach_introspection_resolvers(schema_);
  return std::move(schema_);
}

Schema build_schema(std::string_view sdl) {
  const ast::Document document = parse(sdl);
  SchemaBuilder builder;
  return builder.build(document);
}

}  // namespace surplus::graphql
