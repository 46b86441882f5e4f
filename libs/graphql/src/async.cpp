#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <surplus/graphql/async.hpp>

namespace surplus::graphql {
namespace detail {

struct FutureState {
  std::mutex mutex;
  std::condition_variable ready_changed;
  bool ready = false;
  Json value;
  std::exception_ptr error;
  std::vector<std::function<void()>> callbacks;
  // Number of Future objects that refer to this state. Future::take moves the value only
  // when this count is 1.
  std::atomic<std::size_t> futures = 0;
  // Set under the mutex when Future::take moved the value out; get_future then throws.
  bool taken = false;

  void complete(Json completed_value, std::exception_ptr completed_error) {
    std::vector<std::function<void()>> to_call;
    {
      const std::lock_guard lock(mutex);
      if (ready) {
        throw std::logic_error("graphql::Promise completed twice; complete it exactly once");
      }
      value = std::move(completed_value);
      error = std::move(completed_error);
      ready = true;
      to_call = std::move(callbacks);
    }
    ready_changed.notify_all();
    // Outside the lock, so that a callback may read this future or complete another one.
    for (auto& callback : to_call) {
      callback();
    }
  }

  bool add_callback(std::function<void()> callback) {
    const std::lock_guard lock(mutex);
    if (ready) {
      return false;
    }
    callbacks.push_back(std::move(callback));
    return true;
  }
};

}  // namespace detail

Future::Future(std::shared_ptr<detail::FutureState> state) : state_(std::move(state)) {
  state_->futures.fetch_add(1, std::memory_order_relaxed);
}

Future::Future(const Future& other) : state_(other.state_) {
  if (state_) {
    state_->futures.fetch_add(1, std::memory_order_relaxed);
  }
}

Future& Future::operator=(const Future& other) {
  if (this != &other) {
    *this = Future(other);
  }
  return *this;
}

Future& Future::operator=(Future&& other) noexcept {
  if (this != &other) {
    if (state_) {
      state_->futures.fetch_sub(1, std::memory_order_acq_rel);
    }
    state_ = std::move(other.state_);
  }
  return *this;
}

Future::~Future() {
  if (state_) {
    // Release, so that a Future::take that then reads a count of 1 is ordered after every
    // read this Future made of the value.
    state_->futures.fetch_sub(1, std::memory_order_acq_rel);
  }
}

bool Future::is_ready() const {
  const std::lock_guard lock(state_->mutex);
  return state_->ready;
}

void Future::wait() const {
  std::unique_lock lock(state_->mutex);
  state_->ready_changed.wait(lock, [this] { return state_->ready; });
}

const Json& Future::get() const {
  wait();
  // Once ready, the value and the error never change, so they are read without the lock.
  if (state_->error) {
    std::rethrow_exception(state_->error);
  }
  return state_->value;
}

Json Future::take() {
  wait();
  if (state_->error) {
    std::rethrow_exception(state_->error);
  }
  bool only_future = false;
  {
    const std::lock_guard lock(state_->mutex);
    only_future = state_->futures.load(std::memory_order_acquire) == 1;
    state_->taken = state_->taken || only_future;
  }
  // With no other Future, nothing else can read the value, and get_future() now throws.
  Json value = only_future ? std::move(state_->value) : state_->value;
  *this = Future();
  return value;
}

void Future::on_ready(std::function<void()> callback) const {
  if (!on_ready_later(callback)) {
    callback();
  }
}

bool Future::on_ready_later(std::function<void()> callback) const {
  return state_->add_callback(std::move(callback));
}

Promise::Promise() : state_(std::make_shared<detail::FutureState>()) {}

Future Promise::get_future() const {
  const std::lock_guard lock(state_->mutex);
  if (state_->taken) {
    throw std::logic_error(
        "graphql::Promise::get_future after Future::take moved the value out; call "
        "get_future before the value is taken");
  }
  return Future(state_);
}

void Promise::set_value(Json value) const {
  state_->complete(std::move(value), nullptr);
}

void Promise::set_exception(std::exception_ptr error) const {
  state_->complete(Json(), std::move(error));
}

Future make_ready_future(Json value) {
  const Promise promise;
  promise.set_value(std::move(value));
  return promise.get_future();
}

Future make_exceptional_future(std::exception_ptr error) {
  const Promise promise;
  promise.set_exception(std::move(error));
  return promise.get_future();
}

}  // namespace surplus::graphql
