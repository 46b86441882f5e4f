#include "operations.hpp"

#include <set>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <surplus/auth/request_auth.hpp>
#include <surplus/http/url.hpp>

namespace surplus::bench {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kBodyExcerpt = 300;

std::string describe(const http::ClientResult& result) {
  if (!result.has_response()) {
    return "no response: " + result.error->message() + " (" + result.error->detail() + ")";
  }
  return fmt::format("HTTP {}: {}", result.response->status,
                     result.response->body.substr(0, kBodyExcerpt));
}

// The JSON body of a 2xx response, or a discarded value after setting `failure`.
Json json_body(const http::ClientResult& result, std::string& failure) {
  if (!result.has_response() || result.response->status < 200 || result.response->status > 299) {
    failure = describe(result);
    return Json(Json::value_t::discarded);
  }
  Json body = Json::parse(result.response->body, nullptr, false);
  if (body.is_discarded()) {
    failure = "response is not JSON: " + describe(result);
  }
  return body;
}

// The `data` member of a GraphQL response without errors; sets `failure` otherwise.
Json graphql_data(const http::ClientResult& result, std::string& failure) {
  Json body = json_body(result, failure);
  if (!failure.empty()) {
    return Json();
  }
  if (body.contains("errors") || !body.contains("data") || !body["data"].is_object()) {
    failure = "GraphQL errors: " + describe(result);
    return Json();
  }
  return std::move(body["data"]);
}

bool is_name(const Json& value) {
  return value.is_string() && !value.get_ref<const std::string&>().empty();
}

std::string check_offer_edges(const Json& data) {
  const Json* edges = nullptr;
  if (data.contains("offers") && data["offers"].is_object() && data["offers"].contains("edges") &&
      data["offers"]["edges"].is_array()) {
    edges = &data["offers"]["edges"];
  }
  if (edges == nullptr || edges->size() != kOffersPerPage) {
    return fmt::format("expected {} offers, got {}", kOffersPerPage,
                       data.dump().substr(0, kBodyExcerpt));
  }
  for (const auto& edge : *edges) {
    const Json* name = nullptr;
    if (edge.contains("node") && edge["node"].contains("restaurant") &&
        edge["node"]["restaurant"].contains("name")) {
      name = &edge["node"]["restaurant"]["name"];
    }
    if (name == nullptr || !is_name(*name)) {
      return "an offer has no restaurant name: " + edge.dump().substr(0, kBodyExcerpt);
    }
  }
  return {};
}

std::string check_confirmed(const Json& order) {
  if (!order.is_object() || order.value("status", std::string()) != "CONFIRMED") {
    return "expected a CONFIRMED order, got " + order.dump().substr(0, kBodyExcerpt);
  }
  return {};
}

std::string number_text(double value) {
  return Json(value).dump();
}

http::ClientRequest graphql_request(const OperationSettings& settings, const Json& body) {
  http::ClientRequest request = http::ClientRequest::json("POST", settings.graphql_url, body);
  request.headers.set("Accept", "application/json");
  request.headers.set("Authorization", "Bearer " + settings.access_token);
  return request;
}

// A new idempotency key per call, and the offers in turn.
class OrderSequence {
 public:
  explicit OrderSequence(const OperationSettings& settings) : settings_(settings) {}

  std::string next_key() { return settings_.idempotency_prefix + std::to_string(keys_++); }
  const std::string& next_offer() {
    return settings_.offer_ids[offers_++ % settings_.offer_ids.size()];
  }

 private:
  const OperationSettings& settings_;
  std::atomic<std::uint64_t> keys_{0};
  std::atomic<std::uint64_t> offers_{0};
};

class GraphQLOffersNear final : public Operation {
 public:
  explicit GraphQLOffersNear(const OperationSettings& settings)
      : settings_(settings),
        body_(
            {{"query", settings.document},
             {"variables",
              {{"near", {{"latitude", settings.latitude}, {"longitude", settings.longitude}}}}}}) {}

  void start(http::Client& client, OperationDone done) override {
    client.send_async(graphql_request(settings_, body_), [done](http::ClientResult result) {
      std::string failure;
      const Json data = graphql_data(result, failure);
      done(failure.empty() ? check_offer_edges(data) : failure);
    });
  }

 private:
  const OperationSettings& settings_;
  Json body_;
};

class DirectOffersNear final : public Operation {
 public:
  explicit DirectOffersNear(const OperationSettings& settings) : settings_(settings) {
    http::QueryParams params{{"latitude", number_text(settings.latitude)},
                             {"longitude", number_text(settings.longitude)},
                             {"radiusKm", number_text(5.0)},
                             {"sort", "distance"}};
    search_url_ = fmt::format("{}/offers?{}&first={}", settings.offers_url,
                              http::build_query(params), kOffersPerPage);
  }

  void start(http::Client& client, OperationDone done) override {
    http::ClientRequest search;
    search.url = search_url_;
    search.headers.set("Accept", "application/json");
    search.headers.set("Authorization", "Bearer " + settings_.access_token);
    client.send_async(std::move(search), [this, &client, done](http::ClientResult result) {
      std::string failure;
      const Json page = json_body(result, failure);
      if (!failure.empty()) {
        done(failure);
        return;
      }
      look_up_restaurants(client, page, done);
    });
  }

 private:
  // The second call: the restaurants of every offer of `page`, in one batch.
  void look_up_restaurants(http::Client& client, const Json& page, const OperationDone& done) {
    const auto items = page.find("items");
    if (items == page.end() || !items->is_array() || items->size() != kOffersPerPage) {
      done(fmt::format("expected {} offers, got {}", kOffersPerPage,
                       page.dump().substr(0, kBodyExcerpt)));
      return;
    }
    // The restaurant id of each offer: all the check of the second response needs.
    std::vector<std::string> restaurant_ids;
    std::set<std::string> seen;
    std::string ids;
    for (const auto& offer : *items) {
      restaurant_ids.push_back(offer.value("restaurantId", std::string()));
      if (seen.insert(restaurant_ids.back()).second) {
        ids += (ids.empty() ? "" : ",") + http::percent_encode(restaurant_ids.back());
      }
    }
    http::ClientRequest lookup;
    lookup.url = settings_.orders_url + "/internal/restaurants?ids=" + ids;
    lookup.headers.set("Accept", "application/json");
    lookup.headers.set(std::string(auth::kServiceSecretHeader), settings_.service_secret);
    client.send_async(std::move(lookup), [restaurant_ids = std::move(restaurant_ids),
                                          done](http::ClientResult result) {
      std::string failure;
      const Json restaurants = json_body(result, failure);
      done(failure.empty() ? check_names(restaurant_ids, restaurants) : failure);
    });
  }

  static std::string check_names(const std::vector<std::string>& restaurant_ids,
                                 const Json& restaurants) {
    std::set<std::string> named;
    const auto items = restaurants.find("items");
    if (items != restaurants.end() && items->is_array()) {
      for (const auto& restaurant : *items) {
        if (is_name(restaurant.value("name", Json()))) {
          named.insert(restaurant.value("id", std::string()));
        }
      }
    }
    for (const auto& id : restaurant_ids) {
      if (!named.contains(id)) {
        return "no restaurant name for restaurant " + id;
      }
    }
    return {};
  }

  const OperationSettings& settings_;
  std::string search_url_;
};

class GraphQLPlaceOrder final : public Operation {
 public:
  explicit GraphQLPlaceOrder(const OperationSettings& settings)
      : settings_(settings), sequence_(settings) {}

  void start(http::Client& client, OperationDone done) override {
    const Json input = {{"offerId", sequence_.next_offer()},
                        {"quantity", 1},
                        {"idempotencyKey", sequence_.next_key()}};
    const Json body = {{"query", settings_.document}, {"variables", {{"input", input}}}};
    client.send_async(graphql_request(settings_, body), [done](http::ClientResult result) {
      std::string failure;
      const Json data = graphql_data(result, failure);
      done(failure.empty() ? check_confirmed(data.value("placeOrder", Json())) : failure);
    });
  }

 private:
  const OperationSettings& settings_;
  OrderSequence sequence_;
};

class DirectPlaceOrder final : public Operation {
 public:
  explicit DirectPlaceOrder(const OperationSettings& settings)
      : settings_(settings), sequence_(settings) {}

  void start(http::Client& client, OperationDone done) override {
    const Json body = {
        {"offerId", sequence_.next_offer()}, {"quantity", 1}, {"fulfilment", "PICKUP"}};
    http::ClientRequest request =
        http::ClientRequest::json("POST", settings_.orders_url + "/orders", body);
    request.headers.set("Accept", "application/json");
    request.headers.set("Authorization", "Bearer " + settings_.access_token);
    request.headers.set("Idempotency-Key", sequence_.next_key());
    client.send_async(std::move(request), [done](http::ClientResult result) {
      std::string failure;
      const Json order = json_body(result, failure);
      done(failure.empty() ? check_confirmed(order) : failure);
    });
  }

 private:
  const OperationSettings& settings_;
  OrderSequence sequence_;
};

}  // namespace

std::unique_ptr<Operation> graphql_offers_near(const OperationSettings& settings) {
  return std::make_unique<GraphQLOffersNear>(settings);
}

std::unique_ptr<Operation> direct_offers_near(const OperationSettings& settings) {
  return std::make_unique<DirectOffersNear>(settings);
}

std::unique_ptr<Operation> graphql_place_order(const OperationSettings& settings) {
  return std::make_unique<GraphQLPlaceOrder>(settings);
}

std::unique_ptr<Operation> direct_place_order(const OperationSettings& settings) {
  return std::make_unique<DirectPlaceOrder>(settings);
}

}  // namespace surplus::bench
