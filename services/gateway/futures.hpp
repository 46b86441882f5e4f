#pragma once

#include <functional>
#include <vector>

#include <surplus/graphql/async.hpp>
#include <surplus/graphql/resolver.hpp>

// Continuations on the engine's Futures, which have none of their own. The functions run
// on the thread that completes the Future (the thread executing the request, or an HTTP
// client's I/O thread), so they must be short and must not block.
namespace surplus::gateway {

using graphql::Json;

// A Future of `convert(value)`; an exception from either side fails it. `convert` receives
// the value moved out of `future` when no other Future shares it, otherwise a copy.
graphql::Future then(graphql::Future future, std::function<Json(Json)> convert);

// A Future of the array of the values of `futures`, in order; fails with the first failure.
graphql::Future when_all(std::vector<graphql::Future> futures);

// A result that is `convert` applied to the value of `result`, started when the executor
// starts `result`.
graphql::FieldResult then(graphql::FieldResult result, std::function<Json(Json)> convert);

}  // namespace surplus::gateway
