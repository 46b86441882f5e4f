#pragma once

#include <string>
#include <vector>

#include <surplus/graphql/schema.hpp>

namespace surplus::graphql::detail {

// Checks the type validation rules of section 3 (root types, fields, interface
// implementations, unions, enums, input objects) and returns one message per problem.
std::vector<std::string> validate_schema(const Schema& schema);

// Section 3.6 IsValidImplementationFieldType and the covariance of list and non-null.
bool is_type_sub_type_of(const Schema& schema, const Type* maybe_subtype, const Type* super_type);

}  // namespace surplus::graphql::detail
