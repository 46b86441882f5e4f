#include <condition_variable>
#include <mutex>
#include <utility>

#include <surplus/graphql/subscription.hpp>

#include "collect_fields.hpp"
#include "execution.hpp"
#include "values.hpp"

// Section 6.2.3: subscriptions, independent of any transport.
namespace surplus::graphql {
namespace detail {

struct ResponseStreamState {
  ExecutionRequest request;
  std::shared_ptr<SourceStream> source;
};

}  // namespace detail

namespace {

GraphQLError request_error(std::string message, ast::Location location) {
  return {std::move(message), {location}, std::nullopt, Json::object()};
}

GraphQLError field_error(std::string message, const detail::FieldGroup& group,
                         std::vector<PathElement> path) {
  GraphQLError error{std::move(message), {}, std::move(path), Json::object()};
  for (const auto* node : group.nodes) {
    error.locations.push_back(node->location);
  }
  return error;
}

// Section 6.2.3.1 CreateSourceEventStream, after the operation and variables are known.
// Returns the source stream or appends the error that prevented it.
std::shared_ptr<SourceStream> create_source_stream(const ExecutionRequest& request,
                                                   const ast::OperationDefinition& operation,
                                                   const Json& variables,
                                                   std::vector<GraphQLError>& errors) {
  const Schema& schema = *request.schema;
  const Type* root_type = schema.subscription_type();
  if (root_type == nullptr) {
    errors.push_back(request_error("Schema is not configured to execute subscription operation.",
                                   operation.location));
    return nullptr;
  }
  const detail::FragmentMap fragments(*request.document);
  detail::FieldGroups groups;
  detail::VisitedFragments visited;
  detail::collect_fields(schema, root_type, operation.selections, variables, fragments, visited,
                         groups);
  groups.resolve_definitions(schema, root_type);
  // Validation allows one root field, but @skip and @include may leave none.
  if (groups.groups().size() != 1) {
    errors.push_back(request_error(
        "A subscription must select exactly one root field once @skip and @include are "
        "applied, but this one selects " +
            std::to_string(groups.groups().size()) + ".",
        operation.location));
    return nullptr;
  }

  const detail::FieldGroup& group = groups.groups().front();
  const ast::Selection& node = *group.nodes.front();
  const Field* field = group.definition;
  std::vector<PathElement> path{std::string(group.response_key)};
  if (field == nullptr) {
    errors.push_back(
        field_error("The subscription field \"" + node.name + "\" is not defined.", group, {}));
    return nullptr;
  }
  if (!field->subscribe) {
    errors.push_back(field_error("Subscription field \"" + root_type->name + "." + node.name +
                                     "\" has no source stream; attach one with "
                                     "Schema::set_subscribe_resolver.",
                                 group, path));
    return nullptr;
  }
  try {
    const Json arguments =
        detail::coerce_argument_values(field->arguments, node.arguments, node.location, variables);
    const ResolveInfo info{&schema,    root_type,       field, &node, ResponsePath(&path),
                           &variables, &request.context};
    std::shared_ptr<SourceStream> source = field->subscribe(request.root_value, arguments, info);
    if (!source) {
      errors.push_back(field_error("The SubscribeResolver of \"" + root_type->name + "." +
                                       node.name + "\" returned no source stream.",
                                   group, path));
    }
    return source;
  } catch (const detail::CoercionError& error) {
    GraphQLError located = field_error(error.message, group, path);
    located.locations = {error.location};
    errors.push_back(std::move(located));
  } catch (const std::exception& error) {
    errors.push_back(field_error(error.what(), group, path));
  }
  return nullptr;
}

}  // namespace

ResponseStream::ResponseStream(std::shared_ptr<detail::ResponseStreamState> state)
    : state_(std::move(state)) {}

ResponseStream::~ResponseStream() {
  if (state_) {
    state_->source->close();
  }
}

void ResponseStream::next(std::function<void(std::optional<ExecutionResult>)> on_response) {
  state_->source->next(
      [state = state_, on_response = std::move(on_response)](std::optional<Json> event) {
        if (!event) {
          on_response(std::nullopt);
          return;
        }
        // Section 6.2.3.2 ExecuteSubscriptionEvent: the event is the root value.
        ExecutionRequest request = state->request;
        request.root_value = std::move(*event);
        execute_async(std::move(request),
                      [on_response](ExecutionResult result) { on_response(std::move(result)); });
      });
}

std::optional<ExecutionResult> ResponseStream::next() {
  struct Slot {
    std::mutex mutex;
    std::condition_variable done_changed;
    bool done = false;
    std::optional<ExecutionResult> response;
  };
  const auto slot = std::make_shared<Slot>();
  next([slot](std::optional<ExecutionResult> response) {
    {
      const std::lock_guard lock(slot->mutex);
      slot->response = std::move(response);
      slot->done = true;
    }
    slot->done_changed.notify_all();
  });
  std::unique_lock lock(slot->mutex);
  slot->done_changed.wait(lock, [&slot] { return slot->done; });
  return std::move(slot->response);
}

void ResponseStream::close() {
  state_->source->close();
}

Subscription subscribe(ExecutionRequest request) {
  Subscription subscription;
  std::vector<GraphQLError>& errors = subscription.result.errors;
  const ast::OperationDefinition* operation = detail::select_operation(request, errors);
  if (operation == nullptr || !errors.empty()) {
    return subscription;
  }
  if (operation->operation != ast::OperationType::kSubscription) {
    errors.push_back(request_error(
        "subscribe() runs subscription operations only; run queries and mutations with "
        "execute().",
        operation->location));
    return subscription;
  }
  const Json variables =
      detail::coerce_variable_values(*request.schema, *operation, request.variables, errors);
  if (!errors.empty()) {
    return subscription;
  }
  std::shared_ptr<SourceStream> source =
      create_source_stream(request, *operation, variables, errors);
  if (source) {
    subscription.stream.emplace(std::make_shared<detail::ResponseStreamState>(
        detail::ResponseStreamState{std::move(request), std::move(source)}));
  }
  return subscription;
}

}  // namespace surplus::graphql
