#include <gtest/gtest.h>

#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>

#include "courier_operations.hpp"
#include "delivery_operations.hpp"
#include "offers_test_support.hpp"
#include "proof_attempts.hpp"

namespace surplus::offers {
namespace {

using std::chrono::seconds;
using testing::admin;
using testing::courier_user;

template <class F>
core::ErrorCode error_code(F&& call) {
  try {
    call();
  } catch (const core::Error& error) {
    return error.code();
  }
  ADD_FAILURE() << "no error";
  return core::ErrorCode::kInternal;
}

TEST(DeliveryTransitionsTest, OnlyForward) {
  using S = DeliveryStatus;
  EXPECT_TRUE(is_allowed_transition(S::kPending, S::kAssigned));
  EXPECT_TRUE(is_allowed_transition(S::kAssigned, S::kPickedUp));
  EXPECT_TRUE(is_allowed_transition(S::kPickedUp, S::kDelivered));
  EXPECT_TRUE(is_allowed_transition(S::kPickedUp, S::kFailed));
  EXPECT_FALSE(is_allowed_transition(S::kPickedUp, S::kAssigned));
  EXPECT_FALSE(is_allowed_transition(S::kDelivered, S::kPickedUp));
  EXPECT_FALSE(is_allowed_transition(S::kAssigned, S::kDelivered));
  EXPECT_FALSE(is_allowed_transition(S::kPickedUp, S::kCancelled));
  EXPECT_FALSE(is_allowed_transition(S::kFailed, S::kDelivered));
  EXPECT_FALSE(is_allowed_transition(S::kCancelled, S::kAssigned));
}

class DeliveriesTest : public testing::OffersDatabaseTest {
 protected:
  void SetUp() override {
    OffersDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    restaurant_ = add_restaurant({52.5000, 13.4000});
  }

  // A registered courier at `location`, AVAILABLE unless `status` says otherwise.
  std::string courier_at(core::GeoPoint location, Vehicle vehicle = Vehicle::kBike,
                         CourierStatus status = CourierStatus::kAvailable) {
    std::string id = core::new_uuid_v7();
    auto actor = courier_user(id);
    register_courier(db(), actor, {std::nullopt, "Courier " + id.substr(0, 6), vehicle},
                     core::now());
    update_courier_settings(db(), actor, id, status, std::nullopt, core::now());
    report_location(db(), actor, id, location, core::now());
    return id;
  }

  DeliveryRequest request(core::GeoPoint dropoff, bool assign = true) {
    return {core::new_uuid_v7(),       restaurant_, core::new_uuid_v7(), std::nullopt, dropoff,
            "Oranienstraße 1, Berlin", assign};
  }

  Delivery create(const DeliveryRequest& delivery_request) {
    return create_delivery(db(), directory(), Actor::internal_service(), delivery_request,
                           settings_, core::now())
        .delivery;
  }

  std::string restaurant_;
  DeliverySettings settings_;
};

TEST_P(DeliveriesTest, CreateIsIdempotentByOrder) {
  auto delivery_request = request({52.51, 13.41}, false);
  auto first = create_delivery(db(), directory(), Actor::internal_service(), delivery_request,
                               settings_, core::now());
  auto again = delivery_request;
  again.dropoff = {52.0, 13.0};
  auto second =
      create_delivery(db(), directory(), Actor::internal_service(), again, settings_, core::now());
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.delivery.id, first.delivery.id);
  EXPECT_DOUBLE_EQ(second.delivery.dropoff.latitude, 52.51);
  EXPECT_EQ(first.delivery.status, DeliveryStatus::kPending);
  // The pickup is the restaurant's location.
  EXPECT_DOUBLE_EQ(first.delivery.pickup.latitude, 52.5);
  EXPECT_DOUBLE_EQ(first.delivery.pickup.longitude, 13.4);
  EXPECT_EQ(first.delivery.proof_code.size(), 6u);
}

TEST_P(DeliveriesTest, AssignsNearestAvailableCourier) {
  std::string far = courier_at({52.53, 13.45});
  std::string near = courier_at({52.501, 13.401});
  courier_at({52.5, 13.4}, Vehicle::kBike, CourierStatus::kOffline);
  courier_at({52.5001, 13.4001}, Vehicle::kBike, CourierStatus::kBusy);
  Delivery delivery = create(request({52.51, 13.41}));
  EXPECT_EQ(delivery.status, DeliveryStatus::kAssigned);
  ASSERT_TRUE(delivery.courier_id.has_value());
  EXPECT_EQ(*delivery.courier_id, near);
  EXPECT_NE(*delivery.courier_id, far);
  auto events = outbox_events("delivery.assigned");
  ASSERT_EQ(events.size(), 1u);
  auto channels = events[0]["channels"];
  EXPECT_NE(std::find(channels.begin(), channels.end(), "order:" + delivery.order_id),
            channels.end());
  EXPECT_NE(std::find(channels.begin(), channels.end(), "courier:" + near), channels.end());
  EXPECT_FALSE(events[0]["data"].contains("proofCode"));
}

TEST_P(DeliveriesTest, StaleCourierLocationIsIgnored) {
  courier_at({52.501, 13.401});
  Delivery delivery = create(request({52.51, 13.41}, false));
  auto later = core::now() + settings_.courier_location_max_age + seconds(1);
  EXPECT_EQ(error_code([&] {
              assign_delivery(db(), admin(), delivery.id, std::nullopt, settings_, later);
            }),
            core::ErrorCode::kConflict);
}

TEST_P(DeliveriesTest, CourierMovesItThroughStates) {
  std::string courier = courier_at({52.501, 13.401});
  Delivery delivery = create(request({52.51, 13.41}));
  auto actor = courier_user(courier);

  EXPECT_EQ(error_code([&] {
              change_delivery_status(db(), actor, delivery.id, DeliveryStatus::kDelivered,
                                     std::nullopt, delivery.proof_code, core::now());
            }),
            core::ErrorCode::kConflict);
  Delivery picked = change_delivery_status(db(), actor, delivery.id, DeliveryStatus::kPickedUp,
                                           std::nullopt, std::nullopt, core::now());
  EXPECT_EQ(picked.status, DeliveryStatus::kPickedUp);
  EXPECT_TRUE(picked.picked_up_at.has_value());

  EXPECT_EQ(error_code([&] {
              change_delivery_status(
                  db(), actor, delivery.id, DeliveryStatus::kDelivered, std::nullopt,
                  std::string("000000") == delivery.proof_code ? std::string("111111")
                                                               : std::string("000000"),
                  core::now());
            }),
            core::ErrorCode::kForbidden);
  EXPECT_EQ(error_code([&] {
              change_delivery_status(db(), actor, delivery.id, DeliveryStatus::kDelivered,
                                     std::nullopt, std::nullopt, core::now());
            }),
            core::ErrorCode::kValidationFailed);
  Delivery delivered = change_delivery_status(db(), actor, delivery.id, DeliveryStatus::kDelivered,
                                              std::nullopt, delivery.proof_code, core::now());
  EXPECT_EQ(delivered.status, DeliveryStatus::kDelivered);
  EXPECT_TRUE(delivered.finished_at.has_value());
  EXPECT_EQ(error_code([&] {
              change_delivery_status(db(), actor, delivery.id, DeliveryStatus::kPickedUp,
                                     std::nullopt, std::nullopt, core::now());
            }),
            core::ErrorCode::kConflict);
  auto events = outbox_events("delivery.status_changed");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["data"]["status"], "PICKED_UP");
  EXPECT_EQ(events[0]["data"]["previousStatus"], "ASSIGNED");
  EXPECT_EQ(events[1]["data"]["status"], "DELIVERED");
}

// Wrong codes pause code attempts on that delivery, so a courier cannot guess the code;
// the pause ends kProofLockout after the latest wrong code.
TEST_P(DeliveriesTest, WrongProofCodesPauseAttempts) {
  std::string courier = courier_at({52.501, 13.401});
  Delivery delivery = create(request({52.51, 13.41}));
  auto actor = courier_user(courier);
  change_delivery_status(db(), actor, delivery.id, DeliveryStatus::kPickedUp, std::nullopt,
                         std::nullopt, core::now());
  std::string wrong = delivery.proof_code == "000000" ? "111111" : "000000";
  auto start = core::now();
  for (int i = 0; i < kMaxProofFailures; ++i) {
    EXPECT_EQ(error_code([&] {
                change_delivery_status(db(), actor, delivery.id, DeliveryStatus::kDelivered,
                                       std::nullopt, wrong, start);
              }),
              core::ErrorCode::kForbidden)
        << "attempt " << i + 1;
  }
  // Even the right code waits now, and the error gives the delay.
  try {
    change_delivery_status(db(), actor, delivery.id, DeliveryStatus::kDelivered, std::nullopt,
                           delivery.proof_code, start + std::chrono::minutes(1));
    ADD_FAILURE() << "the right code was accepted during the pause";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kRateLimited);
    ASSERT_TRUE(error.retry_after().has_value());
    EXPECT_GT(error.retry_after()->count(), 13 * 60);
    EXPECT_LE(error.retry_after()->count(), 14 * 60 + 1);
  }
  Delivery delivered =
      change_delivery_status(db(), actor, delivery.id, DeliveryStatus::kDelivered, std::nullopt,
                             delivery.proof_code, start + kProofLockout + std::chrono::seconds(1));
  EXPECT_EQ(delivered.status, DeliveryStatus::kDelivered);
}

TEST_P(DeliveriesTest, OnlyItsCourierOrAdminMovesIt) {
  std::string courier = courier_at({52.501, 13.401});
  std::string other = courier_at({52.6, 13.6});
  Delivery delivery = create(request({52.51, 13.41}));
  ASSERT_EQ(delivery.courier_id, courier);
  auto pick_up = [&](const Actor& actor) {
    change_delivery_status(db(), actor, delivery.id, DeliveryStatus::kPickedUp, std::nullopt,
                           std::nullopt, core::now());
  };
  EXPECT_EQ(error_code([&] { pick_up(courier_user(other)); }), core::ErrorCode::kForbidden);
  EXPECT_EQ(error_code([&] { pick_up(testing::customer(delivery.customer_id)); }),
            core::ErrorCode::kForbidden);
  EXPECT_EQ(error_code([&] { pick_up(testing::staff_of(restaurant_)); }),
            core::ErrorCode::kForbidden);
  EXPECT_EQ(error_code([&] {
              change_delivery_status(db(), courier_user(courier), delivery.id,
                                     DeliveryStatus::kCancelled, std::nullopt, std::nullopt,
                                     core::now());
            }),
            core::ErrorCode::kForbidden);
  pick_up(admin());
  Delivery failed =
      change_delivery_status(db(), courier_user(courier), delivery.id, DeliveryStatus::kFailed,
                             std::string("nobody at the door"), std::nullopt, core::now());
  EXPECT_EQ(failed.status, DeliveryStatus::kFailed);
  EXPECT_EQ(failed.failure_reason, "nobody at the door");
}

TEST_P(DeliveriesTest, FailureNeedsReason) {
  std::string courier = courier_at({52.501, 13.401});
  Delivery delivery = create(request({52.51, 13.41}));
  EXPECT_EQ(error_code([&] {
              change_delivery_status(db(), courier_user(courier), delivery.id,
                                     DeliveryStatus::kFailed, std::nullopt, std::nullopt,
                                     core::now());
            }),
            core::ErrorCode::kValidationFailed);
}

TEST_P(DeliveriesTest, ProofCodeShownToCustomerNotCourier) {
  std::string courier = courier_at({52.501, 13.401});
  Delivery delivery = create(request({52.51, 13.41}));
  EXPECT_TRUE(
      get_delivery(db(), testing::customer(delivery.customer_id), delivery.id).with_proof_code);
  EXPECT_FALSE(get_delivery(db(), courier_user(courier), delivery.id).with_proof_code);
  EXPECT_FALSE(get_delivery(db(), testing::staff_of(restaurant_), delivery.id).with_proof_code);
  EXPECT_EQ(
      error_code([&] { get_delivery(db(), testing::customer(core::new_uuid_v7()), delivery.id); }),
      core::ErrorCode::kNotFound);
}

TEST_P(DeliveriesTest, RouteOrdersOpenStopsWithEtas) {
  std::string courier = courier_at({52.4950, 13.3950}, Vehicle::kScooter);
  Delivery first = create(request({52.5200, 13.4200}));
  Delivery second = create(request({52.5100, 13.4100}));
  ASSERT_EQ(first.courier_id, courier);
  ASSERT_EQ(second.courier_id, courier);
  change_delivery_status(db(), courier_user(courier), first.id, DeliveryStatus::kPickedUp,
                         std::nullopt, std::nullopt, core::now());

  auto now = core::now();
  CourierRoute route = courier_route(db(), courier_user(courier), courier, now, seconds(120));
  EXPECT_TRUE(route.started_from_courier);
  ASSERT_EQ(route.plan.stops.size(), 3u);  // first's drop-off, second's pickup and drop-off
  int pickups_of_second = 0;
  std::size_t second_pickup = 0;
  std::size_t second_dropoff = 0;
  for (std::size_t i = 0; i < route.plan.stops.size(); ++i) {
    const auto& stop = route.plan.stops[i];
    if (stop.delivery_id == second.id && stop.kind == StopKind::kPickup) {
      ++pickups_of_second;
      second_pickup = i;
    }
    if (stop.delivery_id == second.id && stop.kind == StopKind::kDropoff) {
      second_dropoff = i;
    }
    EXPECT_FALSE(stop.delivery_id == first.id && stop.kind == StopKind::kPickup);
    EXPECT_GT(stop.eta, now);
    if (i > 0) {
      EXPECT_GE(stop.eta, route.plan.stops[i - 1].eta + seconds(120));
    }
  }
  EXPECT_EQ(pickups_of_second, 1);
  EXPECT_LT(second_pickup, second_dropoff);
  // The courier is 0.65 km from the restaurant, and both drop-offs lie beyond it in the
  // same direction (1.30 km to the nearer, 1.30 km more to the farther), so the best route
  // is the pickup, then the nearer drop-off, then the farther one.
  EXPECT_EQ(route.plan.stops[0].kind, StopKind::kPickup);
  EXPECT_EQ(route.plan.stops[1].delivery_id, second.id);
  EXPECT_EQ(route.plan.stops[2].delivery_id, first.id);
  double first_leg = core::haversine_km({52.4950, 13.3950}, {52.5, 13.4});
  EXPECT_NEAR(route.plan.stops[0].leg_km, first_leg, 1e-9);
  // Scooters average 18 km/h over the straight line.
  double expected_seconds = first_leg / 18.0 * 3600;
  EXPECT_NEAR(std::chrono::duration<double>(route.plan.stops[0].eta - now).count(),
              expected_seconds, 0.01);

  auto json = courier_route_json(route, now);
  EXPECT_EQ(json["stops"].size(), 3u);
  EXPECT_EQ(json["vehicle"], "SCOOTER");
  EXPECT_EQ(json["stops"][0]["kind"], "PICKUP");

  EXPECT_EQ(error_code([&] {
              courier_route(db(), courier_user(core::new_uuid_v7()), courier, now, seconds(120));
            }),
            core::ErrorCode::kForbidden);
}

TEST_P(DeliveriesTest, LocationEventReachesOpenOrders) {
  std::string courier = courier_at({52.501, 13.401});
  Delivery delivery = create(request({52.51, 13.41}));
  report_location(db(), courier_user(courier), courier, {52.502, 13.402}, core::now());
  auto events = outbox_events("courier.location");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["channels"].size(), 1u);
  ASSERT_EQ(events[1]["channels"].size(), 2u);
  EXPECT_EQ(events[1]["channels"][0], "courier:" + courier);
  EXPECT_EQ(events[1]["channels"][1], "order:" + delivery.order_id);
  EXPECT_EQ(error_code([&] {
              report_location(db(), admin(), courier, {52.5, 13.4}, core::now());
            }),
            core::ErrorCode::kForbidden);
}

TEST_P(DeliveriesTest, OnlyCouriersRegisterThemselves) {
  EXPECT_EQ(error_code([&] {
              register_courier(db(), testing::customer("c1"), {std::nullopt, "C", Vehicle::kCar},
                               core::now());
            }),
            core::ErrorCode::kForbidden);
  std::string id = core::new_uuid_v7();
  auto [courier, created] =
      register_courier(db(), admin(), {id, "By admin", Vehicle::kOnFoot}, core::now());
  EXPECT_TRUE(created);
  EXPECT_EQ(courier.id, id);
  EXPECT_EQ(courier.status, CourierStatus::kOffline);
  auto [again, created_again] = register_courier(
      db(), courier_user(id), {std::nullopt, "Renamed", Vehicle::kCar}, core::now());
  EXPECT_FALSE(created_again);
  EXPECT_EQ(again.name, "Renamed");
  EXPECT_EQ(again.vehicle, Vehicle::kCar);
}

SURPLUS_DB_INSTANTIATE_ALL(DeliveriesTest);

}  // namespace
}  // namespace surplus::offers
