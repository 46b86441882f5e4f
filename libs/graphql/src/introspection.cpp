#include "introspection.hpp"

#include <cstdint>
#include <cstring>
#include <optional>
#include <regex>
#include <stdexcept>

#include "printer.hpp"
#include "scalars.hpp"
#include "values.hpp"

namespace surplus::graphql::detail {
namespace {

// Kinds of introspection values. Kind 0 is left out so that a NaN from arithmetic, whose
// payload is 0, never passes for a handle.
enum class Handle : std::uint8_t {
  kSchema = 1,
  kType,
  kField,
  kInputValue,
  kEnumValue,
  kDirective,
};

// An introspection value is a handle to an object of the schema. It is stored in a JSON
// number as a NaN whose payload is the kind (bits 48 to 50) and the address (bits 0 to 47),
// so making one allocates nothing. JSON text cannot express NaN, so data from a JSON file
// can never pass for a handle. An address above 48 bits, which x86-64 and AArch64 Linux
// hand out only on request, is stored in a JSON binary whose subtype is the kind instead.
constexpr std::uint64_t kQuietNan = 0x7ff8'0000'0000'0000;
constexpr std::uint64_t kAddressMask = (std::uint64_t{1} << 48) - 1;
constexpr int kKindShift = 48;
constexpr std::uint8_t kBinarySubtypeBase = 0x50;

std::uint8_t binary_subtype(Handle kind) {
  return static_cast<std::uint8_t>(kBinarySubtypeBase + static_cast<std::uint8_t>(kind));
}

Json make_handle(Handle kind, const void* pointer) {
  const auto address = reinterpret_cast<std::uintptr_t>(pointer);
  if ((address & ~kAddressMask) == 0) {
    const std::uint64_t bits =
        kQuietNan | (std::uint64_t{static_cast<std::uint8_t>(kind)} << kKindShift) | address;
    double number = 0;
    std::memcpy(&number, &bits, sizeof number);
    return number;
  }
  std::vector<std::uint8_t> bytes(sizeof pointer);
  std::memcpy(bytes.data(), &pointer, sizeof pointer);
  return Json::binary(std::move(bytes), binary_subtype(kind));
}

Json type_handle(const Type* type) {
  return type == nullptr ? Json() : make_handle(Handle::kType, type);
}

// The address stored in `value` when it is a handle of `kind`, otherwise nullptr.
const void* handle_address(const Json& value, Handle kind) {
  if (value.is_number_float()) {
    std::uint64_t bits = 0;
    const double number = value.get<double>();
    std::memcpy(&bits, &number, sizeof bits);
    const std::uint64_t expected_tag =
        kQuietNan | (std::uint64_t{static_cast<std::uint8_t>(kind)} << kKindShift);
    if ((bits & ~kAddressMask) != expected_tag) {
      return nullptr;
    }
    return reinterpret_cast<const void*>(static_cast<std::uintptr_t>(bits & kAddressMask));
  }
  if (!value.is_binary() || !value.get_binary().has_subtype() ||
      value.get_binary().subtype() != binary_subtype(kind) ||
      value.get_binary().size() != sizeof(void*)) {
    return nullptr;
  }
  const void* pointer = nullptr;
  std::memcpy(&pointer, value.get_binary().data(), sizeof pointer);
  return pointer;
}

template <typename Object>
const Object& open_handle(const Json& value, Handle kind) {
  const void* pointer = handle_address(value, kind);
  if (pointer == nullptr) {
    throw std::runtime_error(
        "Invalid introspection value: introspection fields resolve only below __schema and "
        "__type, not on data from resolvers.");
  }
  return *static_cast<const Object*>(pointer);
}

// NOTE: an explicitly empty description (`""` in SDL) reads as null, because the schema
// stores descriptions as plain strings; graphql-js returns "" for it.
Json optional_text(const std::string& text) {
  return text.empty() ? Json() : Json(text);
}

Json optional_text(const std::optional<std::string>& text) {
  return text ? Json(*text) : Json();
}

bool include_deprecated(const Json& arguments) {
  const auto found = arguments.find("includeDeprecated");
  return found != arguments.end() && found->is_boolean() && found->get<bool>();
}

template <typename Item>
Json handles(const std::vector<Item>& items, Handle kind, bool all) {
  Json list = Json::array();
  list.get_ref<Json::array_t&>().reserve(items.size());
  for (const auto& item : items) {
    if (all || !item.deprecation_reason) {
      list.push_back(make_handle(kind, &item));
    }
  }
  return list;
}

Json type_handles(const std::vector<const Type*>& types) {
  Json list = Json::array();
  list.get_ref<Json::array_t&>().reserve(types.size());
  for (const Type* type : types) {
    list.push_back(type_handle(type));
  }
  return list;
}

std::string_view kind_name(TypeKind kind) {
  switch (kind) {
    case TypeKind::kScalar:
      return "SCALAR";
    case TypeKind::kObject:
      return "OBJECT";
    case TypeKind::kInterface:
      return "INTERFACE";
    case TypeKind::kUnion:
      return "UNION";
    case TypeKind::kEnum:
      return "ENUM";
    case TypeKind::kInputObject:
      return "INPUT_OBJECT";
    case TypeKind::kList:
      return "LIST";
    case TypeKind::kNonNull:
      return "NON_NULL";
  }
  return "SCALAR";
}

bool is_integer_text(const std::string& text) {
  static const std::regex kInteger("-?(0|[1-9][0-9]*)");
  return std::regex_match(text, kInteger);
}

std::optional<std::string> print_input(const Json* value, const Type* type);

std::string print_list(const Json& value, const Type* item_type) {
  std::string printed = "[";
  bool first = true;
  for (const auto& item : value) {
    if (auto element = print_input(&item, item_type)) {
      printed += (first ? "" : ", ") + *element;
      first = false;
    }
  }
  return printed + "]";
}

std::string print_object(const Json& value, const Type* type) {
  std::string printed = "{";
  bool first = true;
  for (const auto& field : type->input_fields) {
    const auto found = value.find(field.name);
    if (auto element = print_input(found == value.end() ? nullptr : &*found, field.type)) {
      printed += (first ? "" : ", ") + field.name + ": " + *element;
      first = false;
    }
  }
  return printed + "}";
}

// A scalar is printed as the literal of its serialized value. An ID that looks like an
// integer is printed as one.
std::optional<std::string> print_leaf(const Json& value, const Type* type) {
  const Json serialized = type->kind == TypeKind::kEnum ? value : type->scalar.serialize(value);
  if (serialized.is_null()) {
    return std::nullopt;
  }
  if (serialized.is_boolean()) {
    return serialized.get<bool>() ? "true" : "false";
  }
  if (serialized.is_number_integer()) {
    return serialized.dump();
  }
  if (serialized.is_number()) {
    return js_number_to_string(serialized.get<double>());
  }
  if (serialized.is_string()) {
    const auto& text = serialized.get_ref<const std::string&>();
    if (type->kind == TypeKind::kEnum || (type->name == "ID" && is_integer_text(text))) {
      return text;
    }
    return print_string(text);
  }
  throw std::runtime_error("Cannot convert value to AST: " + inspect(serialized) + ".");
}

// Prints a coerced input value as a literal of `type`, like graphql-js
// print(astFromValue(value, type)). A nullptr value is absent. The result is nullopt when
// there is no literal: for an absent value, or for null in a non-null position.
std::optional<std::string> print_input(const Json* value, const Type* type) {
  if (type->kind == TypeKind::kNonNull) {
    auto printed = print_input(value, type->of_type);
    return printed == "null" ? std::nullopt : printed;
  }
  if (value == nullptr) {
    return std::nullopt;
  }
  if (value->is_null()) {
    return "null";
  }
  if (type->kind == TypeKind::kList) {
    return value->is_array() ? print_list(*value, type->of_type)
                             : print_input(value, type->of_type);
  }
  if (type->kind == TypeKind::kInputObject) {
    return value->is_object() ? std::optional(print_object(*value, type)) : std::nullopt;
  }
  return print_leaf(*value, type);
}

// Section 4.2.6 defaultValue: the default coerced to the argument's type, then printed.
Json default_value(const InputValue& input) {
  if (!input.default_value) {
    return nullptr;
  }
  const auto coerced = value_from_ast(*input.default_value, input.type, Json::object());
  if (!coerced) {
    return nullptr;
  }
  const auto printed = print_input(&*coerced, input.type);
  return printed ? Json(*printed) : Json();
}

using Compute = Json (*)(const Json& parent, const Json& arguments);

void attach(Schema& schema, std::string_view type, std::string_view field, Compute compute) {
  schema.set_resolver(
      type, field,
      [compute](const Json& parent, const Json& arguments, const ResolveInfo&) -> FieldResult {
        return compute(parent, arguments);
      });
}

const Schema& as_schema(const Json& parent) {
  return open_handle<Schema>(parent, Handle::kSchema);
}

const Type& as_type(const Json& parent) {
  return open_handle<Type>(parent, Handle::kType);
}

const Field& as_field(const Json& parent) {
  return open_handle<Field>(parent, Handle::kField);
}

const InputValue& as_input_value(const Json& parent) {
  return open_handle<InputValue>(parent, Handle::kInputValue);
}

const EnumValue& as_enum_value(const Json& parent) {
  return open_handle<EnumValue>(parent, Handle::kEnumValue);
}

const DirectiveType& as_directive(const Json& parent) {
  return open_handle<DirectiveType>(parent, Handle::kDirective);
}

void attach_schema_resolvers(Schema& schema) {
  attach(schema, "__Schema", "description", [](const Json& parent, const Json&) {
    return optional_text(as_schema(parent).description());
  });
  attach(schema, "__Schema", "types",
         [](const Json& parent, const Json&) { return type_handles(as_schema(parent).types()); });
  attach(schema, "__Schema", "queryType", [](const Json& parent, const Json&) {
    return type_handle(as_schema(parent).query_type());
  });
  attach(schema, "__Schema", "mutationType", [](const Json& parent, const Json&) {
    return type_handle(as_schema(parent).mutation_type());
  });
  attach(schema, "__Schema", "subscriptionType", [](const Json& parent, const Json&) {
    return type_handle(as_schema(parent).subscription_type());
  });
  // No directive can be deprecated yet, so includeDeprecated changes nothing.
  attach(schema, "__Schema", "directives", [](const Json& parent, const Json&) {
    Json list = Json::array();
    for (const auto& directive : as_schema(parent).directives()) {
      list.push_back(make_handle(Handle::kDirective, directive.get()));
    }
    return list;
  });
}

// Members that do not apply to a kind of type are null (section 4.2.2).
void attach_type_resolvers(Schema& schema) {
  attach(schema, "__Type", "kind",
         [](const Json& parent, const Json&) { return Json(kind_name(as_type(parent).kind)); });
  attach(schema, "__Type", "name",
         [](const Json& parent, const Json&) { return optional_text(as_type(parent).name); });
  attach(schema, "__Type", "description", [](const Json& parent, const Json&) {
    return optional_text(as_type(parent).description);
  });
  attach(schema, "__Type", "specifiedByURL", [](const Json& parent, const Json&) {
    return optional_text(as_type(parent).specified_by_url);
  });
  attach(schema, "__Type", "fields", [](const Json& parent, const Json& arguments) {
    const Type& type = as_type(parent);
    if (type.kind != TypeKind::kObject && type.kind != TypeKind::kInterface) {
      return Json();
    }
    return handles(type.fields, Handle::kField, include_deprecated(arguments));
  });
  attach(schema, "__Type", "interfaces", [](const Json& parent, const Json&) {
    const Type& type = as_type(parent);
    if (type.kind != TypeKind::kObject && type.kind != TypeKind::kInterface) {
      return Json();
    }
    return type_handles(type.interfaces);
  });
  attach(schema, "__Type", "possibleTypes", [](const Json& parent, const Json&) {
    const Type& type = as_type(parent);
    return type.is_abstract() ? type_handles(type.possible_types) : Json();
  });
  attach(schema, "__Type", "enumValues", [](const Json& parent, const Json& arguments) {
    const Type& type = as_type(parent);
    if (type.kind != TypeKind::kEnum) {
      return Json();
    }
    return handles(type.enum_values, Handle::kEnumValue, include_deprecated(arguments));
  });
  attach(schema, "__Type", "inputFields", [](const Json& parent, const Json& arguments) {
    const Type& type = as_type(parent);
    if (type.kind != TypeKind::kInputObject) {
      return Json();
    }
    return handles(type.input_fields, Handle::kInputValue, include_deprecated(arguments));
  });
  attach(schema, "__Type", "ofType",
         [](const Json& parent, const Json&) { return type_handle(as_type(parent).of_type); });
  attach(schema, "__Type", "isOneOf", [](const Json& parent, const Json&) {
    const Type& type = as_type(parent);
    return type.kind == TypeKind::kInputObject ? Json(type.one_of) : Json();
  });
}

void attach_member_resolvers(Schema& schema) {
  attach(schema, "__Field", "name",
         [](const Json& parent, const Json&) { return Json(as_field(parent).name); });
  attach(schema, "__Field", "description", [](const Json& parent, const Json&) {
    return optional_text(as_field(parent).description);
  });
  attach(schema, "__Field", "args", [](const Json& parent, const Json& arguments) {
    return handles(as_field(parent).arguments, Handle::kInputValue, include_deprecated(arguments));
  });
  attach(schema, "__Field", "type",
         [](const Json& parent, const Json&) { return type_handle(as_field(parent).type); });
  attach(schema, "__Field", "isDeprecated", [](const Json& parent, const Json&) {
    return Json(as_field(parent).deprecation_reason.has_value());
  });
  attach(schema, "__Field", "deprecationReason", [](const Json& parent, const Json&) {
    return optional_text(as_field(parent).deprecation_reason);
  });

  attach(schema, "__InputValue", "name",
         [](const Json& parent, const Json&) { return Json(as_input_value(parent).name); });
  attach(schema, "__InputValue", "description", [](const Json& parent, const Json&) {
    return optional_text(as_input_value(parent).description);
  });
  attach(schema, "__InputValue", "type",
         [](const Json& parent, const Json&) { return type_handle(as_input_value(parent).type); });
  attach(schema, "__InputValue", "defaultValue",
         [](const Json& parent, const Json&) { return default_value(as_input_value(parent)); });
  attach(schema, "__InputValue", "isDeprecated", [](const Json& parent, const Json&) {
    return Json(as_input_value(parent).deprecation_reason.has_value());
  });
  attach(schema, "__InputValue", "deprecationReason", [](const Json& parent, const Json&) {
    return optional_text(as_input_value(parent).deprecation_reason);
  });

  attach(schema, "__EnumValue", "name",
         [](const Json& parent, const Json&) { return Json(as_enum_value(parent).name); });
  attach(schema, "__EnumValue", "description", [](const Json& parent, const Json&) {
    return optional_text(as_enum_value(parent).description);
  });
  attach(schema, "__EnumValue", "isDeprecated", [](const Json& parent, const Json&) {
    return Json(as_enum_value(parent).deprecation_reason.has_value());
  });
  attach(schema, "__EnumValue", "deprecationReason", [](const Json& parent, const Json&) {
    return optional_text(as_enum_value(parent).deprecation_reason);
  });

  attach(schema, "__Directive", "name",
         [](const Json& parent, const Json&) { return Json(as_directive(parent).name); });
  attach(schema, "__Directive", "description", [](const Json& parent, const Json&) {
    return optional_text(as_directive(parent).description);
  });
  attach(schema, "__Directive", "isRepeatable",
         [](const Json& parent, const Json&) { return Json(as_directive(parent).repeatable); });
  attach(schema, "__Directive", "locations",
         [](const Json& parent, const Json&) { return Json(as_directive(parent).locations); });
  attach(schema, "__Directive", "args", [](const Json& parent, const Json& arguments) {
    return handles(as_directive(parent).arguments, Handle::kInputValue,
                   include_deprecated(arguments));
  });
  // The SDL grammar has no directives on directive definitions, so @deprecated cannot reach a
  // directive.
  attach(schema, "__Directive", "isDeprecated", [](const Json& parent, const Json&) {
    as_directive(parent);
    return Json(false);
  });
  attach(schema, "__Directive", "deprecationReason", [](const Json& parent, const Json&) {
    as_directive(parent);
    return Json();
  });
}

}  // namespace

bool is_introspection_type(std::string_view name) {
  return name == "__Schema" || name == "__Type" || name == "__TypeKind" || name == "__Field" ||
         name == "__InputValue" || name == "__EnumValue" || name == "__Directive" ||
         name == "__DirectiveLocation";
}

void attach_introspection_resolvers(Schema& schema) {
  attach_schema_resolvers(schema);
  attach_type_resolvers(schema);
  attach_member_resolvers(schema);
}

Field make_schema_meta_field(const Schema& schema) {
  Field field;
  field.name = "__schema";
  field.description = "The schema of this service, for introspection.";
  field.type = schema.non_null_of(schema.find_type("__Schema"));
  field.resolver = [](const Json&, const Json&, const ResolveInfo& info) -> FieldResult {
    return make_handle(Handle::kSchema, info.schema);
  };
  return field;
}

Field make_type_meta_field(const Schema& schema) {
  Field field;
  field.name = "__type";
  field.description = "The named type of this schema, or null when there is none by that name.";
  field.type = schema.find_type("__Type");
  InputValue name;
  name.name = "name";
  name.type = schema.non_null_of(schema.find_type("String"));
  field.arguments.push_back(std::move(name));
  field.resolver = [](const Json&, const Json& arguments, const ResolveInfo& info) -> FieldResult {
    return type_handle(info.schema->find_type(arguments.at("name").get<std::string>()));
  };
  return field;
}

}  // namespace surplus::graphql::detail
