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

bool Future::is_ready() const {
  const std::lock_guard lock(state_->mutex);
  return state_->ready;
}

void Future::wait() const {
  std::unique_lock lock(state_->mutex);
  state_->ready_changed.wait(lock, [this] { return state_->ready; });
}

Json Future::get() const {
  wait();
  // Once ready, the value and the error never change, so they are read without the lock.
  if (state_->error) {
    std::rethrow_exception(state_->error);
  }
  return state_->value;
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
