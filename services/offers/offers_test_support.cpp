#include "offers_test_support.hpp"

#include <surplus/core/id.hpp>
#include <surplus/db/migrate.hpp>

#include "migrations.hpp"
#include "offer_operations.hpp"

namespace surplus::offers::testing {

auth::Identity identity(auth::Role role, std::string user_id,
                        std::vector<std::string> restaurants) {
  auth::Identity result;
  result.user_id = std::move(user_id);
  result.role = role;
  result.restaurants = std::move(restaurants);
  result.token_id = core::new_uuid_v7();
  return result;
}

Actor staff_of(const std::string& restaurant_id) {
  return Actor::user(identity(auth::Role::kStore, core::new_uuid_v7(), {restaurant_id}));
}

Actor admin() {
  return Actor::user(identity(auth::Role::kAdmin, core::new_uuid_v7()));
}

Actor customer(const std::string& user_id) {
  return Actor::user(identity(auth::Role::kCustomer, user_id));
}

Actor courier_user(const std::string& user_id) {
  return Actor::user(identity(auth::Role::kCourier, user_id));
}

nlohmann::json window_json(std::chrono::minutes from_now, std::chrono::minutes length) {
  auto start = core::now() + from_now;
  return {{"start", core::format_rfc3339(start)}, {"end", core::format_rfc3339(start + length)}};
}

nlohmann::json bag_request(int quantity) {
  return {{"kind", "SURPRISE_BAG"},
          {"title", "Bakery surprise bag"},
          {"description", "Bread and pastries from today"},
          {"category", "bakery"},
          {"dietaryTags", {"vegetarian"}},
          {"price", {{"amount", 300}, {"currency", "EUR"}}},
          {"originalValue", {{"amount", 900}, {"currency", "EUR"}}},
          {"quantity", quantity},
          {"pickupWindow", window_json(std::chrono::minutes(60), std::chrono::minutes(120))}};
}

void OffersDatabaseTest::SetUp() {
  DatabaseTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) {
    return;
  }
  db::migrate(db(), migrations());
  directory_ = std::make_unique<RestaurantDirectory>(
      db(), "", auth::ServiceSecret(std::string(kTestServiceSecret)), std::chrono::hours(1));
}

std::string OffersDatabaseTest::add_restaurant(core::GeoPoint location) {
  std::string id = core::new_uuid_v7();
  directory_->store({id, "Restaurant " + id.substr(0, 8), location, core::now(), std::nullopt});
  return id;
}

std::string OffersDatabaseTest::add_product(const std::string& restaurant_id) {
  std::string id = core::new_uuid_v7();
  directory_->store_product(id, restaurant_id);
  return id;
}

Offer OffersDatabaseTest::publish(const std::string& restaurant_id, const nlohmann::json& request) {
  auto body = request;
  body["publish"] = true;
  return create_offer(db(), *directory_, staff_of(restaurant_id), restaurant_id,
                      parse_offer_input(body, true), core::now());
}

std::int64_t OffersDatabaseTest::outbox_count(const std::string& type) {
  return db()
      .execute("SELECT COUNT(*) FROM outbox WHERE event_type = $1", {type})
      .one()
      .get<std::int64_t>(0);
}

std::vector<nlohmann::json> OffersDatabaseTest::outbox_events(const std::string& type) {
  std::vector<nlohmann::json> events;
  for (const auto& row :
       db().execute("SELECT envelope FROM outbox WHERE event_type = $1 ORDER BY seq", {type})) {
    events.push_back(nlohmann::json::parse(row.get<std::string>(0)));
  }
  return events;
}

}  // namespace surplus::offers::testing
