#pragma once

#include <optional>
#include <string>
#include <vector>

#include <surplus/graphql/error.hpp>
#include <surplus/graphql/schema.hpp>

namespace surplus::graphql::detail {

// Thrown by coercion with a message for the client; the caller adds location and path.
struct CoercionError {
  std::string message;
  ast::Location location;
};

// Resolves a type reference of a document against the schema; nullptr for unknown names.
const Type* type_from_ast(const Schema& schema, const ast::TypeRef& reference);

// Coerces a literal to `type`, substituting coerced variables (graphql-js valueFromAST).
// Returns nullopt for an invalid literal or a variable without a value where one is needed.
std::optional<Json> value_from_ast(const ast::Value& literal, const Type* type,
                                   const Json& variables);

// Section 6.1.2 CoerceVariableValues. Returns the coerced values or appends one error per
// problem, up to 50 errors and one that says the limit was reached.
Json coerce_variable_values(const Schema& schema, const ast::OperationDefinition& operation,
                            const Json& inputs, std::vector<GraphQLError>& errors);

// Section 6.4.1 CoerceArgumentValues. Throws CoercionError.
Json coerce_argument_values(const std::vector<InputValue>& definitions,
                            const std::vector<ast::Argument>& arguments, ast::Location location,
                            const Json& variables);

}  // namespace surplus::graphql::detail
