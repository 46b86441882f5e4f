#pragma once

#include <surplus/service/service.hpp>

namespace surplus::gateway {

// The gateway service (port 4000) owns the public GraphQL API at /graphql; it has no database of
// its own.
service::ServiceDefinition definition();

}  // namespace surplus::gateway
