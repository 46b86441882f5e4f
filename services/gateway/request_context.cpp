#include "request_context.hpp"

#include <any>
#include <map>

#include <surplus/core/metrics.hpp>
#include <surplus/http/url.hpp>

#include "convert.hpp"

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

using Convert = Json (*)(const Json&);

// A batch function over an endpoint that takes `ids=a,b,c` and returns {"items": [...]}.
Loader::Batch list_batch(RequestContext& context, const std::string& name, Service service,
                         std::string path, bool internal, Convert convert) {
  core::Counter& batches = batch_counter(name);
  return [&context, &batches, service, path = std::move(path), internal,
          convert](const std::vector<std::string>& keys) {
    batches.increment();
    std::vector<std::shared_ptr<PendingCall>> calls;
    std::vector<Json> values(keys.size());
    try {
      for (std::size_t begin = 0; begin < keys.size(); begin += kMaxIdsPerCall) {
        std::string ids;
        for (std::size_t i = begin; i < std::min(keys.size(), begin + kMaxIdsPerCall); ++i) {
          ids += (ids.empty() ? "" : ",") + http::percent_encode(keys[i]);
        }
        ServiceCall call{service, "GET", path + "?ids=" + ids};
        call.internal = internal;
        calls.push_back(context.start(call));
      }
      std::map<std::string, Json> by_id;
      for (auto& call : calls) {
        for (const auto& item : call->get().value("items", Json::array())) {
          by_id[item.value("id", std::string())] = convert(item);
        }
      }
      for (std::size_t i = 0; i < keys.size(); ++i) {
        const auto found = by_id.find(keys[i]);
        values[i] = found == by_id.end() ? Json() : found->second;
      }
    } catch (const FieldFailure& failure) {
      std::fill(values.begin(), values.end(), failure_marker(failure));
    }
    return values;
  };
}

// A batch function over an endpoint that returns one entity per id; the calls run
// concurrently. NOT_FOUND and FORBIDDEN become null, as they do for a list endpoint.
Loader::Batch each_batch(RequestContext& context, const std::string& name, Service service,
                         std::string path_prefix, Convert convert) {
  core::Counter& batches = batch_counter(name);
  return [&context, &batches, service, prefix = std::move(path_prefix),
          convert](const std::vector<std::string>& keys) {
    batches.increment();
    std::vector<std::shared_ptr<PendingCall>> calls;
    std::vector<Json> values(keys.size());
    try {
      for (const auto& key : keys) {
        calls.push_back(context.start({service, "GET", prefix + http::percent_encode(key)}));
      }
    } catch (const FieldFailure& failure) {
      std::fill(values.begin(), values.end(), failure_marker(failure));
      return values;
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
      try {
        values[i] = convert(calls[i]->get());
      } catch (const FieldFailure& failure) {
        const std::string code = failure.code();
        values[i] = code == kNotFound || code == kForbidden ? Json() : failure_marker(failure);
      }
    }
    return values;
  };
}

Json as_is(const Json& value) {
  return value;
}

}  // namespace

RequestContext::RequestContext(Downstream& downstream, CallerContext caller)
    : downstream_(downstream),
      caller_(std::move(caller)),
      restaurants_(list_batch(*this, "restaurants", Service::kOrders, "/internal/restaurants", true,
                              restaurant_node)),
      products_(list_batch(*this, "products", Service::kOrders, "/internal/products", true, as_is)),
      offers_(list_batch(*this, "offers", Service::kOffers, "/offers", false, as_is)),
      couriers_(each_batch(*this, "couriers", Service::kOffers, "/couriers/", as_is)),
      orders_(each_batch(*this, "orders", Service::kOrders, "/orders/", order_node)) {}

void RequestContext::prime(Loader& loader, const std::vector<std::string>& keys) {
  for (const auto& key : keys) {
    if (!key.empty()) {
      loader.load(key);
    }
  }
}

graphql::FieldResult RequestContext::load(Loader& loader, const std::string& key) {
  if (key.empty()) {
    return Json();
  }
  return graphql::FieldResult::deferred([pending = loader.load(key)]() mutable {
    Json value = pending.value();
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
  return graphql::FieldResult::deferred([pending = std::move(pending)]() mutable {
    Json values = Json::array();
    for (auto& result : pending) {
      Json value = result.value();
      throw_if_failure(value);
      if (!value.is_null()) {
        values.push_back(std::move(value));
      }
    }
    return values;
  });
}

RequestContext& context_of(const graphql::ResolveInfo& info) {
  return *std::any_cast<const std::shared_ptr<RequestContext>&>(*info.context);
}

}  // namespace surplus::gateway
