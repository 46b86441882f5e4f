#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include <surplus/graphql/resolver.hpp>

namespace surplus::graphql {

// A source event stream (section 6.2.3.1): the events that a subscription turns into
// responses, such as the messages of a channel. Implementations decide where events come
// from; EventQueue below is one that is fed in-process.
class SourceStream {
 public:
  virtual ~SourceStream() = default;

  // Calls `on_event` exactly once: with the next event, or with std::nullopt when the
  // stream has ended or was closed. It may be called before next() returns or later, from
  // any thread. The caller requests one event at a time.
  virtual void next(std::function<void(std::optional<Json> event)> on_event) = 0;
  // Ends the stream for its consumer: an outstanding next() and every later one receive
  // std::nullopt, and events not yet delivered are dropped.
  virtual void close() = 0;
};

// Creates the source stream of a subscription root field from the root value and the
// coerced arguments (section 6.2.3.1 ResolveFieldEventStream). An exception becomes an
// error of the subscribe() call.
using SubscribeResolver = std::function<std::shared_ptr<SourceStream>(
    const Json& root, const Json& arguments, const ResolveInfo& info)>;

// A thread-safe, bounded queue of events: producers push(), the subscription consumes.
class EventQueue final : public SourceStream {
 public:
  explicit EventQueue(std::size_t capacity = 1024) : capacity_(capacity) {}

  // Queues `event`. Returns false, dropping it, when the queue contains `capacity` events or
  // has ended or was closed; the producer decides whether to retry or give up.
  bool push(Json event);
  // Ends the stream after the events already queued.
  void end();

  void next(std::function<void(std::optional<Json> event)> on_event) override;
  void close() override;

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::deque<Json> events_;
  std::function<void(std::optional<Json>)> waiting_;
  bool ended_ = false;
  bool closed_ = false;
};

}  // namespace surplus::graphql
