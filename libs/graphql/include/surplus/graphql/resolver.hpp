#pragma once

#include <any>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/graphql/ast.hpp>
#include <surplus/graphql/async.hpp>

namespace surplus::graphql {

using Json = nlohmann::ordered_json;

struct Field;
struct Type;
class Schema;

// One element of a response path: a response key or a list index.
using PathElement = std::variant<std::string, std::size_t>;

// The response path of the field being resolved, read like a pointer to the list of its
// elements (`*info.path`, `info.path->size()`). The executor builds the list only when a
// resolver reads it, because most resolvers never do. The list is valid until the resolver
// returns; copy it to keep it longer.
class ResponsePath {
 public:
  // Returns the path list stored or built by `owner`.
  using Build = const std::vector<PathElement>& (*)(void* owner);

  ResponsePath() = default;
  explicit ResponsePath(const std::vector<PathElement>* elements) : elements_(elements) {}
  ResponsePath(Build build, void* owner) : build_(build), owner_(owner) {}

  const std::vector<PathElement>& operator*() const {
    return elements_ != nullptr ? *elements_ : build_(owner_);
  }
  const std::vector<PathElement>* operator->() const { return &**this; }

 private:
  const std::vector<PathElement>* elements_ = nullptr;
  Build build_ = nullptr;
  void* owner_ = nullptr;
};

// Context a resolver receives for one field of one object (section 6.4.2 ResolveFieldValue).
struct ResolveInfo {
  const Schema* schema = nullptr;
  const Type* parent_type = nullptr;
  const Field* field = nullptr;
  const ast::Selection* selection = nullptr;
  ResponsePath path;
  const Json* variables = nullptr;
  // Per-request value of the caller (user, loaders); empty when none was given.
  const std::any* context = nullptr;
};

// What a resolver returns (section 6.4.2 ResolveFieldValue may return a value or a promise
// of one). The executor runs in steps. It first calls every resolver it can reach with the
// values at hand: all fields of all objects, across every item of every list. Then it takes
// up the results that were not ready, level by level. So all keys that one step requests
// from a DataLoader are queued before its batch runs.
//
// - A ready value: `return Json(...)`.
// - `deferred(compute)`: `compute` runs synchronously after every resolver of the step.
// - `deferred_async(start)`: `start` runs after every resolver of the step, before the
//   executor waits for anything, and returns a Future. This is how a loader starts one
//   non-blocking batch call for all keys of the step.
// - `pending(future)`: work that the resolver already started, for example a request to
//   another service whose completion handler completes a Promise.
//
// Every Future of a step is started before the executor waits for any of them, so
// independent query fields and batches run concurrently. A resolver, compute function or
// start function that throws, and a Future completed with an exception, produce a field
// error whose message is `what()`.
class FieldResult {
 public:
  FieldResult(Json value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  static FieldResult deferred(std::function<Json()> compute) {
    FieldResult result{Json()};
    result.deferred_ = std::move(compute);
    return result;
  }
  static FieldResult deferred_async(std::function<Future()> start) {
    FieldResult result{Json()};
    result.start_ = std::move(start);
    return result;
  }
  static FieldResult pending(Future future) {
    FieldResult result{Json()};
    result.future_ = std::move(future);
    return result;
  }

  // True unless the value is ready: deferred, deferred_async and pending results.
  bool is_deferred() const {
    return static_cast<bool>(deferred_) || static_cast<bool>(start_) || future_.valid();
  }

  // Starts the work of a deferred result without waiting for it: runs `compute`, or runs
  // `start` and keeps its Future. The executor calls it for every result of a step before
  // it waits for any; calling it again does nothing.
  void start() {
    if (deferred_) {
      auto compute = std::move(deferred_);
      deferred_ = nullptr;
      future_ = run_deferred(compute);
    } else if (start_) {
      auto start_function = std::move(start_);
      start_ = nullptr;
      future_ = run_start(start_function);
    }
  }
  // The Future that start() left, or an invalid one for a ready value.
  const Future& future() const { return future_; }

  // Starts the work if needed, waits for it, then returns the value without taking it out
  // of the Future. The reference is valid while this result lives. Rethrows the exception
  // of a failed result. For readers that only read the value: a Future shared with a
  // DataLoader's cache would otherwise be copied.
  const Json& view() {
    start();
    return future_.valid() ? future_.get() : value_;
  }
  // Starts the work if needed, waits for it, then returns the value. Rethrows the
  // exception of a failed result. The value is moved out of the Future when no other Future
  // shares it (see Future::take).
  Json& value() {
    start();
    if (future_.valid()) {
      value_ = future_.take();
    }
    return value_;
  }

 private:
  static Future run_deferred(const std::function<Json()>& compute) {
    try {
      return make_ready_future(compute());
    } catch (...) {
      return make_exceptional_future(std::current_exception());
    }
  }
  static Future run_start(const std::function<Future()>& start_function) {
    try {
      Future future = start_function();
      if (!future.valid()) {
        throw std::logic_error("a deferred_async start function returned an invalid Future");
      }
      return future;
    } catch (...) {
      return make_exceptional_future(std::current_exception());
    }
  }

  Json value_;
  std::function<Json()> deferred_;
  std::function<Future()> start_;
  Future future_;
};

using Resolver =
    std::function<FieldResult(const Json& parent, const Json& arguments, const ResolveInfo& info)>;

}  // namespace surplus::graphql
