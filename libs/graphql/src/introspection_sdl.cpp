#include "introspection.hpp"

namespace surplus::graphql::detail {

// Field order follows section 4.2, because introspection results list fields in definition
// order. Like graphql-js 16.15, it adds the deprecation of directives, which is not in the
// specification yet: __Schema.directives(includeDeprecated:), __Directive.isDeprecated and
// deprecationReason, and the DIRECTIVE_DEFINITION location. The descriptions are our own.
std::string_view introspection_sdl() {
  return R"graphql(
"The capabilities of this GraphQL service: every type and directive it defines and the root type of each operation."
type __Schema {
  description: String
  "Every named type of the schema, including built-in scalars it uses and the introspection types."
  types: [__Type!]!
  "The root type of query operations."
  queryType: __Type!
  "The root type of mutation operations, or null when the service has none."
  mutationType: __Type
  "The root type of subscription operations, or null when the service has none."
  subscriptionType: __Type
  "Every directive the schema defines; deprecated ones only when includeDeprecated is true."
  directives(includeDeprecated: Boolean! = false): [__Directive!]!
}

"A type of the schema. Named types have a name and kind-specific members; LIST and NON_NULL wrap the type in ofType."
type __Type {
  kind: __TypeKind!
  name: String
  description: String
  specifiedByURL: String
  fields(includeDeprecated: Boolean = false): [__Field!]
  interfaces: [__Type!]
  possibleTypes: [__Type!]
  enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
  inputFields(includeDeprecated: Boolean = false): [__InputValue!]
  ofType: __Type
  isOneOf: Boolean
}

"The kind of a __Type, which decides which of its members apply."
enum __TypeKind {
  "A leaf value such as Int, String or a custom scalar."
  SCALAR
  "An object type with fields, which may implement interfaces."
  OBJECT
  "An abstract type whose implementations are listed in possibleTypes."
  INTERFACE
  "An abstract type whose member object types are listed in possibleTypes."
  UNION
  "A leaf whose values are listed in enumValues."
  ENUM
  "A structured input value whose fields are listed in inputFields."
  INPUT_OBJECT
  "A list of values of the type in ofType."
  LIST
  "The type in ofType, without null."
  NON_NULL
}

"A field of an object or interface type."
type __Field {
  name: String!
  description: String
  args(includeDeprecated: Boolean = false): [__InputValue!]!
  type: __Type!
  isDeprecated: Boolean!
  deprecationReason: String
}

"An argument of a field or directive, or a field of an input object type."
type __InputValue {
  name: String!
  description: String
  type: __Type!
  "The default value as GraphQL source text, or null when there is none."
  defaultValue: String
  isDeprecated: Boolean!
  deprecationReason: String
}

"A value of an enum type."
type __EnumValue {
  name: String!
  description: String
  isDeprecated: Boolean!
  deprecationReason: String
}

"A directive the schema defines, with the places it may be used."
type __Directive {
  name: String!
  description: String
  isRepeatable: Boolean!
  locations: [__DirectiveLocation!]!
  args(includeDeprecated: Boolean = false): [__InputValue!]!
  isDeprecated: Boolean!
  deprecationReason: String
}

"A place in a document or a schema where a directive may appear."
enum __DirectiveLocation {
  "On a query operation."
  QUERY
  "On a mutation operation."
  MUTATION
  "On a subscription operation."
  SUBSCRIPTION
  "On a field selection."
  FIELD
  "On a fragment definition."
  FRAGMENT_DEFINITION
  "On a fragment spread."
  FRAGMENT_SPREAD
  "On an inline fragment."
  INLINE_FRAGMENT
  "On a variable definition."
  VARIABLE_DEFINITION
  "On the schema definition."
  SCHEMA
  "On a scalar definition."
  SCALAR
  "On an object type definition."
  OBJECT
  "On a field definition."
  FIELD_DEFINITION
  "On an argument definition."
  ARGUMENT_DEFINITION
  "On an interface definition."
  INTERFACE
  "On a union definition."
  UNION
  "On an enum definition."
  ENUM
  "On an enum value definition."
  ENUM_VALUE
  "On an input object type definition."
  INPUT_OBJECT
  "On an input object field definition."
  INPUT_FIELD_DEFINITION
  "On a directive definition."
  DIRECTIVE_DEFINITION
}
)graphql";
}

}  // namespace surplus::graphql::detail
