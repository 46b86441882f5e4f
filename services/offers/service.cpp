#include "service.hpp"

#include "migrations.hpp"

namespace surplus::offers {

service::ServiceDefinition definition() {
  service::ServiceDefinition definition;
  definition.name = "offers";
  definition.default_port = 4002;
  definition.migrations = migrations();
  return definition;
}

}  // namespace surplus::offers
