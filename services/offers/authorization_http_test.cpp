// The authorization matrix: every endpoint called by every kind of caller, each case on
// fresh resources, with the status the API must return.
#include <functional>

#include <gtest/gtest.h>

#include <surplus/core/id.hpp>

#include "courier_operations.hpp"
#include "delivery_operations.hpp"
#include "http_test_support.hpp"
#include "inventory_operations.hpp"
#include "offer_operations.hpp"
#include "reservations.hpp"

namespace surplus::offers {
namespace {

// Who calls.
enum class Caller {
  kAnonymous,
  kCustomer,  // the delivery's customer
  kOtherCustomer,
  kStaff,       // STORE staff of the resource's restaurant
  kOtherStaff,  // STORE staff of another restaurant
  kCourier,     // the resource's courier
  kOtherCourier,
  kAdmin,
  kService,  // the service secret, no token
  kWrongSecret,
};

std::string caller_name(Caller caller) {
  switch (caller) {
    case Caller::kAnonymous:
      return "anonymous";
    case Caller::kCustomer:
      return "customer";
    case Caller::kOtherCustomer:
      return "other customer";
    case Caller::kStaff:
      return "staff";
    case Caller::kOtherStaff:
      return "other staff";
    case Caller::kCourier:
      return "courier";
    case Caller::kOtherCourier:
      return "other courier";
    case Caller::kAdmin:
      return "admin";
    case Caller::kService:
      return "service";
    case Caller::kWrongSecret:
      return "wrong secret";
  }
  return "?";
}

// Resources made fresh for each case.
struct World {
  std::string restaurant;
  std::string other_restaurant;
  std::string draft;
  std::string active;
  std::string product;
  std::string customer;
  std::string other_customer;
  std::string courier;
  std::string other_courier;
  std::string delivery;
  std::string order;
  std::string reservation;
};

struct Call {
  Call(std::string method_in, std::string target_in,
       std::optional<nlohmann::json> body_in = std::nullopt)
      : method(std::move(method_in)), target(std::move(target_in)), body(std::move(body_in)) {}

  std::string method;
  std::string target;
  std::optional<nlohmann::json> body;
};

struct Case {
  std::string endpoint;
  std::function<Call(const World&)> call;
  std::vector<std::pair<Caller, int>> expected;
};

nlohmann::json point(double latitude, double longitude) {
  return {{"latitude", latitude}, {"longitude", longitude}};
}

std::vector<Case> cases() {
  using C = Caller;
  return {
      {"GET /offers (search)",
       [](const World&) {
         return Call{"GET", "/offers?latitude=52.5&longitude=13.4"};
       },
       {{C::kAnonymous, 200},
        {C::kCustomer, 200},
        {C::kStaff, 200},
        {C::kCourier, 200},
        {C::kAdmin, 200}}},
      {"GET /offers/{id} (active)",
       [](const World& w) {
         return Call{"GET", "/offers/" + w.active};
       },
       {{C::kAnonymous, 200}, {C::kCustomer, 200}, {C::kOtherStaff, 200}, {C::kAdmin, 200}}},
      {"GET /offers/{id} (draft)",
       [](const World& w) {
         return Call{"GET", "/offers/" + w.draft};
       },
       {{C::kAnonymous, 404},
        {C::kCustomer, 404},
        {C::kStaff, 200},
        {C::kOtherStaff, 404},
        {C::kCourier, 404},
        {C::kAdmin, 200}}},
      {"POST /restaurants/{id}/offers",
       [](const World& w) {
         return Call{"POST", "/restaurants/" + w.restaurant + "/offers", testing::bag_request()};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 201},
        {C::kOtherStaff, 403},
        {C::kCourier, 403},
        {C::kAdmin, 201},
        {C::kService, 401}}},
      {"PATCH /offers/{id}",
       [](const World& w) {
         return Call{"PATCH", "/offers/" + w.active, nlohmann::json{{"title", "Renamed"}}};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 200},
        {C::kOtherStaff, 403},
        {C::kCourier, 403},
        {C::kAdmin, 200}}},
      {"POST /offers/{id}/publish",
       [](const World& w) {
         return Call{"POST", "/offers/" + w.draft + "/publish"};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 200},
        {C::kOtherStaff, 403},
        {C::kAdmin, 200}}},
      {"POST /offers/{id}/cancel",
       [](const World& w) {
         return Call{"POST", "/offers/" + w.active + "/cancel"};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 200},
        {C::kOtherStaff, 403},
        {C::kCourier, 403},
        {C::kAdmin, 200}}},
      {"GET /restaurants/{id}/offers",
       [](const World& w) {
         return Call{"GET", "/restaurants/" + w.restaurant + "/offers"};
       },
       {{C::kAnonymous, 200}, {C::kCustomer, 200}, {C::kStaff, 200}, {C::kAdmin, 200}}},
      {"GET /restaurants/{id}/inventory",
       [](const World& w) {
         return Call{"GET", "/restaurants/" + w.restaurant + "/inventory"};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 200},
        {C::kOtherStaff, 403},
        {C::kCourier, 403},
        {C::kAdmin, 200}}},
      {"GET /restaurants/{id}/inventory/{product}",
       [](const World& w) {
         return Call{"GET", "/restaurants/" + w.restaurant + "/inventory/" + w.product};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 200},
        {C::kOtherStaff, 403},
        {C::kAdmin, 200}}},
      {"PUT /restaurants/{id}/inventory/{product}",
       [](const World& w) {
         return Call{"PUT", "/restaurants/" + w.restaurant + "/inventory/" + w.product,
                     nlohmann::json{{"quantity", 4}, {"unit", "piece"}}};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 200},
        {C::kOtherStaff, 403},
        {C::kCourier, 403},
        {C::kAdmin, 200}}},
      {"POST /restaurants/{id}/inventory/{product}/adjustments",
       [](const World& w) {
         return Call{"POST",
                     "/restaurants/" + w.restaurant + "/inventory/" + w.product + "/adjustments",
                     nlohmann::json{{"delta", -1}}};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 200},
        {C::kOtherStaff, 403},
        {C::kAdmin, 200}}},
      {"POST /couriers",
       [](const World& w) {
         return Call{
             "POST", "/couriers",
             nlohmann::json{{"courierId", w.other_courier}, {"name", "New"}, {"vehicle", "CAR"}}};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 403},
        {C::kCourier, 403},
        {C::kOtherCourier, 200},
        {C::kAdmin, 200}}},
      {"GET /couriers",
       [](const World&) {
         return Call{"GET", "/couriers"};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 403},
        {C::kCourier, 403},
        {C::kAdmin, 200}}},
      {"GET /couriers/{id}",
       [](const World& w) {
         return Call{"GET", "/couriers/" + w.courier};
       },
       // The delivery's customer and store see the courier that carries it.
       {{C::kAnonymous, 401},
        {C::kCustomer, 200},
        {C::kOtherCustomer, 403},
        {C::kStaff, 200},
        {C::kOtherStaff, 403},
        {C::kCourier, 200},
        {C::kOtherCourier, 403},
        {C::kAdmin, 200}}},
      {"PATCH /couriers/{id}",
       [](const World& w) {
         return Call{"PATCH", "/couriers/" + w.courier, nlohmann::json{{"status", "BUSY"}}};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kCourier, 200},
        {C::kOtherCourier, 403},
        {C::kAdmin, 200}}},
      {"PUT /couriers/{id}/location",
       [](const World& w) {
         return Call{"PUT", "/couriers/" + w.courier + "/location", point(52.51, 13.41)};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kCourier, 200},
        {C::kOtherCourier, 403},
        {C::kAdmin, 403}}},
      {"GET /couriers/{id}/route",
       [](const World& w) {
         return Call{"GET", "/couriers/" + w.courier + "/route"};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 403},
        {C::kCourier, 200},
        {C::kOtherCourier, 403},
        {C::kAdmin, 200}}},
      {"GET /couriers/{id}/deliveries",
       [](const World& w) {
         return Call{"GET", "/couriers/" + w.courier + "/deliveries"};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kCourier, 200},
        {C::kOtherCourier, 403},
        {C::kAdmin, 200}}},
      {"POST /deliveries",
       [](const World& w) {
         return Call{"POST", "/deliveries",
                     nlohmann::json{{"orderId", core::new_uuid_v7()},
                                    {"restaurantId", w.restaurant},
                                    {"customerId", w.customer},
                                    {"dropoff", point(52.51, 13.41)},
                                    {"dropoffAddress", "Skalitzer Straße 1"}}};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 403},
        {C::kCourier, 403},
        {C::kAdmin, 201}}},
      {"GET /deliveries",
       [](const World&) {
         return Call{"GET", "/deliveries"};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 403},
        {C::kCourier, 403},
        {C::kAdmin, 200}}},
      {"GET /deliveries/{id}",
       [](const World& w) {
         return Call{"GET", "/deliveries/" + w.delivery};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 200},
        {C::kOtherCustomer, 404},
        {C::kStaff, 200},
        {C::kOtherStaff, 404},
        {C::kCourier, 200},
        {C::kOtherCourier, 404},
        {C::kAdmin, 200}}},
      {"POST /deliveries/{id}/assign",
       [](const World& w) {
         return Call{"POST", "/deliveries/" + w.delivery + "/assign",
                     nlohmann::json{{"courierId", w.courier}}};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 403},
        {C::kCourier, 403},
        {C::kAdmin, 200}}},
      {"POST /deliveries/{id}/status (PICKED_UP)",
       [](const World& w) {
         return Call{"POST", "/deliveries/" + w.delivery + "/status",
                     nlohmann::json{{"status", "PICKED_UP"}}};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 403},
        {C::kStaff, 403},
        {C::kCourier, 200},
        {C::kOtherCourier, 403},
        {C::kAdmin, 200}}},
      {"POST /deliveries/{id}/status (CANCELLED)",
       [](const World& w) {
         return Call{"POST", "/deliveries/" + w.delivery + "/status",
                     nlohmann::json{{"status", "CANCELLED"}}};
       },
       {{C::kCustomer, 403}, {C::kCourier, 403}, {C::kAdmin, 200}}},
      {"PUT /internal/reservations/{id}",
       [](const World& w) {
         return Call{
             "PUT", "/internal/reservations/" + core::new_uuid_v7(),
             nlohmann::json{{"offerId", w.active}, {"customerId", w.customer}, {"quantity", 1}}};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 401},
        {C::kAdmin, 401},
        {C::kWrongSecret, 401},
        {C::kService, 201}}},
      {"GET /internal/reservations/{id}",
       [](const World& w) {
         return Call{"GET", "/internal/reservations/" + w.reservation};
       },
       {{C::kAnonymous, 401}, {C::kAdmin, 401}, {C::kWrongSecret, 401}, {C::kService, 200}}},
      {"DELETE /internal/reservations/{id}",
       [](const World& w) {
         return Call{"DELETE", "/internal/reservations/" + w.reservation};
       },
       {{C::kAnonymous, 401},
        {C::kCustomer, 401},
        {C::kAdmin, 401},
        {C::kWrongSecret, 401},
        {C::kService, 200}}},
      {"PUT /internal/restaurants/{id}",
       [](const World& w) {
         return Call{"PUT", "/internal/restaurants/" + w.restaurant,
                     nlohmann::json{{"name", "Moved"}, {"latitude", 52.5}, {"longitude", 13.4}}};
       },
       {{C::kAnonymous, 401},
        {C::kStaff, 401},
        {C::kAdmin, 401},
        {C::kWrongSecret, 401},
        {C::kService, 200}}},
      {"POST /internal/deliveries",
       [](const World& w) {
         return Call{"POST", "/internal/deliveries",
                     nlohmann::json{{"orderId", core::new_uuid_v7()},
                                    {"restaurantId", w.restaurant},
                                    {"customerId", w.customer},
                                    {"dropoff", point(52.51, 13.41)},
                                    {"dropoffAddress", "Skalitzer Straße 1"}}};
       },
       {{C::kAnonymous, 401}, {C::kAdmin, 401}, {C::kWrongSecret, 401}, {C::kService, 201}}},
      {"GET /internal/orders/{id}/delivery",
       [](const World& w) {
         return Call{"GET", "/internal/orders/" + w.order + "/delivery"};
       },
       {{C::kAnonymous, 401}, {C::kCustomer, 401}, {C::kAdmin, 401}, {C::kService, 200}}},
      {"POST /internal/deliveries/{id}/status",
       [](const World& w) {
         return Call{"POST", "/internal/deliveries/" + w.delivery + "/status",
                     nlohmann::json{{"status", "CANCELLED"}}};
       },
       {{C::kAnonymous, 401}, {C::kCourier, 401}, {C::kAdmin, 401}, {C::kService, 200}}},
      {"GET /openapi.json",
       [](const World&) {
         return Call{"GET", "/openapi.json"};
       },
       {{C::kAnonymous, 200}}},
  };
}

class AuthorizationTest : public testing::OffersHttpTest {
 protected:
  World make_world() {
    World w;
    w.restaurant = add_restaurant({52.5, 13.4});
    w.other_restaurant = add_restaurant({52.6, 13.5});
    auto staff = testing::staff_of(w.restaurant);
    w.draft = create_offer(db(), directory(), staff, w.restaurant,
                           parse_offer_input(testing::bag_request(), true), core::now())
                  .id;
    w.active = publish(w.restaurant, testing::bag_request()).id;
    w.product = add_product(w.restaurant);
    set_inventory(db(), directory(), staff,
                  {w.restaurant, w.product, 10, "piece", std::nullopt, core::now()}, core::now());
    w.customer = core::new_uuid_v7();
    w.other_customer = core::new_uuid_v7();
    w.courier = core::new_uuid_v7();
    w.other_courier = core::new_uuid_v7();
    for (const auto& id : {w.courier, w.other_courier}) {
      auto actor = testing::courier_user(id);
      register_courier(db(), actor, {std::nullopt, "Courier", Vehicle::kBike}, core::now());
      update_courier_settings(db(), actor, id, CourierStatus::kAvailable, std::nullopt,
                              core::now());
    }
    w.order = core::new_uuid_v7();
    DeliveryRequest request{w.order,        w.restaurant,         w.customer, std::nullopt,
                            {52.51, 13.41}, "Skalitzer Straße 1", false};
    w.delivery =
        create_delivery(db(), directory(), Actor::internal_service(), request, {}, core::now())
            .delivery.id;
    assign_delivery(db(), Actor::internal_service(), w.delivery, w.courier, {}, core::now());
    w.reservation = core::new_uuid_v7();
    reserve(db(), {w.reservation, w.active, w.customer, 1}, core::now());
    return w;
  }

  testing::Credentials credentials(Caller caller, const World& w) {
    switch (caller) {
      case Caller::kAnonymous:
        return {};
      case Caller::kCustomer:
        return as(auth::Role::kCustomer, w.customer);
      case Caller::kOtherCustomer:
        return as(auth::Role::kCustomer, w.other_customer);
      case Caller::kStaff:
        return as(auth::Role::kStore, core::new_uuid_v7(), {w.restaurant});
      case Caller::kOtherStaff:
        return as(auth::Role::kStore, core::new_uuid_v7(), {w.other_restaurant});
      case Caller::kCourier:
        return as(auth::Role::kCourier, w.courier);
      case Caller::kOtherCourier:
        return as(auth::Role::kCourier, w.other_courier);
      case Caller::kAdmin:
        return as(auth::Role::kAdmin, core::new_uuid_v7());
      case Caller::kService:
        return as_service();
      case Caller::kWrongSecret:
        return {std::nullopt, std::string("not-the-service-secret")};
    }
    return {};
  }
};

TEST_P(AuthorizationTest, EveryEndpointAndCaller) {
  int checked = 0;
  for (const auto& test_case : cases()) {
    for (const auto& [caller, status] : test_case.expected) {
      World world = make_world();
      Call request = test_case.call(world);
      auto response =
          call(request.method, request.target, credentials(caller, world), request.body);
      EXPECT_EQ(response.status, status)
          << test_case.endpoint << " as " << caller_name(caller) << ": " << response.body;
      if (status == 401) {
        EXPECT_EQ(problem_code(response), "UNAUTHENTICATED") << test_case.endpoint;
      } else if (status == 403) {
        EXPECT_EQ(problem_code(response), "FORBIDDEN") << test_case.endpoint;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 150);
}

TEST_P(AuthorizationTest, ForgedTokenIsRejected) {
  World world = make_world();
  std::string forged = token(auth::Role::kAdmin, core::new_uuid_v7());
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  auto response = call("GET", "/offers/" + world.active, {forged, std::nullopt});
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(problem_code(response), "UNAUTHENTICATED");
}

SURPLUS_DB_INSTANTIATE_ALL(AuthorizationTest);

}  // namespace
}  // namespace surplus::offers
