#include "offers_client.hpp"

#include <spdlog/spdlog.h>

namespace surplus::orders {
namespace {

http::ClientOptions client_options(std::chrono::milliseconds timeout) {
  http::ClientOptions options;
  options.connect_timeout = std::min(timeout, std::chrono::milliseconds(2000));
  options.request_timeout = timeout;
  options.max_connections_per_host = 64;
  // One attempt, because the reconciler is the retry loop and a request that waits here
  // occupies a worker thread of the orders service.
  options.max_attempts = 1;
  return options;
}

std::string problem_code(const http::Response& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("code") && body["code"].is_string()) {
    return body["code"].get<std::string>();
  }
  return "";
}

std::string problem_detail(const http::Response& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("detail") && body["detail"].is_string()) {
    return body["detail"].get<std::string>();
  }
  return "HTTP " + std::to_string(response.status);
}

core::Timestamp required_time(const nlohmann::json& value) {
  auto time = core::parse_rfc3339(value.get<std::string>());
  if (!time) {
    throw std::runtime_error("not an RFC 3339 time: " + value.dump());
  }
  return *time;
}

// The snapshot from a reservation response: {"unitPrice", ..., "offer": {...}}.
ReservationSnapshot snapshot_from(const nlohmann::json& body) {
  const auto& offer = body.at("offer");
  ReservationSnapshot snapshot;
  snapshot.restaurant_id = offer.at("restaurantId").get<std::string>();
  snapshot.title = offer.at("title").get<std::string>();
  snapshot.unit_price = body.at("unitPrice").is_null() ? offer.at("price").get<core::Money>()
                                                       : body.at("unitPrice").get<core::Money>();
  snapshot.original_unit_price = offer.at("originalValue").get<core::Money>();
  snapshot.pickup_start = required_time(offer.at("pickupWindow").at("start"));
  snapshot.pickup_end = required_time(offer.at("pickupWindow").at("end"));
  return snapshot;
}

DeliveryInfo delivery_from(const nlohmann::json& body) {
  DeliveryInfo info;
  info.id = body.at("id").get<std::string>();
  info.status = body.at("status").get<std::string>();
  if (body.contains("courierId") && body["courierId"].is_string()) {
    info.courier_id = body["courierId"].get<std::string>();
  }
  if (body.contains("failureReason") && body["failureReason"].is_string()) {
    info.failure_reason = body["failureReason"].get<std::string>();
  }
  return info;
}

DeliveryResult delivery_result(const std::optional<http::Response>& response,
                               const std::string& failure) {
  DeliveryResult result;
  if (!response) {
    result.message = failure;
    return result;
  }
  if (response->status >= 200 && response->status < 300) {
    try {
      result.delivery = delivery_from(response->body_json());
      result.outcome = CallOutcome::kDone;
    } catch (const std::exception& error) {
      result.message = std::string("unreadable delivery response: ") + error.what();
    }
    return result;
  }
  result.message = problem_code(*response) + ": " + problem_detail(*response);
  if (response->status >= 400 && response->status < 500 && response->status != 401 &&
      response->status != 429) {
    result.outcome = CallOutcome::kRefused;
  }
  return result;
}

}  // namespace

OffersClient::OffersClient(std::string base_url, auth::ServiceSecret secret,
                           std::chrono::milliseconds timeout)
    : base_url_(std::move(base_url)),
      secret_(std::move(secret)),
      timeout_(timeout),
      client_(client_options(timeout)) {}

std::optional<http::Response> OffersClient::send(http::ClientRequest request,
                                                 std::string& failure) {
  secret_.add_to(request.headers);
  request.timeout = timeout_;
  try {
    return client_.send(std::move(request));
  } catch (const core::Error& error) {
    failure = error.message() + " (" + error.detail() + ")";
    return std::nullopt;
  }
}

ReserveResult OffersClient::reserve(const Order& order) {
  std::string failure;
  auto response =
      send(http::ClientRequest::json("PUT", base_url_ + "/internal/reservations/" + order.id,
                                     {{"offerId", order.offer_id},
                                      {"customerId", order.customer_id},
                                      {"quantity", order.quantity}}),
           failure);
  ReserveResult result;
  if (!response) {
    result.message = failure;
    return result;
  }
  if (response->status == 200 || response->status == 201) {
    try {
      result.snapshot = snapshot_from(response->body_json());
      result.outcome = CallOutcome::kDone;
    } catch (const std::exception& error) {
      result.message = std::string("unreadable reservation response: ") + error.what();
      spdlog::error("reservation of order {}: {}", order.id, result.message);
    }
    return result;
  }
  std::string code = problem_code(*response);
  result.message = problem_detail(*response);
  if (code == "SOLD_OUT" || code == "LIMIT_EXCEEDED" || code == "OFFER_NOT_ACTIVE" ||
      code == "CONFLICT") {
    result.outcome = CallOutcome::kRefused;
    result.code = code;
  } else if (code == "NOT_FOUND") {
    result.outcome = CallOutcome::kRefused;
    result.code = "OFFER_NOT_ACTIVE";
    result.message = "offer " + order.offer_id + " does not exist";
  } else if (response->status < 500) {
    // A validation or authentication failure is a bug or a wrong SERVICE_SECRET; the order
    // stays PENDING so that fixing the configuration completes it.
    spdlog::error("offers service rejected the reservation of order {}: HTTP {} {} {}", order.id,
                  response->status, code, result.message);
  }
  return result;
}

CallResult OffersClient::put_restaurant(const Restaurant& restaurant) {
  // NOTE: updatedAt goes out with millisecond precision, so of two changes to one restaurant
  // within the same millisecond, sent by different processes, the offers service may keep
  // the one that arrives last rather than the newer one.
  auto request =
      http::ClientRequest::json("PUT", base_url_ + "/internal/restaurants/" + restaurant.id,
                                {{"name", restaurant.name},
                                 {"latitude", restaurant.latitude},
                                 {"longitude", restaurant.longitude},
                                 {"updatedAt", core::format_rfc3339(restaurant.updated_at)}});
  std::string failure;
  auto response = send(std::move(request), failure);
  CallResult result;
  if (!response) {
    result.message = failure;
  } else if (response->status == 200) {
    result.outcome = CallOutcome::kDone;
  } else {
    result.message = "HTTP " + std::to_string(response->status) + " " + problem_code(*response) +
                     ": " + problem_detail(*response);
    if (response->status >= 400 && response->status < 500) {
      // Retrying cannot fix a rejected body or a wrong SERVICE_SECRET, but the row stays so
      // that the change arrives once the cause is fixed.
      spdlog::error("offers service rejected the location of restaurant {}: {}", restaurant.id,
                    result.message);
    }
  }
  return result;
}

OfferPlaceResult OffersClient::offer_place(const std::string& offer_id) {
  http::ClientRequest request;
  request.url = base_url_ + "/offers/" + offer_id;
  std::string failure;
  auto response = send(std::move(request), failure);
  OfferPlaceResult result;
  if (!response) {
    result.message = failure;
    return result;
  }
  if (response->status == 404) {
    result.outcome = CallOutcome::kRefused;
    result.message = problem_detail(*response);
    return result;
  }
  if (response->status != 200) {
    result.message = "HTTP " + std::to_string(response->status) + " " + problem_detail(*response);
    return result;
  }
  try {
    auto body = response->body_json();
    OfferPlace place;
    place.restaurant_id = body.at("restaurantId").get<std::string>();
    const auto& location = body.at("location");
    if (location.is_object()) {
      place.location = core::GeoPoint{location.at("latitude").get<double>(),
                                      location.at("longitude").get<double>()};
    }
    result.place = std::move(place);
    result.outcome = CallOutcome::kDone;
  } catch (const std::exception& error) {
    result.message = std::string("unreadable offer response: ") + error.what();
  }
  return result;
}

CallOutcome OffersClient::release(const std::string& order_id) {
  http::ClientRequest request;
  request.method = "DELETE";
  request.url = base_url_ + "/internal/reservations/" + order_id;
  std::string failure;
  auto response = send(std::move(request), failure);
  if (!response) {
    spdlog::debug("release of order {} not sent: {}", order_id, failure);
    return CallOutcome::kUnavailable;
  }
  if (response->status == 200) {
    return CallOutcome::kDone;
  }
  spdlog::warn("offers service did not release order {}: HTTP {} {}", order_id, response->status,
               problem_detail(*response));
  return CallOutcome::kUnavailable;
}

DeliveryResult OffersClient::create_delivery(const Order& order, core::GeoPoint pickup) {
  nlohmann::json body{
      {"orderId", order.id},
      {"restaurantId", order.restaurant_id.value_or("")},
      {"customerId", order.customer_id},
      {"pickup", {{"latitude", pickup.latitude}, {"longitude", pickup.longitude}}},
      {"dropoff",
       {{"latitude", order.delivery_address->location.latitude},
        {"longitude", order.delivery_address->location.longitude}}},
      {"dropoffAddress", order.delivery_address->address},
  };
  std::string failure;
  auto request = http::ClientRequest::json("POST", base_url_ + "/internal/deliveries", body);
  request.idempotent = true;  // the offers service keeps one delivery per order id
  auto response = send(std::move(request), failure);
  return delivery_result(response, failure);
}

DeliveryResult OffersClient::delivery_of(const std::string& order_id) {
  http::ClientRequest request;
  request.url = base_url_ + "/internal/orders/" + order_id + "/delivery";
  std::string failure;
  auto response = send(std::move(request), failure);
  return delivery_result(response, failure);
}

DeliveryResult OffersClient::cancel_delivery(const std::string& delivery_id,
                                             const std::string& reason) {
  std::string failure;
  auto response = send(http::ClientRequest::json(
                           "POST", base_url_ + "/internal/deliveries/" + delivery_id + "/status",
                           {{"status", "CANCELLED"}, {"reason", reason}}),
                       failure);
  return delivery_result(response, failure);
}

}  // namespace surplus::orders
