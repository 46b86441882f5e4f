#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <surplus/auth/request_auth.hpp>
#include <surplus/http/client.hpp>

#include "order.hpp"
#include "orders_store.hpp"
#include "restaurants_store.hpp"

// Calls from the orders service to the internal API of the offers service, authenticated
// with the service secret. Every call is idempotent on the offers side (keyed by the order
// id), so the reconciler may repeat any of them.
namespace surplus::orders {

// How a call ended: done, refused by the offers service for a reason that repeating the
// call will not change, or not answered (unreachable, timed out, 5xx, or a response this
// client cannot use), in which case the caller retries later.
enum class CallOutcome { kDone, kRefused, kUnavailable };

struct ReserveResult {
  CallOutcome outcome = CallOutcome::kUnavailable;
  std::optional<ReservationSnapshot> snapshot;  // when kDone
  std::string code;                             // when kRefused: SOLD_OUT, LIMIT_EXCEEDED, ...
  std::string message;
};

// The outcome of a call that returns no value, with the reason in `message` on failure.
struct CallResult {
  CallOutcome outcome = CallOutcome::kUnavailable;
  std::string message;
};

struct DeliveryInfo {
  std::string id;
  std::string status;  // PENDING, ASSIGNED, PICKED_UP, DELIVERED, FAILED, CANCELLED
  std::optional<std::string> courier_id;
  std::optional<std::string> failure_reason;
};

struct DeliveryResult {
  CallOutcome outcome = CallOutcome::kUnavailable;
  std::optional<DeliveryInfo> delivery;  // when kDone
  std::string message;
};

// The restaurant that sells an offer, and the location the offers service copied when the
// offer was published.
struct OfferPlace {
  std::string restaurant_id;
  std::optional<core::GeoPoint> location;
};

struct OfferPlaceResult {
  CallOutcome outcome = CallOutcome::kUnavailable;
  std::optional<OfferPlace> place;  // when kDone
  std::string message;
};

class OffersClient {
 public:
  // `base_url` is like http://127.0.0.1:4002; `timeout` bounds each attempt.
  OffersClient(std::string base_url, auth::ServiceSecret secret, std::chrono::milliseconds timeout);

  // PUT /internal/reservations/{orderId}.
  ReserveResult reserve(const Order& order);
  // PUT /internal/restaurants/{restaurantId} with the name, location and updatedAt, which
  // the offers service uses to ignore a copy older than the one it has.
  CallResult put_restaurant(const Restaurant& restaurant);
  // GET /offers/{offerId}; kRefused when the offer does not exist or is a draft.
  OfferPlaceResult offer_place(const std::string& offer_id);
  // DELETE /internal/reservations/{orderId}; releasing an unknown or released id is done.
  CallOutcome release(const std::string& order_id);
  // POST /internal/deliveries, from the restaurant at `pickup` to the order's address.
  DeliveryResult create_delivery(const Order& order, core::GeoPoint pickup);
  // GET /internal/orders/{orderId}/delivery; kRefused when the order has no delivery.
  DeliveryResult delivery_of(const std::string& order_id);
  // POST /internal/deliveries/{deliveryId}/status with CANCELLED.
  DeliveryResult cancel_delivery(const std::string& delivery_id, const std::string& reason);

  const std::string& base_url() const { return base_url_; }

 private:
  std::optional<http::Response> send(http::ClientRequest request, std::string& failure);

  std::string base_url_;
  auth::ServiceSecret secret_;
  std::chrono::milliseconds timeout_;
  http::Client client_;
};

}  // namespace surplus::orders
