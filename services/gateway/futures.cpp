#include "futures.hpp"

#include <atomic>
#include <memory>
#include <mutex>

namespace surplus::gateway {

graphql::Future then(graphql::Future future, std::function<Json(Json)> convert) {
  graphql::Promise promise;
  graphql::Future source = future;
  // The callback keeps the only other copy of `future`, which it takes the value from.
  source.on_ready([future = std::move(future), promise, convert = std::move(convert)]() mutable {
    try {
      promise.set_value(convert(future.take()));
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
  });
  return promise.get_future();
}

graphql::Future when_all(std::vector<graphql::Future> futures) {
  if (futures.empty()) {
    return graphql::make_ready_future(Json::array());
  }
  struct State {
    std::vector<graphql::Future> futures;
    std::atomic<std::size_t> remaining;
    graphql::Promise promise;
  };
  auto state = std::make_shared<State>();
  state->remaining = futures.size();
  state->futures = std::move(futures);
  for (const auto& future : state->futures) {
    future.on_ready([state] {
      if (--state->remaining != 0) {
        return;
      }
      Json values = Json::array();
      try {
        for (auto& done : state->futures) {
          values.push_back(done.take());
        }
        state->promise.set_value(std::move(values));
      } catch (...) {
        state->promise.set_exception(std::current_exception());
      }
    });
  }
  return state->promise.get_future();
}

graphql::FieldResult then(graphql::FieldResult result, std::function<Json(Json)> convert) {
  if (!result.is_deferred()) {
    return convert(std::move(result.value()));
  }
  return graphql::FieldResult::deferred_async(
      [result = std::move(result), convert = std::move(convert)]() mutable -> graphql::Future {
        result.start();
        graphql::Future future = result.future();
        // Drops the result's copy, so that the continuation owns the only one.
        result = graphql::FieldResult(Json());
        return then(std::move(future), std::move(convert));
      });
}

}  // namespace surplus::gateway
