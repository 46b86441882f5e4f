#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

// Syntax tree of a GraphQL document (GraphQL specification, October 2021, section 2 for
// executable definitions and section 3 for the type system). Nodes own their children by
// value, so a Document can be moved but a subtree never outlives it.
namespace surplus::graphql::ast {

// 1-based line and column, as in the `locations` member of a response error. The column
// counts UTF-16 code units, as graphql-js does.
struct Location {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// Section 2.9.
enum class ValueKind { kVariable, kInt, kFloat, kString, kBoolean, kNull, kEnum, kList, kObject };

struct ObjectField;

struct Value {
  ValueKind kind = ValueKind::kNull;
  Location location;
  // Variable name, number lexeme, decoded string contents or enum name.
  std::string text;
  bool boolean = false;
  // True for a block string (`"""..."""`); two literals that differ only here are still
  // different arguments for field merging (section 5.3.2).
  bool block = false;
  std::vector<Value> items;
  std::vector<ObjectField> fields;
};

struct ObjectField {
  std::string name;
  Location location;
  Value value;
};

// Section 2.11: a named, list or non-null type reference.
struct TypeRef {
  enum class Kind { kNamed, kList, kNonNull };
  Kind kind = Kind::kNamed;
  std::string name;
  std::shared_ptr<const TypeRef> of_type;
  Location location;
};
using TypeRefPtr = std::shared_ptr<const TypeRef>;

struct Argument {
  std::string name;
  Location location;
  Value value;
};

// Section 2.12.
struct Directive {
  std::string name;
  Location location;
  std::vector<Argument> arguments;
};

// Section 2.4 to 2.8: one struct for the three kinds of selection keeps traversal code short.
struct Selection {
  enum class Kind { kField, kFragmentSpread, kInlineFragment };
  Kind kind = Kind::kField;
  Location location;
  std::string alias;           // empty when the field has no alias
  std::string name;            // field name or fragment name
  std::string type_condition;  // inline fragment only, empty when absent
  std::vector<Argument> arguments;
  std::vector<Directive> directives;
  std::vector<Selection> selections;
  bool has_selection_set = false;
  // Fragment name of a spread, or type condition of an inline fragment.
  Location name_location;
  Location selection_set_location;

  const std::string& response_key() const { return alias.empty() ? name : alias; }
};

enum class OperationType { kQuery, kMutation, kSubscription };

// Section 2.10.
struct VariableDefinition {
  std::string description;
  std::string name;
  Location location;
  // Position of the name after `$`.
  Location name_location;
  TypeRefPtr type;
  std::optional<Value> default_value;
  std::vector<Directive> directives;
};

// Section 2.3. Descriptions on operations, fragments and variables come from the
// September 2025 edition; graphql-js 16.15 accepts them.
struct OperationDefinition {
  OperationType operation = OperationType::kQuery;
  std::string description;
  std::string name;  // empty for an anonymous operation
  Location location;
  Location name_location;
  std::vector<VariableDefinition> variables;
  std::vector<Directive> directives;
  std::vector<Selection> selections;
};

// Section 2.8.
struct FragmentDefinition {
  std::string description;
  std::string name;
  Location location;
  Location name_location;
  std::string type_condition;
  Location type_condition_location;
  std::vector<Directive> directives;
  std::vector<Selection> selections;
};

// Section 3.10: arguments and input object fields.
struct InputValueDefinition {
  std::string description;
  std::string name;
  Location location;
  TypeRefPtr type;
  std::optional<Value> default_value;
  std::vector<Directive> directives;
};

// Section 3.6.
struct FieldDefinition {
  std::string description;
  std::string name;
  Location location;
  std::vector<InputValueDefinition> arguments;
  TypeRefPtr type;
  std::vector<Directive> directives;
};

// Section 3.9.
struct EnumValueDefinition {
  std::string description;
  std::string name;
  Location location;
  std::vector<Directive> directives;
};

struct NamedTypeRef {
  std::string name;
  Location location;
};

// Sections 3.5 to 3.10 and their extensions (3.4.3).
struct TypeDefinition {
  enum class Kind { kScalar, kObject, kInterface, kUnion, kEnum, kInputObject };
  Kind kind = Kind::kScalar;
  bool is_extension = false;
  std::string description;
  std::string name;
  Location location;
  std::vector<NamedTypeRef> interfaces;
  std::vector<Directive> directives;
  std::vector<FieldDefinition> fields;
  std::vector<NamedTypeRef> members;
  std::vector<EnumValueDefinition> values;
  std::vector<InputValueDefinition> input_fields;
};

struct RootOperationType {
  OperationType operation = OperationType::kQuery;
  NamedTypeRef type;
};

// Section 3.3 and its extension (3.3.2).
struct SchemaDefinition {
  bool is_extension = false;
  std::string description;
  Location location;
  std::vector<Directive> directives;
  std::vector<RootOperationType> operation_types;
};

// Section 3.13.
struct DirectiveDefinition {
  std::string description;
  std::string name;
  Location location;
  std::vector<InputValueDefinition> arguments;
  bool repeatable = false;
  std::vector<NamedTypeRef> locations;
};

using Definition = std::variant<OperationDefinition, FragmentDefinition, TypeDefinition,
                                SchemaDefinition, DirectiveDefinition>;

struct Document {
  std::vector<Definition> definitions;
};

}  // namespace surplus::graphql::ast
