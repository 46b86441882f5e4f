// The order domain without a database: transitions, pickup codes and request digests.
#include "order.hpp"

#include <set>

#include <gtest/gtest.h>

#include <surplus/core/error.hpp>

#include "order_flow.hpp"

namespace surplus::orders {
namespace {

using S = OrderStatus;

const std::set<std::pair<S, S>> kAllowed = {
    {S::kPending, S::kConfirmed},        {S::kPending, S::kRejected},
    {S::kConfirmed, S::kCancelled},      {S::kConfirmed, S::kCollected},
    {S::kConfirmed, S::kNoShow},         {S::kConfirmed, S::kOutForDelivery},
    {S::kOutForDelivery, S::kDelivered}, {S::kOutForDelivery, S::kDeliveryFailed},
};

TEST(OrderTransitions, MatrixIsExactlyTheAllowedSet) {
  int allowed = 0;
  for (auto from : all_order_statuses()) {
    for (auto to : all_order_statuses()) {
      bool expected = kAllowed.contains({from, to});
      EXPECT_EQ(transition_allowed(from, to), expected)
          << order_status_name(from) << " -> " << order_status_name(to);
      allowed += transition_allowed(from, to) ? 1 : 0;
    }
  }
  EXPECT_EQ(allowed, 8);
  EXPECT_EQ(all_order_statuses().size(), kOrderStatusCount);
}

TEST(OrderTransitions, RefusalNamesCurrentStatus) {
  try {
    require_transition("o-1", S::kCollected, S::kCancelled);
    FAIL() << "COLLECTED -> CANCELLED was allowed";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kConflict);
    EXPECT_NE(error.message().find("is COLLECTED"), std::string::npos) << error.message();
    EXPECT_NE(error.message().find("CANCELLED"), std::string::npos) << error.message();
  }
  EXPECT_NO_THROW(require_transition("o-1", S::kPending, S::kConfirmed));
}

TEST(OrderStatusNames, RoundTrip) {
  for (auto status : all_order_statuses()) {
    EXPECT_EQ(parse_order_status(order_status_name(status)), status);
  }
  EXPECT_FALSE(parse_order_status("pending").has_value());
  EXPECT_EQ(parse_fulfilment("DELIVERY"), Fulfilment::kDelivery);
  EXPECT_FALSE(parse_fulfilment("COURIER").has_value());
}

TEST(PickupCode, ShortUnambiguousAndVaried) {
  std::set<std::string> codes;
  for (int i = 0; i < 200; ++i) {
    auto code = new_pickup_code();
    ASSERT_EQ(code.size(), 6u);
    EXPECT_EQ(code.find_first_of("01OI"), std::string::npos) << code;
    codes.insert(code);
  }
  // 200 draws from 2^30 codes collide with a probability below 2e-5.
  EXPECT_EQ(codes.size(), 200u);
}

TEST(OrderJson, PickupCodeOnlyForCustomerAfterConfirmation) {
  Order order;
  order.id = "o-1";
  order.pickup_code = "ABC234";
  order.status = S::kPending;
  EXPECT_TRUE(order_json(order, true)["pickupCode"].is_null());
  order.status = S::kConfirmed;
  EXPECT_EQ(order_json(order, true)["pickupCode"], "ABC234");
  EXPECT_TRUE(order_json(order, false)["pickupCode"].is_null());
}

TEST(PlaceOrderInput, FingerprintCoversEveryField) {
  PlaceOrderInput input{"offer-a", 1, Fulfilment::kPickup, std::nullopt};
  auto base = input.fingerprint();
  EXPECT_EQ(base.size(), 32u);
  EXPECT_EQ(base, input.fingerprint());
  auto more = input;
  more.quantity = 2;
  EXPECT_NE(more.fingerprint(), base);
  auto other = input;
  other.offer_id = "offer-b";
  EXPECT_NE(other.fingerprint(), base);
  auto delivery = input;
  delivery.fulfilment = Fulfilment::kDelivery;
  delivery.delivery_address = DeliveryAddress{"Street 1", {52.5, 13.4}};
  EXPECT_NE(delivery.fingerprint(), base);
  auto moved = delivery;
  moved.delivery_address->location.latitude = 52.6;
  EXPECT_NE(moved.fingerprint(), delivery.fingerprint());
}

}  // namespace
}  // namespace surplus::orders
