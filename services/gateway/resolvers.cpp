#include "resolvers.hpp"

#include <spdlog/spdlog.h>

#include <surplus/http/url.hpp>

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
      return graphql::FieldResult::deferred(
          [&context, result, path = *info.path]() mutable -> Json {
            try {
              return result.value();
            } catch (...) {
              rethrow_recorded(context, path);
            }
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

graphql::FieldResult when_done(std::shared_ptr<PendingCall> call,
                               std::function<Json(const Json&)> convert) {
  return graphql::FieldResult::deferred(
      [call = std::move(call), convert = std::move(convert)]() -> Json {
        Json value = call->get();
        return convert ? convert(value) : value;
      });
}

std::vector<std::string> member_ids(const Json& page, const std::string& member) {
  std::vector<std::string> ids;
  if (!page.is_object() || !page.contains("items")) {
    return ids;
  }
  for (const auto& item : page["items"]) {
    if (item.contains(member) && item[member].is_string()) {
      ids.push_back(item[member].get<std::string>());
    }
  }
  return ids;
}

std::string segment(const std::string& value) {
  return http::percent_encode(value);
}

}  // namespace surplus::gateway
