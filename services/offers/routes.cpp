#include "routes.hpp"

#include <utility>

namespace surplus::offers {
namespace {

http::Response openapi(OffersApp&, http::Request&) {
  return http::Response::text(std::string(openapi_document()), 200, "application/json");
}

}  // namespace

std::vector<Route> all_routes() {
  std::vector<Route> routes;
  for (auto part :
       {offer_routes, inventory_routes, courier_routes, delivery_routes, internal_routes}) {
    auto more = part();
    routes.insert(routes.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
  }
  routes.push_back({"GET", "/openapi.json", openapi});
  return routes;
}

void add_offers_routes(http::Router& router, std::shared_ptr<OffersApp> app,
                       std::shared_ptr<void> keep_alive) {
  for (auto& route : all_routes()) {
    router.add(route.method, route.pattern,
               [app, keep_alive, handler = std::move(route.handler)](http::Request& request) {
                 return handler(*app, request);
               });
  }
}

}  // namespace surplus::offers
