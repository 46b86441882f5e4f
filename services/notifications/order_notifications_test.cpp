// End to end with the real orders and offers services in the test process: an order's
// events travel through the orders outbox relay to the sockets of its customer and its
// store, and order:{id} channels are authorized by the orders service's audience.
#include <gtest/gtest.h>

#include <surplus/auth/keys.hpp>
#include <surplus/core/id.hpp>
#include <surplus/db/migrate.hpp>
#include <surplus/events/relay.hpp>

#include "../orders/flow_test_support.hpp"
#include "migrations.hpp"
#include "test_support.hpp"

namespace surplus::notifications::testing {
namespace {

using orders::testing::OrdersTestServer;
using orders::testing::TestRestaurant;
using orders::testing::TestUser;

class OrderNotificationsTest : public orders::testing::OrderFlowTest {
 protected:
  void SetUp() override {
    OrderFlowTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    database_ = std::make_unique<db::testing::TestDatabase>(GetParam());
    db::migrate(database_->database(), migrations());
    // The key the orders server signs with, as it publishes it to other services.
    auto document = orders().call("GET", "/auth/public-key");
    ASSERT_EQ(document.status, 200) << document.body;
    auto public_key = auth::parse_public_key_document(document.body_json());
    ASSERT_TRUE(public_key.has_value()) << document.body;
    notifications_ = std::make_unique<NotificationsServer>(
        database_->database(), *public_key,
        std::map<std::string, std::string>{
            {"ORDERS_URL", orders().base_url()},
            {"SERVICE_SECRET", std::string(OrdersTestServer::kTestServiceSecret)}});
  }

  void TearDown() override {
    notifications_.reset();
    database_.reset();
    OrderFlowTest::TearDown();
  }

  // Sends the orders service's outbox to the notifications service, as its relay does.
  std::size_t relay_orders_outbox() {
    events::RelayOptions options;
    options.url = notifications_->url() + "/internal/events";
    options.service_secret = std::string(OrdersTestServer::kTestServiceSecret);
    events::OutboxRelay relay(orders_db(), options);
    return relay.flush_once();
  }

  std::unique_ptr<WsClient> connect(const std::string& token) {
    WsClientOptions options;
    options.headers.emplace_back("Authorization", "Bearer " + token);
    return std::make_unique<WsClient>(notifications_->port(), "/ws", options);
  }

  // The reply type to a subscription, or the error code.
  std::string outcome(const std::string& token, const std::string& channel) {
    auto client = connect(token);
    client->send_json({{"type", "subscribe"}, {"channel", channel}});
    auto reply = client->receive();
    return reply["type"] == "error" ? reply.value("code", "") : reply.value("type", "");
  }

  static void expect_subscribed(WsClient& client, const std::string& channel) {
    client.send_json({{"type", "subscribe"}, {"channel", channel}});
    auto reply = client.receive();
    EXPECT_EQ(reply["type"], "subscribed") << reply.dump();
  }

  // A CONFIRMED pickup order; returns its id.
  std::string confirmed_order(const TestUser& customer, const TestRestaurant& store) {
    auto offer_id = publish_offer(store, 5);
    auto response = place(customer, offer_id);
    EXPECT_EQ(response.status, 201) << response.body;
    auto order = response.body_json();
    EXPECT_EQ(order["status"], "CONFIRMED");
    return order.value("id", "");
  }

 private:
  std::unique_ptr<db::testing::TestDatabase> database_;
  std::unique_ptr<NotificationsServer> notifications_;
};

TEST_P(OrderNotificationsTest, PlacedOrderReachesCustomerAndStore) {
  auto customer = this->customer("ada");
  auto store = restaurant("Bakery");
  auto customer_socket = connect(customer.token);
  expect_subscribed(*customer_socket, "user:" + customer.id);
  auto store_socket = connect(store.staff.token);
  expect_subscribed(*store_socket, "restaurant:" + store.id);

  auto order_id = confirmed_order(customer, store);
  EXPECT_GE(relay_orders_outbox(), 2u);

  auto created = customer_socket->receive();
  EXPECT_EQ(created["event"]["type"], "order.created");
  EXPECT_EQ(created["event"]["data"]["id"], order_id);
  EXPECT_EQ(created["offset"], 1);
  auto confirmed = customer_socket->receive();
  EXPECT_EQ(confirmed["event"]["type"], "order.confirmed");
  EXPECT_EQ(confirmed["offset"], 2);

  // The orders service records the order's restaurant only when it confirms the order, so
  // order.created does not reach the store's channel and order.confirmed is its first event.
  auto store_event = store_socket->receive();
  EXPECT_EQ(store_event["event"]["type"], "order.confirmed");
  EXPECT_EQ(store_event["event"]["data"]["id"], order_id);
  EXPECT_EQ(store_event["channel"], "restaurant:" + store.id);
  EXPECT_EQ(store_event["offset"], 1);
}

TEST_P(OrderNotificationsTest, OrderChannelFollowsAudience) {
  auto customer = this->customer("ada");
  auto store = restaurant("Bakery");
  auto order_id = confirmed_order(customer, store);
  auto channel = "order:" + order_id;

  EXPECT_EQ(outcome(customer.token, channel), "subscribed");
  EXPECT_EQ(outcome(store.staff.token, channel), "subscribed");
  EXPECT_EQ(outcome(admin_token(), channel), "subscribed");
  EXPECT_EQ(outcome(this->customer("eve").token, channel), "FORBIDDEN");
  EXPECT_EQ(outcome(restaurant("Other bakery").staff.token, channel), "FORBIDDEN");
  EXPECT_EQ(outcome(courier("kim").token, channel), "FORBIDDEN");
  EXPECT_EQ(outcome(customer.token, "order:" + core::new_uuid_v7()), "FORBIDDEN");
}

TEST_P(OrderNotificationsTest, OrderChannelReceivesOrderEvents) {
  auto customer = this->customer("ada");
  auto store = restaurant("Bakery");
  auto order_id = confirmed_order(customer, store);
  auto socket = connect(customer.token);
  expect_subscribed(*socket, "order:" + order_id);

  relay_orders_outbox();

  EXPECT_EQ(socket->receive()["event"]["type"], "order.created");
  EXPECT_EQ(socket->receive()["event"]["type"], "order.confirmed");
}

INSTANTIATE_TEST_SUITE_P(Backends, OrderNotificationsTest,
                         ::testing::ValuesIn(db::testing::all_backends()),
                         db::testing::backend_test_name);

}  // namespace
}  // namespace surplus::notifications::testing
