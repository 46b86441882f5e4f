#include "service.hpp"

namespace surplus::gateway {

service::ServiceDefinition definition() {
  service::ServiceDefinition definition;
  definition.name = "gateway";
  definition.default_port = 4000;
  definition.has_database = false;
  return definition;
}

}  // namespace surplus::gateway
