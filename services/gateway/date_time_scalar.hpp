#pragma once

#include <surplus/graphql/schema.hpp>

namespace surplus::gateway {

// Gives the DateTime scalar of schema.graphql its coercion: inputs, as variables or
// literals, must be RFC 3339 strings ("2026-05-01T17:30:00Z"), so a malformed time is a
// BAD_USER_INPUT error naming the value before any service is called. Values are passed
// on as the client wrote them; the services normalise them.
void install_date_time_scalar(graphql::Schema& schema);

}  // namespace surplus::gateway
