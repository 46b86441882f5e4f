#pragma once

// Test support for the order flow: the real orders routes and a real offers service
// (surplus_offers_service) run in the test process. Each has its own loopback port and its
// own fresh database of the parameter's backend, both share the signing key and the
// service secret, and each has the other's URL (OFFERS_URL and ORDERS_URL).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <surplus/auth/jwt.hpp>
#include <surplus/db/testing.hpp>
#include <surplus/http/client.hpp>
#include <surplus/http/server.hpp>

#include "orders_config.hpp"
#include "reconciler.hpp"
#include "test_server.hpp"

namespace surplus::orders::testing {

struct TestUser {
  std::string id;
  std::string token;
};

struct TestRestaurant {
  std::string id;
  TestUser staff;  // a STORE user whose token lists the restaurant
};

class OrderFlowTest : public ::testing::TestWithParam<db::testing::Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  OrdersTestServer& orders() { return *orders_; }
  db::Database& orders_db() { return orders_->database(); }
  db::Database& offers_db() { return offers_database_->database(); }

  // Stops the offers server (its port is then refused), and starts it again on the same
  // port and database.
  void stop_offers();
  void start_offers();

  // Sends a request to the offers service with the service secret or a token.
  http::Response offers_call(const std::string& method, const std::string& target,
                             const std::optional<nlohmann::json>& body = std::nullopt,
                             const std::optional<std::string>& token = std::nullopt);

  TestUser customer(const std::string& name);
  TestUser courier(const std::string& name);
  TestRestaurant restaurant(const std::string& name);
  // An access token for an ADMIN that exists only in the token.
  std::string admin_token();
  // A published surprise bag of `units` at 300 (value 900) EUR, pickup from 1 h to 3 h
  // from now; returns its id.
  std::string publish_offer(const TestRestaurant& restaurant, int units, int max_per_customer = 0);

  // POST /orders with the Idempotency-Key.
  http::Response place(const TestUser& customer, const std::string& offer_id, int quantity = 1,
                       const std::optional<std::string>& key = std::nullopt,
                       const std::string& fulfilment = "PICKUP",
                       const std::optional<nlohmann::json>& address = std::nullopt);

  std::int64_t offer_quantity_available(const std::string& offer_id);
  std::int64_t outbox_count(const std::string& type);
  std::int64_t count_orders(const std::string& status);

  // A reconciler over the orders database with the test server's settings.
  std::unique_ptr<Reconciler> make_reconciler();

  // Extra settings for the orders server.
  virtual std::map<std::string, std::string> orders_env() const { return {}; }

 private:
  std::map<std::string, std::string> environment() const;
  void start_offers_on(std::uint16_t port);

  std::unique_ptr<auth::KeyPair> key_;
  std::string public_key_file_;  // the orders service writes its public key here
  std::unique_ptr<db::testing::TestDatabase> offers_database_;
  std::unique_ptr<http::Server> offers_server_;
  std::uint16_t offers_port_ = 0;
  std::string orders_url_;  // ORDERS_URL of the offers service once the orders server runs
  std::unique_ptr<OrdersTestServer> orders_;
  std::unique_ptr<http::Client> client_;
};

// Runs `body(i)` for i in [0, count) on `threads` threads that start together.
void run_concurrently(int count, int threads, const std::function<void(int)>& body);

// The body of POST /restaurants/{id}/offers for a published surprise bag of `units` at 300
// (value 900) EUR, pickup from 1 h to 3 h from now.
nlohmann::json surprise_bag_offer(int units, int max_per_customer = 0);

// An access token signed with `key`, valid for 15 minutes.
std::string access_token(const auth::KeyPair& key, const std::string& user_id, auth::Role role,
                         std::vector<std::string> restaurants = {});

// The units of the offer's HELD reservations in an offers database.
std::int64_t held_reservation_units(db::Database& offers_database, const std::string& offer_id);

// Inserts `count` CUSTOMER accounts straight into an orders database and returns their
// ids. Registration over HTTP would spend most of a large test in Argon2.
std::vector<std::string> insert_customers(db::Database& orders_database, int count);

}  // namespace surplus::orders::testing
