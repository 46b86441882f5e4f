#include "order_audience.hpp"

#include <spdlog/spdlog.h>

#include <surplus/core/error.hpp>

namespace surplus::notifications {
namespace {

// Reads a string member that may be null; throws UNAVAILABLE for any other value.
std::optional<std::string> optional_string(const nlohmann::json& body, const char* name,
                                           const std::string& url) {
  auto it = body.find(name);
  if (it != body.end() && it->is_string()) {
    return it->get<std::string>();
  }
  if (it == body.end() || it->is_null()) {
    return std::nullopt;
  }
  throw core::Error::unavailable("the orders service sent an invalid order audience",
                                 std::string(name) + " is neither a string nor null in " + url);
}

}  // namespace

OrderAudienceClient::OrderAudienceClient(std::string orders_url, auth::ServiceSecret secret,
                                         std::chrono::milliseconds timeout,
                                         std::chrono::milliseconds cache_ttl,
                                         std::size_t max_cached)
    : orders_url_(std::move(orders_url)),
      secret_(std::move(secret)),
      cache_ttl_(cache_ttl),
      max_cached_(max_cached),
      client_(http::ClientOptions{.connect_timeout = timeout, .request_timeout = timeout}) {}

std::optional<OrderAudience> OrderAudienceClient::find(const std::string& order_id) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(order_id);
    if (it != cache_.end() && it->second.expires_at > now) {
      return it->second.audience;
    }
  }
  // Only known orders are cached: an order created a moment ago must not stay unknown.
  auto audience = fetch(order_id);
  if (audience) {
    remember(order_id, *audience);
  }
  return audience;
}

std::optional<OrderAudience> OrderAudienceClient::fetch(const std::string& order_id) {
  if (orders_url_.empty()) {
    throw core::Error::unavailable("order channels are unavailable: ORDERS_URL is not set");
  }
  // The id passed parse_channel, so it contains only [A-Za-z0-9_-] and needs no escaping.
  auto url = orders_url_ + "/internal/orders/" + order_id + "/audience";
  http::ClientRequest request;
  request.url = url;
  secret_.add_to(request.headers);
  auto response = client_.send(std::move(request));
  if (response.status == 404) {
    return std::nullopt;
  }
  if (!response.ok()) {
    throw http::error_from_response(response, url);
  }
  auto body = response.body_json();
  OrderAudience audience;
  auto customer = optional_string(body, "customerId", url);
  if (!customer) {
    throw core::Error::unavailable("the orders service sent an invalid order audience",
                                   "customerId missing in " + url);
  }
  audience.customer_id = *customer;
  audience.restaurant_id = optional_string(body, "restaurantId", url);
  audience.courier_id = optional_string(body, "courierId", url);
  return audience;
}

void OrderAudienceClient::remember(const std::string& order_id, const OrderAudience& audience) {
  if (cache_ttl_.count() <= 0) {
    return;
  }
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (cache_.size() >= max_cached_) {
    std::erase_if(cache_, [now](const auto& entry) { return entry.second.expires_at <= now; });
  }
  if (cache_.size() >= max_cached_) {
    cache_.clear();  // every entry is fresh: a burst of distinct orders; start over
  }
  cache_[order_id] = {audience, now + cache_ttl_};
}

}  // namespace surplus::notifications
