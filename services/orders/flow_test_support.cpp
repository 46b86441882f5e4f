#include "flow_test_support.hpp"

#include <atomic>
#include <barrier>
#include <cctype>
#include <filesystem>
#include <thread>

#include <surplus/core/id.hpp>
#include <surplus/db/migrate.hpp>
#include <surplus/service/service.hpp>

#include "../offers/migrations.hpp"
#include "../offers/service.hpp"

namespace surplus::orders::testing {
namespace {

core::EnvReader env_reader(std::map<std::string, std::string> values) {
  return core::EnvReader([values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional(it->second);
  });
}

// A new address; `name` only helps reading logs, so its non-alphanumeric characters go.
std::string unique_email(const std::string& name) {
  std::string local;
  for (char c : name) {
    local.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '-');
  }
  return local + "-" + core::new_uuid_v7().substr(24) + "@example.com";
}

std::string window_edge(std::chrono::minutes from_now) {
  return core::format_rfc3339(core::now() + from_now);
}

}  // namespace

void run_concurrently(int count, int threads, const std::function<void(int)>& body) {
  std::atomic<int> next{0};
  std::barrier start(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = next.fetch_add(1); i < count; i = next.fetch_add(1)) {
        body(i);
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
}

nlohmann::json surprise_bag_offer(int units, int max_per_customer) {
  nlohmann::json body{
      {"kind", "SURPRISE_BAG"},
      {"title", "Bakery surprise bag"},
      {"description", "Bread and pastries from today"},
      {"category", "bakery"},
      {"price", {{"amount", 300}, {"currency", "EUR"}}},
      {"originalValue", {{"amount", 900}, {"currency", "EUR"}}},
      {"quantity", units},
      {"pickupWindow",
       {{"start", window_edge(std::chrono::minutes(60))},
        {"end", window_edge(std::chrono::minutes(180))}}},
      {"publish", true},
  };
  if (max_per_customer > 0) {
    body["maxPerCustomer"] = max_per_customer;
  }
  return body;
}

std::string access_token(const auth::KeyPair& key, const std::string& user_id, auth::Role role,
                         std::vector<std::string> restaurants) {
  auth::Claims claims;
  claims.subject = user_id;
  claims.role = role;
  claims.restaurants = std::move(restaurants);
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  claims.issued_at = now;
  claims.expires_at = now + std::chrono::minutes(15);
  claims.token_id = core::new_uuid_v7();
  return auth::sign_access_token(claims, key);
}

std::int64_t held_reservation_units(db::Database& offers_database, const std::string& offer_id) {
  return offers_database
      .execute(
          "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM reservations "
          "WHERE offer_id = $1 AND status = 'HELD'",
          {offer_id})
      .one()
      .get<std::int64_t>(0);
}

std::vector<std::string> insert_customers(db::Database& orders_database, int count) {
  std::vector<std::string> ids;
  auto micros = core::to_unix_micros(core::now());
  orders_database.transaction([&](db::Session& session) {
    ids.clear();
    for (int i = 0; i < count; ++i) {
      ids.push_back(core::new_uuid_v7());
      session.execute(
          "INSERT INTO users (id, email, email_key, password_hash, display_name, role, "
          "created_at, updated_at) VALUES ($1, $2, $2, 'no login', $3, 'CUSTOMER', $4, $4)",
          {ids.back(), unique_email("customer" + std::to_string(i)),
           "Customer " + std::to_string(i), micros});
    }
  });
  return ids;
}

void OrderFlowTest::SetUp() {
  if (GetParam() == db::testing::Backend::kPostgres && !db::testing::postgres_available()) {
    if (db::testing::postgres_required()) {
      FAIL() << "SURPLUS_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set";
    }
    GTEST_SKIP() << "TEST_DATABASE_URL is not set";
  }
  key_ = std::make_unique<auth::KeyPair>(auth::KeyPair::generate());
  public_key_file_ = ::testing::TempDir() + "surplus-order-flow-" + core::new_uuid_v7() + ".pub";
  offers_database_ = std::make_unique<db::testing::TestDatabase>(GetParam());
  db::migrate(offers_database_->database(), offers::migrations());
  start_offers_on(0);

  http::ClientOptions options;
  options.max_connections_per_host = 64;
  options.max_attempts = 1;
  client_ = std::make_unique<http::Client>(options);
  orders_ = std::make_unique<OrdersTestServer>(GetParam(), environment());
  // The offers service needs ORDERS_URL as well (for products and restaurants it has no
  // copy of), which is known only now, so it starts again on the same port.
  orders_url_ = orders_->base_url();
  stop_offers();
  start_offers();
}

void OrderFlowTest::TearDown() {
  orders_.reset();
  if (offers_server_) {
    offers_server_->stop();
  }
  offers_server_.reset();
  client_.reset();
  offers_database_.reset();
  std::error_code ignored;
  std::filesystem::remove(public_key_file_, ignored);
}

std::map<std::string, std::string> OrderFlowTest::environment() const {
  std::map<std::string, std::string> values = {
      {"AUTH_PRIVATE_KEY", key_->seed_base64()},
      {"OFFERS_URL", "http://127.0.0.1:" + std::to_string(offers_port_)},
      {"OFFERS_TIMEOUT", "2s"},
      // Tests run reconciler passes themselves, at the moments they choose.
      {"ORDER_RECONCILE_INTERVAL", "0s"},
      {"ORDER_PENDING_MIN_AGE", "0s"},
      {"ORDER_CLAIM_LEASE", "1h"},
      {"OUTBOX_RELAY_ENABLED", "false"},
      {"AUTH_PUBLIC_KEY_FILE", public_key_file_},
  };
  for (auto& [name, value] : orders_env()) {
    values[name] = value;
  }
  return values;
}

void OrderFlowTest::start_offers_on(std::uint16_t port) {
  auto env = env_reader({{"AUTH_PUBLIC_KEY", key_->public_key().to_base64()},
                         {"ORDERS_URL", orders_url_.empty() ? "off" : orders_url_},
                         {"OUTBOX_RELAY_ENABLED", "false"},
                         {"OFFER_EXPIRY_INTERVAL", "1h"},
                         {"SERVICE_SECRET", std::string(OrdersTestServer::kTestServiceSecret)}});
  service::Settings settings;
  settings.server.port = port;
  settings.server.worker_threads = 16;
  settings.server.service_name = "offers-test";
  http::Router router;
  service::ServiceContext context{"offers", env, settings, &offers_database_->database(), router};
  offers::definition().install_routes(context);
  offers_server_ = std::make_unique<http::Server>(settings.server, std::move(router));
  offers_server_->start();
  offers_port_ = offers_server_->port();
}

void OrderFlowTest::stop_offers() {
  offers_server_->stop();
  offers_server_.reset();
}

void OrderFlowTest::start_offers() {
  start_offers_on(offers_port_);
}

http::Response OrderFlowTest::offers_call(const std::string& method, const std::string& target,
                                          const std::optional<nlohmann::json>& body,
                                          const std::optional<std::string>& token) {
  std::string url = "http://127.0.0.1:" + std::to_string(offers_port_) + target;
  http::ClientRequest request;
  if (body) {
    request = http::ClientRequest::json(method, url, *body);
  } else {
    request.method = method;
    request.url = url;
  }
  if (token) {
    request.headers.set("Authorization", "Bearer " + *token);
  } else {
    request.headers.set("X-Service-Secret", std::string(OrdersTestServer::kTestServiceSecret));
  }
  return client_->send(std::move(request));
}

TestUser OrderFlowTest::customer(const std::string& name) {
  auto tokens = orders_->register_user(unique_email(name), "CUSTOMER");
  return {tokens["user"]["id"].get<std::string>(), tokens["accessToken"].get<std::string>()};
}

TestUser OrderFlowTest::courier(const std::string& name) {
  auto email = unique_email(name);
  auto tokens = orders_->register_user(email, "COURIER");
  TestUser user{tokens["user"]["id"].get<std::string>(), tokens["accessToken"].get<std::string>()};
  auto created = offers_call("POST", "/couriers",
                             nlohmann::json{{"name", name}, {"vehicle", "BIKE"}}, user.token);
  EXPECT_EQ(created.status, 201) << created.body;
  auto available = offers_call("PATCH", "/couriers/" + user.id,
                               nlohmann::json{{"status", "AVAILABLE"}}, user.token);
  EXPECT_EQ(available.status, 200) << available.body;
  return user;
}

TestRestaurant OrderFlowTest::restaurant(const std::string& name) {
  auto email = unique_email(name);
  auto tokens = orders_->register_user(email, "STORE");
  auto created = orders_->create_restaurant(tokens["accessToken"].get<std::string>(), name);
  // Log in again, so the token lists the new restaurant for the offers service. The orders
  // service has sent the offers service its location already.
  auto fresh = orders_->login(email);
  return {created["id"].get<std::string>(),
          {fresh["user"]["id"].get<std::string>(), fresh["accessToken"].get<std::string>()}};
}

std::string OrderFlowTest::admin_token() {
  return access_token(*key_, core::new_uuid_v7(), auth::Role::kAdmin);
}

std::string OrderFlowTest::publish_offer(const TestRestaurant& restaurant, int units,
                                         int max_per_customer) {
  auto response = offers_call("POST", "/restaurants/" + restaurant.id + "/offers",
                              surprise_bag_offer(units, max_per_customer), restaurant.staff.token);
  EXPECT_EQ(response.status, 201) << response.body;
  return response.body_json().value("id", "");
}

http::Response OrderFlowTest::place(const TestUser& customer, const std::string& offer_id,
                                    int quantity, const std::optional<std::string>& key,
                                    const std::string& fulfilment,
                                    const std::optional<nlohmann::json>& address) {
  nlohmann::json body{{"offerId", offer_id}, {"quantity", quantity}, {"fulfilment", fulfilment}};
  if (address) {
    body["deliveryAddress"] = *address;
  }
  http::Headers headers;
  headers.set("Idempotency-Key", key.value_or(core::new_uuid_v7()));
  return orders_->call("POST", "/orders", body, customer.token, headers);
}

std::int64_t OrderFlowTest::offer_quantity_available(const std::string& offer_id) {
  auto response = offers_call("GET", "/offers/" + offer_id);
  EXPECT_EQ(response.status, 200) << response.body;
  return response.body_json().value("quantityAvailable", std::int64_t{-1});
}

std::int64_t OrderFlowTest::outbox_count(const std::string& type) {
  return orders_db()
      .execute("SELECT COUNT(*) FROM outbox WHERE event_type = $1", {type})
      .one()
      .get<std::int64_t>(0);
}

std::int64_t OrderFlowTest::count_orders(const std::string& status) {
  return orders_db()
      .execute("SELECT COUNT(*) FROM orders WHERE status = $1", {status})
      .one()
      .get<std::int64_t>(0);
}

std::unique_ptr<Reconciler> OrderFlowTest::make_reconciler() {
  auto values = environment();
  values["SERVICE_SECRET"] = std::string(OrdersTestServer::kTestServiceSecret);
  values["ARGON2_OPS_LIMIT"] = "1";
  values["ARGON2_MEM_LIMIT"] = "64KiB";
  auto env = env_reader(values);
  return std::make_unique<Reconciler>(make_orders_app(env, orders_db()));
}

}  // namespace surplus::orders::testing
