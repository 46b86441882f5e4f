#include <algorithm>
#include <cstdint>

#include <surplus/graphql/schema.hpp>

#include "same_name.hpp"

namespace surplus::graphql {
namespace {

template <typename Item>
const Item* find_by_name(const std::vector<Item>& items, std::string_view name) {
  const auto found = std::find_if(items.begin(), items.end(), [&](const Item& item) {
    return detail::same_name(item.name, name);
  });
  return found == items.end() ? nullptr : &*found;
}

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) {
    if (!text.empty()) {
      text += '\n';
    }
    text += line;
  }
  return text;
}

}  // namespace

const InputValue* Field::find_argument(std::string_view argument_name) const {
  return find_by_name(arguments, argument_name);
}

const InputValue* DirectiveType::find_argument(std::string_view argument_name) const {
  return find_by_name(arguments, argument_name);
}

const Field* Type::find_field(std::string_view field_name) const {
  return find_by_name(fields, field_name);
}

const InputValue* Type::find_input_field(std::string_view field_name) const {
  return find_by_name(input_fields, field_name);
}

const EnumValue* Type::find_enum_value(std::string_view value_name) const {
  return find_by_name(enum_values, value_name);
}

std::string Type::to_string() const {
  switch (kind) {
    case TypeKind::kList:
      return std::string("[").append(of_type->to_string()).append("]");
    case TypeKind::kNonNull:
      return of_type->to_string() + "!";
    default:
      return name;
  }
}

SchemaError::SchemaError(std::vector<std::string> errors)
    : std::runtime_error(join(errors)), errors_(std::move(errors)) {}

Schema::Schema() = default;
Schema::~Schema() = default;
Schema::Schema(Schema&&) noexcept = default;
Schema& Schema::operator=(Schema&&) noexcept = default;

// 64-bit FNV-1a.
std::size_t Schema::NameHash::operator()(std::string_view name) const {
  std::uint64_t hash = 0xcbf29ce484222325;
  for (const char c : name) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3;
  }
  return static_cast<std::size_t>(hash);
}

bool Schema::NameEqual::operator()(std::string_view left, std::string_view right) const {
  return detail::same_name(left, right);
}

const Type* Schema::find_type(std::string_view name) const {
  const auto found = named_.find(name);
  return found == named_.end() ? nullptr : found->second.get();
}

Type* Schema::find_type(std::string_view name) {
  const auto found = named_.find(name);
  return found == named_.end() ? nullptr : found->second.get();
}

const DirectiveType* Schema::find_directive(std::string_view name) const {
  for (const auto& directive : directives_) {
    if (directive->name == name) {
      return directive.get();
    }
  }
  return nullptr;
}

Type* Schema::add_type(std::unique_ptr<Type> type) {
  Type* added = type.get();
  type_order_.push_back(added);
  named_[type->name] = std::move(type);
  return added;
}

const Field* Schema::field_definition(const Type* parent, std::string_view name) const {
  // Names that start with "__" are reserved for introspection (section 3.4.1).
  if (name.starts_with("__")) {
    if (name == "__typename" && parent->is_composite()) {
      return &typename_field_;
    }
    if (parent == query_ && name == "__schema") {
      return &schema_field_;
    }
    if (parent == query_ && name == "__type") {
      return &type_field_;
    }
  }
  if (parent->kind == TypeKind::kObject || parent->kind == TypeKind::kInterface) {
    return parent->find_field(name);
  }
  return nullptr;
}

bool Schema::is_possible_type(const Type* abstract_type, const Type* object_type) const {
  const auto& possible = abstract_type->possible_types;
  return std::find(possible.begin(), possible.end(), object_type) != possible.end();
}

// Section 3.6 IsValidImplementationFieldType relies on this subtype relation.
bool Schema::is_sub_type(const Type* super_type, const Type* maybe_subtype) const {
  if (super_type == maybe_subtype) {
    return true;
  }
  if (super_type->kind == TypeKind::kUnion) {
    return is_possible_type(super_type, maybe_subtype);
  }
  if (super_type->kind == TypeKind::kInterface) {
    const auto& interfaces = maybe_subtype->interfaces;
    return std::find(interfaces.begin(), interfaces.end(), super_type) != interfaces.end();
  }
  return false;
}

const Type* Schema::list_of(const Type* type) const {
  const std::lock_guard lock(*wrappers_mutex_);
  auto& slot = lists_[type];
  if (!slot) {
    slot = std::make_unique<Type>();
    slot->kind = TypeKind::kList;
    slot->of_type = type;
  }
  return slot.get();
}

const Type* Schema::non_null_of(const Type* type) const {
  const std::lock_guard lock(*wrappers_mutex_);
  auto& slot = non_nulls_[type];
  if (!slot) {
    slot = std::make_unique<Type>();
    slot->kind = TypeKind::kNonNull;
    slot->of_type = type;
  }
  return slot.get();
}

namespace {

Field& find_field(Schema& schema, std::string_view type_name, std::string_view field_name) {
  Type* type = schema.find_type(type_name);
  if (type == nullptr) {
    throw std::out_of_range("type \"" + std::string(type_name) + "\" is not in the schema");
  }
  for (auto& field : type->fields) {
    if (field.name == field_name) {
      return field;
    }
  }
  throw std::out_of_range("field \"" + std::string(type_name) + "." + std::string(field_name) +
                          "\" is not in the schema");
}

}  // namespace

void Schema::set_resolver(std::string_view type_name, std::string_view field_name,
                          Resolver resolver) {
  find_field(*this, type_name, field_name).resolver = std::move(resolver);
}

void Schema::set_subscribe_resolver(std::string_view type_name, std::string_view field_name,
                                    SubscribeResolver resolver) {
  find_field(*this, type_name, field_name).subscribe = std::move(resolver);
}

void Schema::set_scalar_hooks(std::string_view scalar_name, ScalarHooks hooks) {
  Type* type = find_type(scalar_name);
  if (type == nullptr || type->kind != TypeKind::kScalar) {
    throw std::out_of_range("scalar \"" + std::string(scalar_name) + "\" is not in the schema");
  }
  type->scalar = std::move(hooks);
}

}  // namespace surplus::graphql
