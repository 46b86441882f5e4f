#include "restaurants_store.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include <surplus/core/geo.hpp>
#include <surplus/core/id.hpp>
#include <surplus/db/migrate.hpp>
#include <surplus/db/testing.hpp>

#include "migrations.hpp"
#include "users_store.hpp"

namespace surplus::orders {
namespace {

bool in_box(const BoundingBox& box, core::GeoPoint point) {
  bool latitude_ok = point.latitude >= box.min_latitude && point.latitude <= box.max_latitude;
  bool longitude_ok =
      box.wraps ? (point.longitude >= box.min_longitude || point.longitude <= box.max_longitude)
                : (point.longitude >= box.min_longitude && point.longitude <= box.max_longitude);
  return latitude_ok && longitude_ok;
}

// Points on the circle of `radius_km` around `center`, by the direct geodesic formula on
// the sphere, must all fall inside the box.
void expect_circle_inside_box(core::GeoPoint center, double radius_km) {
  BoundingBox box = bounding_box(center, radius_km);
  double angular = radius_km / core::kEarthRadiusKm * 0.999999;
  double lat1 = center.latitude * M_PI / 180;
  double lon1 = center.longitude * M_PI / 180;
  for (int step = 0; step < 360; ++step) {
    double bearing = step * M_PI / 180;
    double lat2 = std::asin(std::sin(lat1) * std::cos(angular) +
                            std::cos(lat1) * std::sin(angular) * std::cos(bearing));
    double lon2 = lon1 + std::atan2(std::sin(bearing) * std::sin(angular) * std::cos(lat1),
                                    std::cos(angular) - std::sin(lat1) * std::sin(lat2));
    double lon_degrees = std::remainder(lon2 * 180 / M_PI, 360.0);
    core::GeoPoint point{lat2 * 180 / M_PI, lon_degrees};
    EXPECT_TRUE(in_box(box, point))
        << "bearing " << step << " at " << point.latitude << "," << point.longitude;
  }
}

TEST(BoundingBox, ContainsTheWholeCircle) {
  expect_circle_inside_box({52.5, 13.4}, 5);
  expect_circle_inside_box({0, 0}, 50);
  expect_circle_inside_box({-33.9, 151.2}, 20);
  expect_circle_inside_box({69.6, 18.9}, 50);  // far north, wide in longitude
}

TEST(BoundingBox, WrapsAtTheAntimeridian) {
  BoundingBox east = bounding_box({-17.7, 179.9}, 30);
  EXPECT_TRUE(east.wraps);
  EXPECT_TRUE(in_box(east, {-17.7, -179.9}));
  EXPECT_FALSE(in_box(east, {-17.7, 0}));
  expect_circle_inside_box({-17.7, 179.9}, 30);
  expect_circle_inside_box({-17.7, -179.95}, 30);
}

TEST(BoundingBox, PoleCoversEveryLongitude) {
  BoundingBox box = bounding_box({89.99, 10}, 5);
  EXPECT_EQ(box.max_latitude, 90);
  EXPECT_EQ(box.min_longitude, -180);
  EXPECT_EQ(box.max_longitude, 180);
}

class RestaurantsStoreTest : public db::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped()) {
      return;
    }
    db::migrate(db(), migrations());
    owner_.id = core::new_uuid_v7();
    owner_.email = "owner@example.com";
    owner_.display_name = "Owner";
    owner_.role = auth::Role::kStore;
    owner_.password_hash = "x";
    owner_.created_at = owner_.updated_at = core::now();
    db().transaction([&](db::Session& session) { insert_user(session, owner_); });
  }

  Restaurant add(const std::string& name, double latitude, double longitude,
                 const std::string& category = "bakery") {
    Restaurant restaurant{
        core::new_uuid_v7(), name,         "",    category,  "Street 1",  latitude,
        longitude,           std::nullopt, "UTC", owner_.id, core::now(), core::now()};
    db().transaction([&](db::Session& session) { insert_restaurant(session, restaurant); });
    return restaurant;
  }

  User owner_;
};

TEST_P(RestaurantsStoreTest, NearestFirstWithinRadius) {
  core::GeoPoint center{52.5, 13.4};
  auto far = add("far", 52.5, 13.47);        // about 4.7 km east
  auto near = add("near", 52.5009, 13.4);    // about 100 m north
  auto middle = add("middle", 52.49, 13.4);  // about 1.1 km south
  add("outside", 52.6, 13.4);                // about 11 km north
  add("other side of the world", -52.5, -166.6);

  auto found = db().transaction([&](db::Session& session) {
    return restaurants_near(session, center, 5, std::nullopt, std::nullopt, 10);
  });
  ASSERT_EQ(found.size(), 3U);
  EXPECT_EQ(found[0].restaurant.id, near.id);
  EXPECT_EQ(found[1].restaurant.id, middle.id);
  EXPECT_EQ(found[2].restaurant.id, far.id);
  EXPECT_NEAR(found[0].distance_km, 0.1, 0.01);
  EXPECT_NEAR(found[2].distance_km, 4.74, 0.05);
}

TEST_P(RestaurantsStoreTest, NearbyPagesContinueAfterCursor) {
  core::GeoPoint center{52.5, 13.4};
  std::vector<std::string> expected;
  for (int i = 1; i <= 5; ++i) {
    expected.push_back(add("r" + std::to_string(i), 52.5 + i * 0.001, 13.4).id);
  }
  // Two restaurants at the same spot are ordered by id.
  auto twin = add("twin", 52.503, 13.4);
  expected.insert(expected.begin() + 3, twin.id);

  std::vector<std::string> seen;
  std::optional<NearbyCursor> after;
  for (int page = 0; page < 10; ++page) {
    auto found = db().transaction([&](db::Session& session) {
      return restaurants_near(session, center, 5, std::nullopt, after, 2);
    });
    if (found.empty()) {
      break;
    }
    for (const auto& item : found) {
      seen.push_back(item.restaurant.id);
    }
    after = NearbyCursor{found.back().distance_km, found.back().restaurant.id};
  }
  EXPECT_EQ(seen, expected);
}

TEST_P(RestaurantsStoreTest, NearbyFiltersByCategory) {
  add("bakery", 52.5, 13.4, "bakery");
  auto cafe = add("cafe", 52.5, 13.401, "cafe");
  auto found = db().transaction([&](db::Session& session) {
    return restaurants_near(session, {52.5, 13.4}, 5, std::string("cafe"), std::nullopt, 10);
  });
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].restaurant.id, cafe.id);
}

TEST_P(RestaurantsStoreTest, NearbyAcrossTheAntimeridian) {
  auto west = add("west", -17.7, -179.95);
  add("far", -17.7, 170);
  auto found = db().transaction([&](db::Session& session) {
    return restaurants_near(session, {-17.7, 179.95}, 20, std::nullopt, std::nullopt, 10);
  });
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].restaurant.id, west.id);
}

TEST_P(RestaurantsStoreTest, StaffMembership) {
  auto restaurant = add("staffed", 52.5, 13.4);
  db().transaction([&](db::Session& session) {
    EXPECT_FALSE(is_staff(session, restaurant.id, owner_.id));
    EXPECT_TRUE(add_staff(session, restaurant.id, owner_.id, owner_.id, core::now()));
    EXPECT_FALSE(add_staff(session, restaurant.id, owner_.id, owner_.id, core::now()));
    EXPECT_TRUE(is_staff(session, restaurant.id, owner_.id));
    auto staff = list_staff(session, restaurant.id);
    ASSERT_EQ(staff.size(), 1U);
    EXPECT_EQ(staff[0].email, "owner@example.com");
    EXPECT_TRUE(remove_staff(session, restaurant.id, owner_.id));
    EXPECT_FALSE(remove_staff(session, restaurant.id, owner_.id));
  });
}

SURPLUS_DB_INSTANTIATE_ALL(RestaurantsStoreTest);

Restaurant sample_restaurant() {
  Restaurant restaurant;
  restaurant.id = "0193a5b0-0000-7000-8000-00000000000a";
  restaurant.name = "Bäckerei \"Korn\"";
  restaurant.description = "Bread\nand cakes";
  restaurant.category = "bakery";
  restaurant.address = "Torstraße 1, Berlin";
  restaurant.latitude = 52.529;
  restaurant.longitude = 13.401;
  restaurant.phone = "+49 30 1234567";
  restaurant.time_zone = "Europe/Berlin";
  restaurant.created_by = "0193a5b0-0000-7000-8000-00000000000b";
  restaurant.created_at = core::from_unix_micros(1'764'800'000'000'001);
  restaurant.updated_at = core::from_unix_micros(1'764'800'100'000'000);
  restaurant.rating_count = 3;
  restaurant.rating_sum = 14;
  return restaurant;
}

std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string written(const Restaurant& restaurant, const std::vector<std::string>* staff) {
  core::JsonWriter writer;
  write_restaurant_json(writer, restaurant, staff);
  return writer.take();
}

TEST(WriteRestaurantJson, MatchesRestaurantJsonDump) {
  Restaurant restaurant = sample_restaurant();
  EXPECT_EQ(written(restaurant, nullptr), dump(restaurant_json(restaurant)));

  restaurant.phone.reset();
  restaurant.rating_count = 0;
  restaurant.rating_sum = 0;
  EXPECT_EQ(written(restaurant, nullptr), dump(restaurant_json(restaurant)));
}

TEST(WriteRestaurantJson, AddsStaffUserIds) {
  Restaurant restaurant = sample_restaurant();
  const std::vector<std::string> staff = {"user-1", "user-2"};
  nlohmann::json expected = restaurant_json(restaurant);
  expected["staffUserIds"] = staff;
  EXPECT_EQ(written(restaurant, &staff), dump(expected));

  const std::vector<std::string> nobody;
  expected["staffUserIds"] = nobody;
  EXPECT_EQ(written(restaurant, &nobody), dump(expected));
}

}  // namespace
}  // namespace surplus::orders
