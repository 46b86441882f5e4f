#include "demo_data.hpp"

#include <surplus/core/id.hpp>
#include <surplus/core/log.hpp>

#include "couriers.hpp"
#include "demo_city.hpp"
#include "offer_operations.hpp"
#include "offers_store.hpp"

namespace surplus::offers {
namespace {

using std::chrono::minutes;

struct DemoBag {
  std::string_view title;
  std::string_view description;
  std::int64_t price;
  std::int64_t value;
  int quantity;
  int start_minutes;  // from the time of seeding
  std::vector<std::string> tags;
};

const std::vector<DemoBag>& demo_bags() {
  static const std::vector<DemoBag> bags{
      {"Surprise bag", "A mix of what is left today.", 390, 1200, 5, 30, {"vegetarian"}},
      {"Evening bag", "Larger bag collected at closing time.", 590, 1800, 3, 180, {}},
  };
  return bags;
}

struct DemoCourier {
  std::string_view key;  // an e-mail for demo_id("user", key)
  std::string_view name;
  Vehicle vehicle;
  core::GeoPoint location;
};

constexpr std::array<DemoCourier, 3> kCouriers{{
    {demo::kDemoCourierEmail, "Kemal Courier", Vehicle::kBike, {52.49930, 13.41800}},
    {"courier2@demo.surplus", "Lena Courier", Vehicle::kScooter, {52.49200, 13.42400}},
    {"courier3@demo.surplus", "Tomasz Courier", Vehicle::kOnFoot, {52.50200, 13.43000}},
}};

bool has_live_offer(db::Session& session, const std::string& restaurant_id, std::string_view title,
                    core::Timestamp now) {
  return !session
              .execute(
                  "SELECT 1 FROM offers WHERE restaurant_id = $1 AND title = $2 "
                  "AND status IN ('DRAFT', 'ACTIVE', 'SOLD_OUT') AND pickup_end > $3",
                  {restaurant_id, std::string(title), core::to_unix_micros(now)})
              .empty();
}

nlohmann::json bag_json(const DemoBag& bag, const demo::DemoRestaurant& restaurant,
                        core::Timestamp now) {
  auto start = now + minutes(bag.start_minutes);
  return {{"kind", "SURPRISE_BAG"},
          {"title", bag.title},
          {"description", bag.description},
          {"category", restaurant.category},
          {"dietaryTags", bag.tags},
          {"price", {{"amount", bag.price}, {"currency", "EUR"}}},
          {"originalValue", {{"amount", bag.value}, {"currency", "EUR"}}},
          {"quantity", bag.quantity},
          {"maxPerCustomer", 2},
          {"pickupWindow",
           {{"start", core::format_rfc3339(start)},
            {"end", core::format_rfc3339(start + minutes(90))}}},
          {"publish", true}};
}

void seed_offers(OffersApp& app, DemoReport& report) {
  // The demo STORE account is staff of every demo restaurant.
  auth::Identity store{
      demo::demo_id("user", demo::kDemoStoreEmail), auth::Role::kStore, {}, "demo-seed"};
  for (const auto& restaurant : demo::kDemoRestaurants) {
    store.restaurants.push_back(demo::demo_id("restaurant", restaurant.name));
  }
  Actor actor = Actor::user(store);
  for (const auto& restaurant : demo::kDemoRestaurants) {
    std::string id = demo::demo_id("restaurant", restaurant.name);
    auto now = core::now();
    app.directory.store({id,
                         std::string(restaurant.name),
                         {restaurant.latitude, restaurant.longitude},
                         now,
                         std::nullopt});
    ++report.restaurants;
    for (const auto& bag : demo_bags()) {
      bool exists = app.database.transaction(
          [&](db::Session& session) { return has_live_offer(session, id, bag.title, now); });
      if (exists) {
        continue;
      }
      create_offer(app.database, app.directory, actor, id,
                   parse_offer_input(bag_json(bag, restaurant, now), true), now);
      ++report.offers_created;
    }
  }
}

void seed_couriers(OffersApp& app, DemoReport& report) {
  auto now = core::now();
  app.database.transaction([&](db::Session& session) {
    for (const auto& demo_courier : kCouriers) {
      Courier courier{demo::demo_id("user", demo_courier.key),
                      std::string(demo_courier.name),
                      demo_courier.vehicle,
                      CourierStatus::kAvailable,
                      std::nullopt,
                      std::nullopt,
                      now,
                      now};
      if (find_courier(session, courier.id)) {
        continue;
      }
      upsert_courier(session, courier);
      update_courier(session, courier.id, CourierStatus::kAvailable, std::nullopt, now);
      record_courier_location(session, courier.id, demo_courier.location, now);
      ++report.couriers_created;
    }
  });
}

}  // namespace

DemoReport seed_demo_data(OffersApp& app) {
  DemoReport report;
  seed_offers(app, report);
  seed_couriers(app, report);
  spdlog::info("demo data: {} restaurant locations, {} offers and {} couriers created",
               report.restaurants, report.offers_created, report.couriers_created);
  return report;
}

}  // namespace surplus::offers
