#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include <surplus/graphql/resolver.hpp>

namespace surplus::graphql {

// Batches the keys that resolvers request during one execution step into one call of
// `batch`, and caches the values for the rest of the request. `batch` receives distinct
// keys in request order and returns one value per key, in the same order. Create one
// loader per request; it is not thread-safe.
template <typename Key>
class DataLoader {
 public:
  using Batch = std::function<std::vector<Json>(const std::vector<Key>& keys)>;

  explicit DataLoader(Batch batch) : state_(std::make_shared<State>(std::move(batch))) {}

  // Queues `key` and returns a deferred value, which the executor computes after every
  // resolver of the current step has run.
  FieldResult load(const Key& key) {
    if (state_->values.count(key) == 0 && !state_->is_pending(key)) {
      state_->pending.push_back(key);
    }
    return FieldResult::deferred([state = state_, key]() -> Json {
      state->dispatch();
      return state->values.at(key);
    });
  }

  std::size_t batch_count() const { return state_->batch_count; }

 private:
  struct State {
    explicit State(Batch function) : batch(std::move(function)) {}

    bool is_pending(const Key& key) const {
      for (const auto& pending_key : pending) {
        if (pending_key == key) {
          return true;
        }
      }
      return false;
    }

    void dispatch() {
      if (pending.empty()) {
        return;
      }
      std::vector<Key> keys = std::move(pending);
      pending.clear();
      ++batch_count;
      std::vector<Json> loaded = batch(keys);
      if (loaded.size() != keys.size()) {
        throw std::runtime_error("data loader batch returned " + std::to_string(loaded.size()) +
                                 " values for " + std::to_string(keys.size()) + " keys");
      }
      for (std::size_t i = 0; i < keys.size(); ++i) {
        values.emplace(keys[i], std::move(loaded[i]));
      }
    }

    Batch batch;
    std::vector<Key> pending;
    std::map<Key, Json> values;
    std::size_t batch_count = 0;
  };

  std::shared_ptr<State> state_;
};

}  // namespace surplus::graphql
