#include "resolvers.hpp"

#include <spdlog/spdlog.h>

#include <surplus/core/idempotency_key.hpp>
#include <surplus/http/url.hpp>

#include "futures.hpp"

namespace surplus::gateway {
namespace {

[[noreturn]] void rethrow_recorded(RequestContext& context,
                                   const std::vector<graphql::PathElement>& path) {
  try {
    throw;
  } catch (const FieldFailure& failure) {
    context.errors().record(path, failure.extensions());
    throw;
  } catch (const std::exception& error) {
    spdlog::error("resolver failed on request {}: {}", context.caller().request_id, error.what());
    const FieldFailure failure(kInternal, "an internal error occurred");
    context.errors().record(path, failure.extensions());
    throw failure;
  }
}

}  // namespace

graphql::Resolver guarded(GatewayResolver body) {
  return [body = std::move(body)](const Json& parent, const Json& arguments,
                                  const graphql::ResolveInfo& info) -> graphql::FieldResult {
    RequestContext& context = context_of(info);
    try {
      graphql::FieldResult result = body(context, parent, arguments, info);
      if (!result.is_deferred()) {
        return result;
      }
      // The value may arrive after the execution ended, when a null parent dropped this
      // field, and the request context is gone by then.
      std::weak_ptr<RequestContext> owner = context.weak_from_this();
      return graphql::FieldResult::deferred_async([owner = std::move(owner),
                                                   result = std::move(result),
                                                   path = *info.path]() mutable -> graphql::Future {
        result.start();
        graphql::Future inner = result.future();
        result = graphql::FieldResult(Json());
        graphql::Promise outcome;
        const graphql::Future source = inner;
        // The callback owns the only other copy of `inner`, so take() moves the value.
        source.on_ready([owner, inner = std::move(inner), outcome, path]() mutable {
          try {
            outcome.set_value(inner.take());
          } catch (...) {
            try {
              const std::shared_ptr<RequestContext> alive = owner.lock();
              if (!alive) {
                throw;
              }
              rethrow_recorded(*alive, path);
            } catch (...) {
              outcome.set_exception(std::current_exception());
            }
          }
        });
        return outcome.get_future();
      });
    } catch (...) {
      rethrow_recorded(context, *info.path);
    }
  };
}

std::string string_argument(const Json& arguments, const std::string& name) {
  const auto found = arguments.find(name);
  return found == arguments.end() || !found->is_string() ? std::string()
                                                         : found->get<std::string>();
}

Json without_nulls(const Json& value) {
  Json result = Json::object();
  for (const auto& [key, member] : value.items()) {
    if (!member.is_null()) {
      result[key] = member;
    }
  }
  return result;
}

graphql::FieldResult when_done(graphql::Future call, std::function<Json(Json)> convert) {
  if (!convert) {
    return graphql::FieldResult::pending(std::move(call));
  }
  return graphql::FieldResult::pending(then(std::move(call), std::move(convert)));
}

graphql::FieldResult or_null_when_missing(graphql::Future call, std::function<Json(Json)> convert) {
  graphql::Promise outcome;
  const graphql::Future source = call;
  source.on_ready([call = std::move(call), outcome, convert = std::move(convert)]() mutable {
    try {
      Json value = call.take();
      outcome.set_value(convert ? convert(std::move(value)) : std::move(value));
    } catch (const FieldFailure& failure) {
      if (failure.code() == kNotFound) {
        outcome.set_value(Json());
      } else {
        outcome.set_exception(std::current_exception());
      }
    } catch (...) {
      outcome.set_exception(std::current_exception());
    }
  });
  return graphql::FieldResult::pending(outcome.get_future());
}

std::string segment(const std::string& value) {
  // The services decode the whole path before routing, so an encoded '/' or a dot segment
  // would reach another resource, or none, and the service's reply would name an internal
  // path. No id of ours contains either.
  if (value.find('/') != std::string::npos || value == "." || value == "..") {
    throw FieldFailure(kBadUserInput, "\"" + value.substr(0, 64) +
                                          "\" is not an id: ids contain no '/' and are not "
                                          "'.' or '..'; use an id that a query returned");
  }
  return http::percent_encode(value);
}

std::string idempotency_key(const Json& value) {
  if (!value.is_string() || !core::is_idempotency_key(value.get_ref<const std::string&>())) {
    throw FieldFailure(kBadUserInput,
                       "idempotencyKey must be 1 to 200 printable ASCII characters without "
                       "spaces or line breaks, such as a UUID");
  }
  return value.get<std::string>();
}

}  // namespace surplus::gateway
