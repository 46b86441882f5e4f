#include "service.hpp"

#include "migrations.hpp"

namespace surplus::notifications {

service::ServiceDefinition definition() {
  service::ServiceDefinition definition;
  definition.name = "notifications";
  definition.default_port = 4003;
  definition.migrations = migrations();
  return definition;
}

}  // namespace surplus::notifications
