#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <surplus/graphql/async.hpp>
#include <surplus/graphql/resolver.hpp>

namespace surplus::graphql {

// Batches the keys that resolvers request during one execution step into one call of the
// batch function, and caches the values (and errors) for the rest of the request. Because
// the executor runs every resolver of a step, across all items of a list, before it starts
// any deferred result, the keys of e.g. the restaurants of 50 offers reach one batch call.
//
// The batch function receives distinct keys in request order and returns one value per
// key, in the same order, either at once (Batch) or later (AsyncBatch: a Future whose value
// is a JSON array). An exception from the batch function, a failed Future or a wrong number
// of values fails every key of that batch with the same message. Create one loader per
// request; it is not thread-safe, although an AsyncBatch may complete its Promise from any
// thread.
template <typename Key>
class DataLoader {
 public:
  using Batch = std::function<std::vector<Json>(const std::vector<Key>& keys)>;
  using AsyncBatch = std::function<Future(const std::vector<Key>& keys)>;

  explicit DataLoader(Batch batch) : state_(std::make_shared<State>()) {
    state_->batch = [batch = std::move(batch)](const std::vector<Key>& keys) {
      std::vector<Json> values = batch(keys);
      Json array = Json::array();
      array.get_ref<Json::array_t&>() = std::move(values);
      return make_ready_future(std::move(array));
    };
  }
  explicit DataLoader(AsyncBatch batch) : state_(std::make_shared<State>()) {
    state_->batch = std::move(batch);
  }

  // Queues `key` and returns a deferred result that starts the batch after every resolver
  // of the current step has run. A key loaded before returns its cached value or error.
  FieldResult load(const Key& key) {
    const auto found = state_->futures.find(key);
    if (found != state_->futures.end()) {
      return FieldResult::pending(found->second);
    }
    if (!state_->is_pending(key)) {
      state_->pending.push_back(key);
    }
    return FieldResult::deferred_async([state = state_, key]() -> Future {
      state->dispatch();
      return state->futures.at(key);
    });
  }

  // Number of batch calls so far.
  std::size_t batch_count() const { return state_->batch_count; }

 private:
  struct State {
    bool is_pending(const Key& key) const {
      for (const auto& pending_key : pending) {
        if (pending_key == key) {
          return true;
        }
      }
      return false;
    }

    // Sends the queued keys to the batch function and gives each key a Future that the
    // batch's result completes.
    void dispatch() {
      if (pending.empty()) {
        return;
      }
      std::vector<Key> keys = std::move(pending);
      pending.clear();
      ++batch_count;
      std::vector<Promise> promises(keys.size());
      for (std::size_t i = 0; i < keys.size(); ++i) {
        futures.emplace(keys[i], promises[i].get_future());
      }
      Future loaded;
      try {
        loaded = batch(keys);
        if (!loaded.valid()) {
          throw std::logic_error("data loader batch returned an invalid Future");
        }
      } catch (...) {
        loaded = make_exceptional_future(std::current_exception());
      }
      // The callback's copy of `loaded` is its only one once this function returns, so
      // distribute() can move the batch's values out instead of copying them.
      loaded.on_ready(
          [loaded, promises = std::move(promises)]() mutable { distribute(loaded, promises); });
    }

    static void distribute(Future& loaded, const std::vector<Promise>& promises) {
      try {
        Json values = loaded.take();
        if (!values.is_array() || values.size() != promises.size()) {
          throw std::runtime_error("data loader batch returned " +
                                   std::to_string(values.is_array() ? values.size() : 1) +
                                   " values for " + std::to_string(promises.size()) +
                                   " keys; return one value per key, in key order");
        }
        for (std::size_t i = 0; i < promises.size(); ++i) {
          promises[i].set_value(std::move(values[i]));
        }
      } catch (...) {
        for (const auto& promise : promises) {
          promise.set_exception(std::current_exception());
        }
      }
    }

    AsyncBatch batch;
    std::vector<Key> pending;
    std::map<Key, Future> futures;
    std::size_t batch_count = 0;
  };

  std::shared_ptr<State> state_;
};

}  // namespace surplus::graphql
