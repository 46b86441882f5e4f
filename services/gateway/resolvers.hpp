#pragma once

#include <functional>
#include <string>
#include <vector>

#include <surplus/graphql/resolver.hpp>
#include <surplus/graphql/schema.hpp>

#include "request_context.hpp"

namespace surplus::gateway {

// A resolver body that gets the request context. It throws FieldFailure for errors that
// clients should see with a code.
using GatewayResolver =
    std::function<graphql::FieldResult(RequestContext& context, const Json& parent,
                                       const Json& arguments, const graphql::ResolveInfo& info)>;

// Wraps `body` into the one error boundary of field resolution. A FieldFailure, thrown at
// once or from the deferred value, has its extensions recorded under the field's path. Any
// other exception is logged and becomes INTERNAL with a generic message.
graphql::Resolver guarded(GatewayResolver body);

// Installs the resolvers of each part of schema.graphql.
void install_query_resolvers(graphql::Schema& schema);
void install_mutation_resolvers(graphql::Schema& schema);
void install_type_resolvers(graphql::Schema& schema);
void install_subscription_resolvers(graphql::Schema& schema);

// Helpers shared by the resolver files.

// The string argument `name`, or "" when absent or null.
std::string string_argument(const Json& arguments, const std::string& name);
// `value` with members whose value is null removed, for PATCH bodies.
Json without_nulls(const Json& value);
// The result of a started call, converted by `convert` when it arrives.
graphql::FieldResult when_done(graphql::Future call, std::function<Json(Json)> convert = {});
// The same, but null when the service responds NOT_FOUND, for lookups by id.
graphql::FieldResult or_null_when_missing(graphql::Future call,
                                          std::function<Json(Json)> convert = {});
// Path segment `value`, percent-encoded. Throws FieldFailure BAD_USER_INPUT naming the
// value when it contains '/' or is a dot segment, which no id is.
std::string segment(const std::string& value);
// An idempotency key from the input, as the services take it: 1 to 200 printable ASCII
// characters without spaces. Throws FieldFailure BAD_USER_INPUT otherwise. The key is sent
// in an HTTP header, where a line break would end the header.
std::string idempotency_key(const Json& value);

}  // namespace surplus::gateway
