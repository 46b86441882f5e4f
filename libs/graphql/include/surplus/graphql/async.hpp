#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <utility>

#include <nlohmann/json.hpp>

namespace surplus::graphql {

using Json = nlohmann::ordered_json;

namespace detail {
// State shared by one Promise and its Futures; defined in async.cpp.
struct FutureState;
}  // namespace detail

// A JSON value that some other code produces later: the consumer side of a Promise. Copies
// share one state. A Future is safe to read from several threads, and a Promise may be
// completed from any thread.
class Future {
 public:
  // An invalid future; only assignment and valid() may be used on it.
  Future() = default;
  Future(const Future& other);
  Future(Future&& other) noexcept = default;
  Future& operator=(const Future& other);
  Future& operator=(Future&& other) noexcept;
  ~Future();

  bool valid() const { return static_cast<bool>(state_); }
  bool is_ready() const;
  // Blocks until the promise is completed.
  void wait() const;
  // Blocks until the promise is completed, then returns the value or rethrows the exception
  // it was completed with. The value never changes after completion, so the reference may be
  // read from any thread. It stays valid while this Future, or a copy of it, is alive.
  const Json& get() const;
  // Blocks until the promise is completed, then returns the value and leaves this Future
  // invalid. The value is moved out of the shared state when this is the only Future of it
  // (a Promise does not count, because it cannot read the value), and copied otherwise.
  // Rethrows the exception the promise was completed with and then leaves this Future valid.
  Json take();
  // Calls `callback` once when the promise is completed: at once on this thread when it is
  // complete already, otherwise on the thread that completes it, after the value is stored.
  void on_ready(std::function<void()> callback) const;

  // Registers `callback` for a future that is not ready yet; returns false, without calling
  // it, when the future is ready already. The executor uses it to resume without recursion.
  bool on_ready_later(std::function<void()> callback) const;

 private:
  friend class Promise;
  explicit Future(std::shared_ptr<detail::FutureState> state);

  std::shared_ptr<detail::FutureState> state_;
};

// The producer side: code that starts work (a request to another service, a query on a
// connection pool) keeps the Promise and completes it once, with set_value or
// set_exception, from whatever thread finishes the work. A second completion throws
// std::logic_error. A promise that is destroyed without being completed leaves its futures
// waiting for ever, so complete it on every path, errors included.
class Promise {
 public:
  Promise();

  // A Future of this promise's state. Throws std::logic_error when Future::take has moved
  // the value out already.
  Future get_future() const;
  void set_value(Json value) const;
  void set_exception(std::exception_ptr error) const;

 private:
  std::shared_ptr<detail::FutureState> state_;
};

// A future that is complete already.
Future make_ready_future(Json value);
Future make_exceptional_future(std::exception_ptr error);

}  // namespace surplus::graphql
