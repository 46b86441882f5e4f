#include <memory>
#include <optional>
#include <utility>

#include <surplus/graphql/executor.hpp>

#include "execution.hpp"
#include "values.hpp"

// Section 6.1 and 7.1: running a request and printing its response.
namespace surplus::graphql {
namespace detail {

const ast::OperationDefinition* select_operation(const ExecutionRequest& request,
                                                 std::vector<GraphQLError>& errors) {
  const ast::OperationDefinition* selected = nullptr;
  std::size_t count = 0;
  for (const auto& definition : request.document->definitions) {
    const auto* operation = std::get_if<ast::OperationDefinition>(&definition);
    if (operation == nullptr) {
      continue;
    }
    ++count;
    if (request.operation_name.empty() ? selected == nullptr
                                       : operation->name == request.operation_name) {
      selected = operation;
    }
  }
  if (!request.operation_name.empty() && selected == nullptr) {
    errors.push_back({"Unknown operation named \"" + request.operation_name + "\".", {}, {}, {}});
  } else if (request.operation_name.empty() && count > 1) {
    errors.push_back(
        {"Must provide operation name if query contains multiple operations.", {}, {}, {}});
    return nullptr;
  } else if (count == 0) {
    errors.push_back({"Must provide an operation.", {}, {}, {}});
  }
  return selected;
}

const Type* root_type_of(const Schema& schema, const ast::OperationDefinition& operation) {
  switch (operation.operation) {
    case ast::OperationType::kQuery:
      return schema.query_type();
    case ast::OperationType::kMutation:
      return schema.mutation_type();
    default:
      return schema.subscription_type();
  }
}

}  // namespace detail

namespace {

Json path_to_json(const std::vector<PathElement>& path) {
  Json json = Json::array();
  for (const auto& element : path) {
    if (const auto* key = std::get_if<std::string>(&element)) {
      json.push_back(*key);
    } else {
      json.push_back(std::get<std::size_t>(element));
    }
  }
  return json;
}

struct PreparedOperation {
  const ast::OperationDefinition* operation;
  const Type* root_type;
  Json variables;
};

// Selects the operation and coerces the variables (section 6.1). Returns nullopt with the
// request errors in `result` when execution cannot begin.
std::optional<PreparedOperation> prepare(const ExecutionRequest& request, ExecutionResult& result) {
  const ast::OperationDefinition* operation = detail::select_operation(request, result.errors);
  if (operation == nullptr || !result.errors.empty()) {
    return std::nullopt;
  }
  const Schema& schema = *request.schema;
  Json variables =
      detail::coerce_variable_values(schema, *operation, request.variables, result.errors);
  if (!result.errors.empty()) {
    return std::nullopt;
  }
  const Type* root_type = detail::root_type_of(schema, *operation);
  if (root_type == nullptr) {
    result.data = nullptr;
    result.errors.push_back({"Schema is not configured to execute this operation.",
                             {operation->location},
                             std::nullopt,
                             Json::object()});
    return std::nullopt;
  }
  return PreparedOperation{operation, root_type, std::move(variables)};
}

// An execute_async call in progress. Callbacks of the Futures it waits for keep it alive.
struct AsyncExecution {
  explicit AsyncExecution(ExecutionRequest execution_request,
                          std::function<void(ExecutionResult)> callback)
      : request(std::move(execution_request)), on_complete(std::move(callback)) {}

  ExecutionRequest request;
  std::function<void(ExecutionResult)> on_complete;
  std::optional<detail::Executor> executor;
};

void resume(const std::shared_ptr<AsyncExecution>& execution) {
  ExecutionResult result;
  try {
    detail::Executor& executor = *execution->executor;
    while (!executor.run()) {
      if (executor.waiting_for().on_ready_later([execution] { resume(execution); })) {
        return;
      }
    }
    result = executor.take_result();
  } catch (const std::exception& error) {
    // Only exceptions that no field catches get here, such as std::bad_alloc.
    result = ExecutionResult{};
    result.errors.push_back({std::string("Execution failed: ") + error.what(), {}, {}, {}});
  }
  const auto on_complete = std::move(execution->on_complete);
  on_complete(std::move(result));
}

}  // namespace

Json GraphQLError::to_json() const {
  Json json = Json::object();
  json["message"] = message;
  if (!locations.empty()) {
    Json list = Json::array();
    for (const auto& location : locations) {
      list.push_back(Json{{"line", location.line}, {"column", location.column}});
    }
    json["locations"] = std::move(list);
  }
  if (path) {
    json["path"] = path_to_json(*path);
  }
  if (extensions.is_object() && !extensions.empty()) {
    json["extensions"] = extensions;
  }
  return json;
}

Json ExecutionResult::to_json() const& {
  return ExecutionResult(*this).to_json();
}

Json ExecutionResult::to_json() && {
  Json json = Json::object();
  if (!errors.empty()) {
    Json list = Json::array();
    for (const auto& error : errors) {
      list.push_back(error.to_json());
    }
    json["errors"] = std::move(list);
  }
  if (data) {
    json["data"] = std::move(*data);
  }
  return json;
}

ExecutionResult execute(const ExecutionRequest& request) {
  ExecutionResult result;
  std::optional<PreparedOperation> prepared = prepare(request, result);
  if (!prepared) {
    return result;
  }
  detail::Executor executor(request, std::move(prepared->variables));
  executor.begin(prepared->root_type, *prepared->operation);
  while (!executor.run()) {
    executor.waiting_for().wait();
  }
  return executor.take_result();
}

void execute_async(ExecutionRequest request, std::function<void(ExecutionResult)> on_complete) {
  auto execution = std::make_shared<AsyncExecution>(std::move(request), std::move(on_complete));
  ExecutionResult result;
  std::optional<PreparedOperation> prepared = prepare(execution->request, result);
  if (!prepared) {
    const auto callback = std::move(execution->on_complete);
    callback(std::move(result));
    return;
  }
  execution->executor.emplace(execution->request, std::move(prepared->variables));
  execution->executor->begin(prepared->root_type, *prepared->operation);
  resume(execution);
}

}  // namespace surplus::graphql
