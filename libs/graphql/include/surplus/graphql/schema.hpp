#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/graphql/ast.hpp>
#include <surplus/graphql/resolver.hpp>
#include <surplus/graphql/source_stream.hpp>

namespace surplus::graphql {

// Section 3.6.1 arguments and 3.10 input fields.
struct InputValue {
  std::string name;
  std::string description;
  const Type* type = nullptr;
  std::optional<ast::Value> default_value;
  std::optional<std::string> deprecation_reason;
  ast::Location location;
};

// Section 3.6 field of an object or interface type. Without a resolver the executor reads
// the member named like the field from the parent JSON object.
struct Field {
  std::string name;
  std::string description;
  std::vector<InputValue> arguments;
  const Type* type = nullptr;
  std::optional<std::string> deprecation_reason;
  Resolver resolver;
  // Only on fields of the subscription root type; see subscribe().
  SubscribeResolver subscribe;
  ast::Location location;

  const InputValue* find_argument(std::string_view argument_name) const;
};

struct EnumValue {
  std::string name;
  std::string description;
  std::optional<std::string> deprecation_reason;
};

// Section 4.2.1 __TypeKind; list and non-null are wrappers around `of_type`.
enum class TypeKind { kScalar, kObject, kInterface, kUnion, kEnum, kInputObject, kList, kNonNull };

// Conversion hooks of a scalar (section 3.5). Each throws std::invalid_argument with a
// message for the client when the value does not fit the scalar.
struct ScalarHooks {
  // Result coercion: resolver value to response value.
  std::function<Json(const Json&)> serialize;
  // Input coercion of a variable value (JSON).
  std::function<Json(const Json&)> parse_value;
  // Input coercion of a literal; variables inside a literal are already substituted.
  std::function<Json(const ast::Value&, const Json& variables)> parse_literal;
};

// A named type or a list or non-null wrapper. Types are owned by their Schema and compared
// by address.
struct Type {
  TypeKind kind = TypeKind::kScalar;
  std::string name;  // empty for wrappers
  std::string description;
  const Type* of_type = nullptr;
  std::vector<Field> fields;
  std::vector<const Type*> interfaces;
  std::vector<const Type*> possible_types;  // union members, or implementations
  std::vector<EnumValue> enum_values;
  std::vector<InputValue> input_fields;
  std::optional<std::string> specified_by_url;
  bool one_of = false;
  ScalarHooks scalar;
  ast::Location location;

  const Field* find_field(std::string_view field_name) const;
  const InputValue* find_input_field(std::string_view field_name) const;
  const EnumValue* find_enum_value(std::string_view value_name) const;
  // The type inside any list and non-null wrappers.
  const Type* named_type() const {
    const Type* type = this;
    while (type->of_type != nullptr) {
      type = type->of_type;
    }
    return type;
  }
  bool is_abstract() const { return kind == TypeKind::kInterface || kind == TypeKind::kUnion; }
  bool is_leaf() const { return kind == TypeKind::kScalar || kind == TypeKind::kEnum; }
  bool is_composite() const {
    return kind == TypeKind::kObject || kind == TypeKind::kInterface || kind == TypeKind::kUnion;
  }
  bool is_input_type() const {
    const TypeKind named_kind = named_type()->kind;
    return named_kind == TypeKind::kScalar || named_kind == TypeKind::kEnum ||
           named_kind == TypeKind::kInputObject;
  }
  bool is_output_type() const { return named_type()->kind != TypeKind::kInputObject; }
  // Prints the reference the way SDL writes it: `[Int!]!`.
  std::string to_string() const;
};

// Section 3.13.
struct DirectiveType {
  std::string name;
  std::string description;
  std::vector<InputValue> arguments;
  std::vector<std::string> locations;
  bool repeatable = false;

  const InputValue* find_argument(std::string_view argument_name) const;
};

// An SDL document that cannot become a valid schema. `errors()` lists every problem found,
// each naming the type and field.
class SchemaError : public std::runtime_error {
 public:
  explicit SchemaError(std::vector<std::string> errors);
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

class Schema {
 public:
  Schema();
  ~Schema();
  Schema(Schema&&) noexcept;
  Schema& operator=(Schema&&) noexcept;

  const Type* find_type(std::string_view name) const;
  Type* find_type(std::string_view name);
  const DirectiveType* find_directive(std::string_view name) const;
  const Type* query_type() const { return query_; }
  const Type* mutation_type() const { return mutation_; }
  const Type* subscription_type() const { return subscription_; }
  const std::vector<const Type*>& types() const { return type_order_; }
  const std::vector<std::unique_ptr<DirectiveType>>& directives() const { return directives_; }
  const std::string& description() const { return description_; }

  // The definition of field `name` of `parent` as validation and execution see it: a field
  // of an object or interface type, or a meta field of section 4.1 and 4.2 (`__typename` on
  // every composite type; `__schema` and `__type` on the query type). nullptr when absent.
  const Field* field_definition(const Type* parent, std::string_view name) const;

  // Returns true when `maybe_subtype` is `super_type` or one of its possible types.
  bool is_sub_type(const Type* super_type, const Type* maybe_subtype) const;
  bool is_possible_type(const Type* abstract_type, const Type* object_type) const;

  // Wrappers are interned, so equal references compare equal by address. Interning is
  // guarded by a mutex, so concurrent validations and executions may share one schema.
  const Type* list_of(const Type* type) const;
  const Type* non_null_of(const Type* type) const;

  // Sets the resolver of `type_name.field_name`; throws std::out_of_range when absent.
  void set_resolver(std::string_view type_name, std::string_view field_name, Resolver resolver);
  // Sets the function that creates the source stream of a subscription root field; throws
  // std::out_of_range when the field is absent.
  void set_subscribe_resolver(std::string_view type_name, std::string_view field_name,
                              SubscribeResolver resolver);
  // Replaces the hooks of a custom scalar; throws std::out_of_range when absent.
  void set_scalar_hooks(std::string_view scalar_name, ScalarHooks hooks);

 private:
  friend class SchemaBuilder;

  Type* add_type(std::unique_ptr<Type> type);

  // Type names are short, so a byte-wise hash and comparison defined in schema.cpp cost
  // less there than std::hash and memcmp.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const;
  };
  struct NameEqual {
    using is_transparent = void;
    bool operator()(std::string_view left, std::string_view right) const;
  };
  std::unordered_map<std::string, std::unique_ptr<Type>, NameHash, NameEqual> named_;
  std::vector<const Type*> type_order_;
  mutable std::map<const Type*, std::unique_ptr<Type>> lists_;
  mutable std::map<const Type*, std::unique_ptr<Type>> non_nulls_;
  // Guards lists_ and non_nulls_; behind a pointer so that Schema stays movable.
  std::unique_ptr<std::mutex> wrappers_mutex_ = std::make_unique<std::mutex>();
  std::vector<std::unique_ptr<DirectiveType>> directives_;
  const Type* query_ = nullptr;
  const Type* mutation_ = nullptr;
  const Type* subscription_ = nullptr;
  std::string description_;
  Field typename_field_;
  Field schema_field_;
  Field type_field_;
};

// Builds a schema from SDL, like graphql-js `buildSchema`: adds the built-in scalars and
// directives, merges extensions, and validates the result (section 3 type validation).
// Throws SyntaxError for a document that does not parse and SchemaError for an invalid
// schema.
Schema build_schema(std::string_view sdl);

}  // namespace surplus::graphql
