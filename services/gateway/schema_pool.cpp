#include "schema_pool.hpp"

#include "date_time_scalar.hpp"
#include "resolvers.hpp"

namespace surplus::gateway {

graphql::Schema build_gateway_schema(const std::string& sdl) {
  graphql::Schema schema = graphql::build_schema(sdl);
  install_query_resolvers(schema);
  install_mutation_resolvers(schema);
  install_type_resolvers(schema);
  install_subscription_resolvers(schema);
  install_date_time_scalar(schema);
  return schema;
}

SchemaPool::SchemaPool(const std::string& sdl, std::size_t size) {
  for (std::size_t i = 0; i < std::max<std::size_t>(size, 1); ++i) {
    schemas_.push_back(std::make_unique<graphql::Schema>(build_gateway_schema(sdl)));
    free_.push_back(schemas_.back().get());
  }
}

SchemaPool::Lease SchemaPool::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !free_.empty(); });
  graphql::Schema* schema = free_.back();
  free_.pop_back();
  return Lease(*this, schema);
}

void SchemaPool::release(graphql::Schema* schema) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(schema);
  }
  available_.notify_one();
}

}  // namespace surplus::gateway
