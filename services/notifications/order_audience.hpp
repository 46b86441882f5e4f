#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <surplus/auth/request_auth.hpp>
#include <surplus/http/client.hpp>

namespace surplus::notifications {

// The readers of an order:{id} channel, as the orders service reports them.
struct OrderAudience {
  std::string customer_id;
  std::optional<std::string> restaurant_id;  // null when the restaurant was deleted
  std::optional<std::string> courier_id;
};

// Requests `GET /internal/orders/{id}/audience` from the orders service and caches each
// response for a short time, so a burst of subscriptions to one order costs one request.
// Thread-safe.
class OrderAudienceClient {
 public:
  // `orders_url` empty: every lookup throws UNAVAILABLE.
  OrderAudienceClient(std::string orders_url, auth::ServiceSecret secret,
                      std::chrono::milliseconds timeout, std::chrono::milliseconds cache_ttl,
                      std::size_t max_cached);

  // Returns the audience, or nullopt when the orders service has no such order (404).
  // Throws core::Error UNAVAILABLE or TIMEOUT when the request fails or gets another
  // status.
  std::optional<OrderAudience> find(const std::string& order_id);

 private:
  struct Cached {
    OrderAudience audience;
    std::chrono::steady_clock::time_point expires_at;
  };

  std::optional<OrderAudience> fetch(const std::string& order_id);
  void remember(const std::string& order_id, const OrderAudience& audience);

  std::string orders_url_;
  auth::ServiceSecret secret_;
  std::chrono::milliseconds cache_ttl_;
  std::size_t max_cached_;
  http::Client client_;
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;
};

}  // namespace surplus::notifications
