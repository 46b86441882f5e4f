#include "service.hpp"

#include "migrations.hpp"

namespace surplus::orders {

service::ServiceDefinition definition() {
  service::ServiceDefinition definition;
  definition.name = "orders";
  definition.default_port = 4001;
  definition.migrations = migrations();
  return definition;
}

}  // namespace surplus::orders
