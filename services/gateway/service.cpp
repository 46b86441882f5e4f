#include "service.hpp"

#include <spdlog/spdlog.h>

#include "graphql_endpoint.hpp"
#include "graphql_ws.hpp"
#include "schema_document.hpp"

namespace surplus::gateway {
namespace {

void install_routes(service::ServiceContext& context) {
  GatewayConfig config = load_gateway_config(context.env);
  auto downstream =
      std::make_shared<Downstream>(config, auth::ServiceSecret::from_env(context.env));
  spdlog::info(
      "gateway: orders at {}, offers at {}, introspection {}, limits depth {} aliases {} "
      "root fields {} cost {}, request timeout {} ms, CORS origins {}",
      config.orders_url, config.offers_url, config.introspection ? "on" : "off",
      config.limits.max_depth, config.limits.max_aliases, config.limits.max_root_fields,
      config.limits.max_cost, config.request_timeout.count(),
      config.cors_allow_any_origin ? std::string("*")
                                   : std::to_string(config.cors_allowed_origins.size()));

  spdlog::info(
      "gateway: subscriptions from {}, at most {} per WebSocket, messages up to {} bytes, "
      "connection_init within {} ms",
      config.notifications_ws_url, config.ws_max_subscriptions, config.ws_max_message_bytes,
      config.ws_init_timeout.count());

  auto websocket =
      std::make_shared<GraphQLWebSocket>(config, downstream, std::string(schema_document()));
  context.router.websocket("/graphql", websocket->factory(), websocket->options());

  // One schema per worker thread, so no request waits for a schema.
  const auto concurrency = static_cast<std::size_t>(context.settings.server.worker_threads);
  auto endpoint = std::make_shared<GraphQLEndpoint>(std::move(config), std::move(downstream),
                                                    std::string(schema_document()), concurrency);
  context.router.get("/graphql", [endpoint](http::Request& r) { return endpoint->handle(r); });
  context.router.post("/graphql", [endpoint](http::Request& r) { return endpoint->handle(r); });
  context.router.add("OPTIONS", "/graphql",
                     [endpoint](http::Request& r) { return endpoint->preflight(r); });
  context.router.get("/graphiql/{name}",
                     [endpoint](http::Request& r) { return endpoint->asset(r); });
  context.router.get("/schema.graphql", [](http::Request&) {
    return http::Response::text(std::string(schema_document()), 200, "text/plain; charset=utf-8");
  });
}

}  // namespace

service::ServiceDefinition definition() {
  service::ServiceDefinition definition;
  definition.name = "gateway";
  definition.default_port = 4000;
  definition.has_database = false;
  definition.install_routes = install_routes;
  definition.environment_help = gateway_environment_help();
  return definition;
}

}  // namespace surplus::gateway
