#pragma once

#include <any>
#include <optional>
#include <string>
#include <vector>

#include <surplus/graphql/ast.hpp>
#include <surplus/graphql/error.hpp>
#include <surplus/graphql/schema.hpp>

namespace surplus::graphql {

struct ExecutionRequest {
  const Schema* schema = nullptr;
  const ast::Document* document = nullptr;
  // Empty selects the only operation of the document.
  std::string operation_name;
  // Raw variable values as sent by the client; an object or null.
  Json variables = Json::object();
  Json root_value = Json::object();
  std::any context;
};

// A response (section 7.1). `data` is absent when the request failed before execution
// began: a syntax, validation or variable coercion error.
struct ExecutionResult {
  std::optional<Json> data;
  std::vector<GraphQLError> errors;

  // Members in the order graphql-js prints them: errors, then data. The rvalue overload
  // moves `data` instead of copying it.
  Json to_json() const&;
  Json to_json() &&;
};

// Executes an already validated document (section 6): selects the operation, coerces the
// variables, resolves the fields and completes their values. A subscription operation is
// executed once with `root_value` as the event (section 6.2.3 ExecuteSubscriptionEvent),
// which is also what graphql-js `execute` does with one.
ExecutionResult execute(const ExecutionRequest& request);

}  // namespace surplus::graphql
