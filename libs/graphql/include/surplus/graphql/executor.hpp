#pragma once

#include <any>
#include <functional>
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
//
// Resolvers may return results that are not ready (see FieldResult): execute() then blocks
// the calling thread until each Future it needs is complete, so their work must run on
// other threads. Use execute_async on a thread that must not block, such as an event loop.
ExecutionResult execute(const ExecutionRequest& request);

// Like execute(), but never waits: when a Future it needs is not ready, it returns and
// continues on the thread that completes that Future. `on_complete` is called exactly once,
// on this thread when nothing had to wait, otherwise on the thread that completed the last
// Future. The schema and document that `request` points to must stay alive until then; the
// rest of the request is moved into the execution.
void execute_async(ExecutionRequest request, std::function<void(ExecutionResult)> on_complete);

}  // namespace surplus::graphql
