#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <surplus/graphql/executor.hpp>
#include <surplus/graphql/source_stream.hpp>

namespace surplus::graphql {

namespace detail {
struct ResponseStreamState;
}  // namespace detail

// The response stream of a subscription (section 6.2.3.2 MapSourceToResponseEvent): each
// source event is executed as ExecuteSubscriptionEvent, with the event as the root value.
// An error while executing one event is part of that event's response and does not end the
// stream. Destroying the stream closes its source.
class ResponseStream {
 public:
  explicit ResponseStream(std::shared_ptr<detail::ResponseStreamState> state);
  ResponseStream(ResponseStream&&) noexcept = default;
  ResponseStream& operator=(ResponseStream&&) noexcept = default;
  ~ResponseStream();

  // Waits for the next source event and calls `on_response` once with the response to it,
  // or with std::nullopt when the source stream has ended. The call comes on the thread
  // that delivered the event or completed the last Future of its execution. Request one
  // response at a time.
  // NOTE: when the source has events queued, `on_response` runs before next() returns. A
  // consumer that calls next() again from inside `on_response` then recurses once per
  // queued event, so post that call to an event loop when the queue may be long.
  void next(std::function<void(std::optional<ExecutionResult> response)> on_response);
  // Blocks until the next response; std::nullopt when the source stream has ended.
  std::optional<ExecutionResult> next();
  // Closes the source stream; next() then returns std::nullopt.
  void close();

 private:
  std::shared_ptr<detail::ResponseStreamState> state_;
};

// The outcome of subscribe(): a response stream, or the errors that kept it from starting.
struct Subscription {
  std::optional<ResponseStream> stream;
  // Request errors (no operation, invalid variables, not exactly one root field) and the
  // field error of a failed SubscribeResolver, as a response without `data`. Empty when
  // `stream` is set.
  ExecutionResult result;
};

// Section 6.2.3 Subscribe: selects the subscription operation of an already validated
// document, coerces the variables, calls the SubscribeResolver of its single root field
// (Schema::set_subscribe_resolver) and returns the response stream. The schema and document
// that `request` points to must outlive the stream; `root_value` is passed to the
// SubscribeResolver.
Subscription subscribe(ExecutionRequest request);

}  // namespace surplus::graphql
