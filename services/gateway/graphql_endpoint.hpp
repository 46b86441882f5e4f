#pragma once

#include <memory>
#include <string>
#include <vector>

#include <surplus/http/request.hpp>
#include <surplus/http/response.hpp>

#include "document_cache.hpp"
#include "downstream.hpp"
#include "gateway_config.hpp"
#include "graphiql.hpp"
#include "schema_pool.hpp"

namespace surplus::gateway {

// GraphQL over HTTP at /graphql, as the graphql-over-http draft specification and the
// graphql-http audit describe it:
//  - POST with Content-Type application/json (charset utf-8 or none; else 415), GET with
//    the parameters in the query string; a mutation over GET gets 405 with Allow: POST;
//  - the response is application/graphql-response+json or application/json as Accept
//    prefers (406 when neither is acceptable); a request that cannot be read (bad JSON,
//    no `query`, a parameter of the wrong type) gets 400;
//  - with application/json every GraphQL response is 200; with
//    application/graphql-response+json a response without `data` (syntax, validation or
//    variable errors) is 400;
//  - browsers asking for text/html get GraphiQL;
//  - CORS for the configured origins, including preflight (OPTIONS).
class GraphQLEndpoint {
 public:
  GraphQLEndpoint(GatewayConfig config, std::shared_ptr<Downstream> downstream,
                  const std::string& sdl, std::size_t concurrency);

  http::Response handle(http::Request& request);
  http::Response preflight(http::Request& request) const;
  http::Response asset(http::Request& request) const;

 private:
  http::Response execute(http::Request& request);
  // Section 5 validation with the configured limits, and the introspection switch.
  std::vector<graphql::GraphQLError> validation_errors(
      const graphql::Schema& schema, const graphql::ast::Document& document) const;
  void add_cors_headers(const http::Request& request, http::Response& response) const;
  bool origin_allowed(std::string_view origin) const;

  GatewayConfig config_;
  std::shared_ptr<Downstream> downstream_;
  SchemaPool schemas_;
  DocumentCache documents_;
  GraphiQL graphiql_;
};

}  // namespace surplus::gateway
