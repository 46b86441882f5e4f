#pragma once

#include <string_view>

#include <surplus/graphql/schema.hpp>

// Section 4 Introspection: the __Schema, __Type, __Field, __InputValue, __EnumValue,
// __Directive, __TypeKind and __DirectiveLocation types, their resolvers, and the
// `__schema` and `__type` meta fields of the query type.
namespace surplus::graphql::detail {

// The introspection types as SDL (section 4.2), which the schema builder adds to every
// schema before the types of the user's SDL.
std::string_view introspection_sdl();

bool is_introspection_type(std::string_view name);

// Sets the resolvers of every field of the introspection types. Their values are opaque
// handles to the schema's own objects, which only these resolvers create and read.
void attach_introspection_resolvers(Schema& schema);

// The `__schema: __Schema!` and `__type(name: String!): __Type` meta fields.
Field make_schema_meta_field(const Schema& schema);
Field make_type_meta_field(const Schema& schema);

}  // namespace surplus::graphql::detail
