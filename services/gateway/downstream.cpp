#include "downstream.hpp"

#include <stdexcept>

#include <surplus/core/metrics.hpp>

#include "service_json.hpp"

namespace surplus::gateway {

std::string_view service_name(Service service) {
  return service == Service::kOrders ? "orders" : "offers";
}

namespace {

http::ClientOptions client_options(const GatewayConfig& config) {
  http::ClientOptions options;
  options.max_connections_per_host = config.downstream_connections;
  options.request_timeout = config.request_timeout;
  options.connect_timeout = std::min(config.request_timeout, std::chrono::milliseconds(2000));
  return options;
}

core::Counter& request_counter(Service service) {
  static core::Counter& orders = core::default_metrics().counter(
      "gateway_downstream_requests_total", "Calls from the gateway to each service.",
      "service=\"orders\"");
  static core::Counter& offers = core::default_metrics().counter(
      "gateway_downstream_requests_total", "Calls from the gateway to each service.",
      "service=\"offers\"");
  return service == Service::kOrders ? orders : offers;
}

// The response body of a call to `service` as JSON; throws FieldFailure for an error
// response or a transport failure. `may_have_applied` marks a call that changes data and
// carries no idempotency key: when it times out, the service may still have made the
// change, so the message tells the client to read it back before it retries.
Json body_of(http::ClientResult& result, Service service, bool may_have_applied) {
  if (!result.has_response()) {
    if (may_have_applied && result.error->code() == core::ErrorCode::kTimeout) {
      field_failure_from(*result.error, service_name(service));  // logs the failure
      throw FieldFailure(kUnavailable,
                         "the " + std::string(service_name(service)) +
                             " service did not respond in time, so the change may or may not "
                             "have been made; read it back before you retry");
    }
    throw field_failure_from(*result.error, service_name(service));
  }
  const http::Response& response = *result.response;
  if (!response.ok()) {
    throw field_failure_from(http::error_from_response(response, service_name(service)),
                             service_name(service));
  }
  if (response.body.empty()) {
    return Json();
  }
  try {
    return parse_service_json(response.body);
  } catch (const std::invalid_argument& error) {
    throw field_failure_from(
        core::Error::internal(std::string("response is not JSON: ") + error.what()),
        service_name(service));
  }
}

void complete_call(const graphql::Promise& promise, http::ClientResult& result, Service service,
                   bool may_have_applied) {
  try {
    promise.set_value(body_of(result, service, may_have_applied));
  } catch (...) {
    promise.set_exception(std::current_exception());
  }
}

}  // namespace

Downstream::Downstream(const GatewayConfig& config, auth::ServiceSecret secret)
    : orders_url_(config.orders_url),
      offers_url_(config.offers_url),
      secret_(std::move(secret)),
      client_(client_options(config)) {}

graphql::Future Downstream::start(const CallerContext& caller, const ServiceCall& call,
                                  const std::shared_ptr<CompletionQueue>& completions) {
  const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
      caller.deadline - std::chrono::steady_clock::now());
  if (remaining.count() <= 0) {
    throw FieldFailure(kUnavailable, "the request timed out before the " +
                                         std::string(service_name(call.service)) +
                                         " service was called; retry later");
  }

  http::ClientRequest request;
  request.method = call.method;
  request.url = (call.service == Service::kOrders ? orders_url_ : offers_url_) + call.target;
  request.timeout = remaining;
  if (call.body) {
    request.body = call.body->dump();
    request.headers.set("Content-Type", "application/json");
  }
  if (call.internal) {
    secret_.add_to(request.headers);
  } else if (caller.authorization) {
    request.headers.set("Authorization", *caller.authorization);
  }
  if (call.forward_client_ip && !call.internal && !caller.client_ip.empty()) {
    secret_.add_to(request.headers);
    request.headers.set("X-Forwarded-For", caller.client_ip);
  }
  if (call.idempotency_key) {
    request.headers.set("Idempotency-Key", *call.idempotency_key);
    request.idempotent = true;
  }
  if (!caller.request_id.empty()) {
    request.headers.set("X-Request-Id", caller.request_id);
  }
  request.headers.set("Accept", "application/json");
  request_counter(call.service).increment();

  graphql::Promise promise;
  const Service service = call.service;
  const bool may_have_applied =
      call.method != "GET" && call.method != "HEAD" && !call.idempotency_key;
  graphql::Future future = promise.get_future();
  client_.send_async(std::move(request), [promise, service, may_have_applied,
                                          completions](http::ClientResult result) mutable {
    if (!completions) {
      complete_call(promise, result, service, may_have_applied);
      return;
    }
    // Parsing the body and what the completion resumes run on the request's thread.
    completions->post([promise, service, may_have_applied, result = std::move(result)]() mutable {
      complete_call(promise, result, service, may_have_applied);
    });
  });
  return future;
}

}  // namespace surplus::gateway
