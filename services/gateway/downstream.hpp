#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <surplus/auth/request_auth.hpp>
#include <surplus/graphql/async.hpp>
#include <surplus/http/client.hpp>

#include "completion_queue.hpp"
#include "field_error.hpp"
#include "gateway_config.hpp"

namespace surplus::gateway {

enum class Service { kOrders, kOffers };

std::string_view service_name(Service service);

// The caller of one GraphQL request, as the services see it.
struct CallerContext {
  // The caller's Authorization header, passed on unchanged; the services decide what the
  // caller may see and do.
  std::optional<std::string> authorization;
  std::string request_id;
  // The IP address of the client that sent the GraphQL request.
  std::string client_ip;
  // Every downstream call of the request ends by then.
  std::chrono::steady_clock::time_point deadline;
};

// One call to a service.
struct ServiceCall {
  ServiceCall(Service to, std::string http_method, std::string request_target,
              std::optional<Json> request_body = std::nullopt)
      : service(to),
        method(std::move(http_method)),
        target(std::move(request_target)),
        body(std::move(request_body)) {}

  Service service = Service::kOffers;
  std::string method = "GET";
  // Path and query, e.g. "/offers?ids=a,b".
  std::string target;
  std::optional<Json> body;
  // Sends X-Service-Secret instead of the caller's token, for /internal/ endpoints.
  bool internal = false;
  // Sends the client's address in X-Forwarded-For, with X-Service-Secret so that the
  // service trusts it, for calls whose limits count per client (login, registration).
  bool forward_client_ip = false;
  // Sent as the Idempotency-Key header; also lets the client retry a POST.
  std::optional<std::string> idempotency_key;
};

// The pooled keep-alive clients to the orders and offers services, shared by all requests.
// Thread-safe.
class Downstream {
 public:
  Downstream(const GatewayConfig& config, auth::ServiceSecret secret);

  // Starts `call` without waiting, so independent fields run concurrently. The Future
  // completes with the response body as JSON (null for an empty body), or fails with
  // FieldFailure for an error response or a transport failure. It completes on the thread
  // that runs `completions`, or on the client's I/O thread when `completions` is null.
  // Throws FieldFailure UNAVAILABLE when the request's deadline has already passed.
  graphql::Future start(const CallerContext& caller, const ServiceCall& call,
                        const std::shared_ptr<CompletionQueue>& completions = nullptr);
  // Sends `call` and waits for it.
  Json call(const CallerContext& caller, const ServiceCall& call) {
    return start(caller, call).get();
  }

  http::ClientStats stats() const { return client_.stats(); }

 private:
  std::string orders_url_;
  std::string offers_url_;
  auth::ServiceSecret secret_;
  http::Client client_;
};

}  // namespace surplus::gateway
