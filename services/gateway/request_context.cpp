#include "request_context.hpp"

#include <any>
#include <map>
#include <stdexcept>

#include <surplus/core/metrics.hpp>
#include <surplus/http/url.hpp>

#include "convert.hpp"
#include "futures.hpp"

namespace surplus::gateway {
namespace {

// The batch endpoints take at most this many ids per call.
constexpr std::size_t kMaxIdsPerCall = 100;
constexpr std::string_view kFailureMember = "__gatewayFailure";

Json failure_marker(const FieldFailure& failure) {
  return Json{
      {kFailureMember, {{"message", failure.what()}, {"extensions", failure.extensions()}}}};
}

void throw_if_failure(const Json& value) {
  if (value.is_object()) {
    const auto found = value.find(kFailureMember);
    if (found != value.end()) {
      const Json& extensions = (*found)["extensions"];
      throw FieldFailure(extensions.value("code", std::string(kInternal)),
                         (*found)["message"].get<std::string>(), extensions);
    }
  }
}

core::Counter& batch_counter(const std::string& loader) {
  return core::default_metrics().counter("gateway_loader_batches_total",
                                         "Batches dispatched by the gateway's data loaders.",
                                         "loader=\"" + loader + "\"");
}

// The counters of the five loaders, looked up once instead of once per request.
struct BatchCounters {
  core::Counter& restaurants = batch_counter("restaurants");
  core::Counter& products = batch_counter("products");
  core::Counter& offers = batch_counter("offers");
  core::Counter& couriers = batch_counter("couriers");
  core::Counter& orders = batch_counter("orders");
};

const BatchCounters& batch_counters() {
  static const BatchCounters counters;
  return counters;
}

using Convert = Json (*)(Json);

// The value of each key among the items of the pages (matched by "id"), null for keys that
// are missing. The items are moved out of `pages`.
Json values_by_id(const std::vector<std::string>& keys, Json& pages, Convert convert) {
  std::map<std::string, Json> by_id;
  for (auto& page : pages) {
    if (!page.is_object()) {
      throw std::runtime_error(std::string("a batch response is ") + page.type_name() +
                               ", not an object with items");
    }
    const auto items = page.find("items");
    if (items == page.end()) {
      continue;
    }
    for (auto& item : *items) {
      std::string id = item.value("id", std::string());
      by_id[std::move(id)] = convert(std::move(item));
    }
  }
  Json values = Json::array();
  for (const auto& key : keys) {
    // DataLoader passes distinct keys (data_loader.hpp), so each value is moved out once.
    const auto found = by_id.find(key);
    values.push_back(found == by_id.end() ? Json() : std::move(found->second));
  }
  return values;
}

// A batch function over an endpoint that takes `ids=a,b,c` and returns {"items": [...]}.
// Keys beyond kMaxIdsPerCall go in further calls, sent concurrently.
Loader::AsyncBatch list_batch(RequestContext& context, core::Counter& batches, Service service,
                              std::string path, bool internal, Convert convert) {
  return [&context, &batches, service, path = std::move(path), internal,
          convert](const std::vector<std::string>& keys) {
    batches.increment();
    std::vector<graphql::Future> calls;
    for (std::size_t begin = 0; begin < keys.size(); begin += kMaxIdsPerCall) {
      std::string ids;
      for (std::size_t i = begin; i < std::min(keys.size(), begin + kMaxIdsPerCall); ++i) {
        ids += (ids.empty() ? "" : ",") + http::percent_encode(keys[i]);
      }
      ServiceCall call{service, "GET", path + "?ids=" + ids};
      call.internal = internal;
      calls.push_back(context.start(call));
    }
    return then(when_all(std::move(calls)),
                [keys, convert](Json pages) { return values_by_id(keys, pages, convert); });
  };
}

// A batch function over an endpoint that returns one entity per id, with the calls run
// concurrently. NOT_FOUND becomes null, as a missing id does for a list endpoint. Other
// failures, FORBIDDEN included, fail only their own key, with an error that gives the reason.
Loader::AsyncBatch each_batch(RequestContext& context, core::Counter& batches, Service service,
                              std::string path_prefix, Convert convert) {
  return [&context, &batches, service, prefix = std::move(path_prefix),
          convert](const std::vector<std::string>& keys) {
    batches.increment();
    std::vector<graphql::Future> calls;
    for (const auto& key : keys) {
      graphql::Future call = context.start({service, "GET", prefix + http::percent_encode(key)});
      graphql::Promise outcome;
      const graphql::Future source = call;
      source.on_ready([call = std::move(call), outcome, convert]() mutable {
        try {
          outcome.set_value(convert(call.take()));
        } catch (const FieldFailure& failure) {
          outcome.set_value(failure.code() == kNotFound ? Json() : failure_marker(failure));
        } catch (...) {
          outcome.set_exception(std::current_exception());
        }
      });
      calls.push_back(outcome.get_future());
    }
    return when_all(std::move(calls));
  };
}

Json as_is(Json value) {
  return value;
}

}  // namespace

RequestContext::RequestContext(Downstream& downstream, CallerContext caller,
                               std::shared_ptr<CompletionQueue> completions)
    : downstream_(downstream),
      caller_(std::move(caller)),
      completions_(std::move(completions)),
      restaurants_(list_batch(*this, batch_counters().restaurants, Service::kOrders,
                              "/internal/restaurants", true, restaurant_node)),
      products_(list_batch(*this, batch_counters().products, Service::kOrders, "/internal/products",
                           true, as_is)),
      offers_(
          list_batch(*this, batch_counters().offers, Service::kOffers, "/offers", false, as_is)),
      couriers_(
          each_batch(*this, batch_counters().couriers, Service::kOffers, "/couriers/", as_is)),
      orders_(
          each_batch(*this, batch_counters().orders, Service::kOrders, "/orders/", order_node)) {}

Json RequestContext::call(const ServiceCall& call) {
  graphql::Future future = start(call);
  if (completions_) {
    completions_->run_until_ready(future);
  }
  return future.take();
}

graphql::FieldResult RequestContext::load(Loader& loader, const std::string& key) {
  if (key.empty()) {
    return Json();
  }
  return then(loader.load(key), [](Json value) {
    throw_if_failure(value);
    return value;
  });
}

graphql::FieldResult RequestContext::load_many(Loader& loader,
                                               const std::vector<std::string>& keys) {
  std::vector<graphql::FieldResult> pending;
  for (const auto& key : keys) {
    pending.push_back(loader.load(key));
  }
  return graphql::FieldResult::deferred_async([pending = std::move(pending)]() mutable {
    std::vector<graphql::Future> futures;
    for (auto& result : pending) {
      result.start();
      futures.push_back(result.is_deferred() ? result.future()
                                             : graphql::make_ready_future(result.value()));
    }
    return then(when_all(std::move(futures)), [](const Json& values) {
      Json found = Json::array();
      for (const auto& value : values) {
        throw_if_failure(value);
        if (!value.is_null()) {
          found.push_back(value);
        }
      }
      return found;
    });
  });
}

RequestContext& context_of(const graphql::ResolveInfo& info) {
  return *std::any_cast<const std::shared_ptr<RequestContext>&>(*info.context);
}

}  // namespace surplus::gateway
