#pragma once

// The two benchmark operations, each in two forms: as one GraphQL request to a gateway
// (the C++ gateway or the Apollo Server peer), and as the REST calls that the C++ gateway
// makes for it, sent straight to the services. Every response is checked, so an operation
// that returns wrong data counts as a failure, not as a fast success.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <surplus/http/client.hpp>

namespace surplus::bench {

struct OperationSettings {
  std::string graphql_url;  // http://host:port/graphql of the gateway under test
  std::string document;     // the GraphQL document of the operation
  std::string orders_url;   // http://host:port of the orders service
  std::string offers_url;   // http://host:port of the offers service
  std::string access_token;
  std::string service_secret;  // X-Service-Secret for the internal batch endpoint
  double latitude = 0;
  double longitude = 0;
  std::vector<std::string> offer_ids;  // placeOrder takes them in turn
  std::string idempotency_prefix;      // made unique per process and counter
};

// Receives an empty string when the operation succeeded with correct data, or else a
// description of what failed, with the start of the response body.
using OperationDone = std::function<void(std::string failure)>;

class Operation {
 public:
  virtual ~Operation() = default;
  // Starts one operation on `client`. `done` runs once, on the client's I/O thread.
  virtual void start(http::Client& client, OperationDone done) = 0;
};

// The offers-near query: the first 20 offers within 5 km of the point, each with its
// restaurant's name.
std::unique_ptr<Operation> graphql_offers_near(const OperationSettings& settings);
// GET /offers on the offers service, then one GET /internal/restaurants?ids=... on the
// orders service for the restaurants of the page, as the C++ gateway's loader does.
std::unique_ptr<Operation> direct_offers_near(const OperationSettings& settings);

// The placeOrder mutation for one unit of the next offer, with a new idempotency key.
std::unique_ptr<Operation> graphql_place_order(const OperationSettings& settings);
// POST /orders on the orders service with the body and headers the C++ gateway sends.
std::unique_ptr<Operation> direct_place_order(const OperationSettings& settings);

// The number of offers the offers-near operation requests and expects.
inline constexpr std::size_t kOffersPerPage = 20;

}  // namespace surplus::bench
