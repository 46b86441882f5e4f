#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <surplus/graphql/schema.hpp>

namespace surplus::gateway {

// Copies of the gateway schema, one per request executing at the same time. The engine
// interns list and non-null wrappers on first use, which mutates a Schema, so one instance
// must not serve two requests at once.
class SchemaPool {
 public:
  // Builds `size` schemas from `sdl` with every resolver installed. Throws
  // graphql::SchemaError or graphql::SyntaxError when the SDL is invalid.
  SchemaPool(const std::string& sdl, std::size_t size);

  // A schema for the lifetime of the lease; waits while all are in use.
  class Lease {
   public:
    Lease(SchemaPool& pool, graphql::Schema* schema) : pool_(pool), schema_(schema) {}
    ~Lease() { pool_.release(schema_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    const graphql::Schema& operator*() const { return *schema_; }
    const graphql::Schema* get() const { return schema_; }

   private:
    SchemaPool& pool_;
    graphql::Schema* schema_;
  };

  Lease acquire();

 private:
  void release(graphql::Schema* schema);

  std::vector<std::unique_ptr<graphql::Schema>> schemas_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<graphql::Schema*> free_;
};

// The schema with the gateway's resolvers, for tests and tools.
graphql::Schema build_gateway_schema(const std::string& sdl);

}  // namespace surplus::gateway
