#pragma once

#include <string>

#include <surplus/graphql/ast.hpp>

// Checks on a parsed request document that both transports, HTTP and WebSocket, make before
// executing it.
namespace surplus::gateway {

// The operation that execution will run, or nullptr when the document does not name one
// unambiguously (validation or execution then reports it).
const graphql::ast::OperationDefinition* selected_operation(const graphql::ast::Document& document,
                                                            const std::string& name);

// Returns true when the document selects __schema or __type anywhere.
bool uses_introspection(const graphql::ast::Document& document);

}  // namespace surplus::gateway
