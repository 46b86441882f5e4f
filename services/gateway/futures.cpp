#include "futures.hpp"

#include <atomic>
#include <memory>
#include <mutex>

namespace surplus::gateway {

graphql::Future then(const graphql::Future& future, std::function<Json(const Json&)> convert) {
  graphql::Promise promise;
  future.on_ready([future, promise, convert = std::move(convert)] {
    try {
      promise.set_value(convert(future.get()));
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
        for (const auto& done : state->futures) {
          values.push_back(done.get());
        }
        state->promise.set_value(std::move(values));
      } catch (...) {
        state->promise.set_exception(std::current_exception());
      }
    });
  }
  return state->promise.get_future();
}

graphql::FieldResult then(graphql::FieldResult result, std::function<Json(const Json&)> convert) {
  if (!result.is_deferred()) {
    return convert(result.value());
  }
  return graphql::FieldResult::deferred_async(
      [result, convert = std::move(convert)]() mutable -> graphql::Future {
        result.start();
        return then(result.future(), convert);
      });
}

}  // namespace surplus::gateway
