#include "offer_search.hpp"

#include <random>

#include <gtest/gtest.h>

#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>

#include "offer_operations.hpp"
#include "offers_test_support.hpp"
#include "read_only.hpp"
#include "reservations.hpp"

namespace surplus::offers {
namespace {

using std::chrono::minutes;
using testing::bag_request;
using testing::window_json;

constexpr core::GeoPoint kCenter{52.5, 13.4};

bool inside(const BoundingBox& box, core::GeoPoint point) {
  if (point.latitude < box.min_latitude || point.latitude > box.max_latitude) {
    return false;
  }
  for (auto [west, east] : box.longitude_ranges) {
    if (point.longitude >= west && point.longitude <= east) {
      return true;
    }
  }
  return false;
}

TEST(BoundingBoxTest, ContainsEveryPointWithinRadius) {
  std::mt19937 random(42);
  std::uniform_real_distribution<double> latitude(-85, 85);
  std::uniform_real_distribution<double> longitude(-180, 180);
  std::uniform_real_distribution<double> radius(0.1, 50);
  std::uniform_real_distribution<double> bearing(0, 2 * M_PI);
  for (int i = 0; i < 2000; ++i) {
    core::GeoPoint center{latitude(random), longitude(random)};
    double radius_km = radius(random);
    BoundingBox box = bounding_box(center, radius_km);
    // A point at 99.9% of the radius in a random direction (spherical destination formula).
    double angle = radius_km * 0.999 / core::kEarthRadiusKm;
    double theta = bearing(random);
    double lat1 = center.latitude * M_PI / 180;
    double lon1 = center.longitude * M_PI / 180;
    double lat2 = std::asin(std::sin(lat1) * std::cos(angle) +
                            std::cos(lat1) * std::sin(angle) * std::cos(theta));
    double lon2 = lon1 + std::atan2(std::sin(theta) * std::sin(angle) * std::cos(lat1),
                                    std::cos(angle) - std::sin(lat1) * std::sin(lat2));
    double lon_degrees = std::remainder(lon2 * 180 / M_PI, 360.0);
    core::GeoPoint point{lat2 * 180 / M_PI, lon_degrees};
    ASSERT_LE(core::haversine_km(center, point), radius_km);
    ASSERT_TRUE(inside(box, point))
        << "center " << center.latitude << "," << center.longitude << " radius " << radius_km
        << " point " << point.latitude << "," << point.longitude;
  }
}

TEST(BoundingBoxTest, SplitsAtAntimeridian) {
  BoundingBox box = bounding_box({0, 179.99}, 10);
  ASSERT_EQ(box.longitude_ranges.size(), 2u);
  EXPECT_GT(box.longitude_ranges[0].first, 179.9);
  EXPECT_DOUBLE_EQ(box.longitude_ranges[0].second, 180.0);
  EXPECT_DOUBLE_EQ(box.longitude_ranges[1].first, -180.0);
  EXPECT_LT(box.longitude_ranges[1].second, -179.9);
}

TEST(BoundingBoxTest, CoversAllLongitudesNearPole) {
  BoundingBox box = bounding_box({89.99, 10}, 5);
  ASSERT_EQ(box.longitude_ranges.size(), 1u);
  EXPECT_DOUBLE_EQ(box.longitude_ranges[0].first, -180.0);
  EXPECT_DOUBLE_EQ(box.longitude_ranges[0].second, 180.0);
  EXPECT_DOUBLE_EQ(box.max_latitude, 90.0);
}

TEST(BoundingBoxTest, OneKilometreOfLatitude) {
  // 1 km along a meridian is 180 / (pi * 6371.0088) = 0.0089932 degrees.
  BoundingBox box = bounding_box(kCenter, 1);
  EXPECT_NEAR(box.max_latitude - kCenter.latitude, 0.0089932, 1e-7);
  EXPECT_NEAR(kCenter.latitude - box.min_latitude, 0.0089932, 1e-7);
}

// Offers around kCenter with distances computed by hand from the haversine formula with
// R = 6371.0088 km:
//   a (52.500, 13.400)  0 km
//   b (52.509, 13.400)  0.009 degrees of latitude = R * pi / 180 * 0.009 = 1.000756 km
//   c (52.500, 13.430)  about R * pi / 180 * 0.03 * cos(52.5 deg) = 2.030738 km
//   d (52.473, 13.370)  3.624919 km, sold out
//   e (52.545, 13.400)  5.003779 km, just outside 5 km
//   f (52.500, 13.475)  5.076845 km, outside
// plus a draft and a cancelled offer at the centre, which searches never return.
class OfferSearchTest : public testing::OffersDatabaseTest {
 protected:
  void SetUp() override {
    OffersDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    a_ = add("bakery", {"vegan", "vegetarian"}, 300, 60, 120, {52.500, 13.400});
    b_ = add("meals", {"vegetarian"}, 450, 30, 60, {52.509, 13.400});
    c_ = add("bakery", {}, 200, 240, 60, {52.500, 13.430});
    d_ = add("groceries", {"vegan"}, 500, 90, 60, {52.473, 13.370}, 1);
    reserve(db(), {core::new_uuid_v7(), d_, core::new_uuid_v7(), 1}, core::now());
    add("bakery", {}, 100, 60, 60, {52.545, 13.400});
    add("bakery", {}, 100, 60, 60, {52.500, 13.475});

    std::string restaurant = add_restaurant(kCenter);
    create_offer(db(), directory(), testing::staff_of(restaurant), restaurant,
                 parse_offer_input(bag_request(), true), core::now());
    Offer cancelled = publish(restaurant, bag_request());
    cancel_offer(db(), testing::staff_of(restaurant), cancelled.id, core::now());
  }

  std::string add(const std::string& category, const std::vector<std::string>& tags, int price,
                  int start_minutes, int length_minutes, core::GeoPoint location,
                  int quantity = 5) {
    auto request = bag_request(quantity);
    request["category"] = category;
    request["dietaryTags"] = tags;
    request["price"]["amount"] = price;
    request["pickupWindow"] = window_json(minutes(start_minutes), minutes(length_minutes));
    return publish(add_restaurant(location), request).id;
  }

  OfferSearchPage run(OfferSearch search) {
    return db().transaction(
        [&](db::Session& session) { return search_offers(session, search, core::now()); },
        read_only());
  }

  std::vector<std::string> ids(OfferSearch search) {
    std::vector<std::string> result;
    for (const auto& hit : run(std::move(search)).hits) {
      result.push_back(hit.offer.id);
    }
    return result;
  }

  OfferSearch near() {
    OfferSearch search;
    search.center = kCenter;
    search.radius_km = 5;
    return search;
  }

  std::string a_, b_, c_, d_;
};

TEST_P(OfferSearchTest, SortsByDistanceWithExactDistances) {
  auto page = run(near());
  ASSERT_EQ(page.hits.size(), 4u);
  EXPECT_EQ(page.hits[0].offer.id, a_);
  EXPECT_EQ(page.hits[1].offer.id, b_);
  EXPECT_EQ(page.hits[2].offer.id, c_);
  EXPECT_EQ(page.hits[3].offer.id, d_);
  EXPECT_NEAR(page.hits[0].distance_km, 0.0, 1e-9);
  EXPECT_NEAR(page.hits[1].distance_km, 1.000756, 1e-6);
  EXPECT_NEAR(page.hits[2].distance_km, 2.030738, 1e-6);
  EXPECT_NEAR(page.hits[3].distance_km, 3.624919, 1e-6);
  EXPECT_FALSE(page.next_key.has_value());
}

TEST_P(OfferSearchTest, RadiusCutsAtExactDistance) {
  auto search = near();
  search.radius_km = 2.03;
  EXPECT_EQ(ids(search), (std::vector<std::string>{a_, b_}));
  search.radius_km = 2.031;
  EXPECT_EQ(ids(search), (std::vector<std::string>{a_, b_, c_}));
  search.radius_km = 5.01;
  EXPECT_EQ(ids(search).size(), 5u);
}

TEST_P(OfferSearchTest, InStockOnlyDropsSoldOut) {
  auto search = near();
  search.in_stock_only = true;
  EXPECT_EQ(ids(search), (std::vector<std::string>{a_, b_, c_}));
}

TEST_P(OfferSearchTest, FiltersByCategory) {
  auto search = near();
  search.category = "bakery";
  EXPECT_EQ(ids(search), (std::vector<std::string>{a_, c_}));
}

TEST_P(OfferSearchTest, FiltersByEveryDietaryTag) {
  auto search = near();
  search.dietary_tags = {"vegan"};
  EXPECT_EQ(ids(search), (std::vector<std::string>{a_, d_}));
  search.dietary_tags = {"vegan", "vegetarian"};
  EXPECT_EQ(ids(search), (std::vector<std::string>{a_}));
  search.dietary_tags = {"vega"};
  EXPECT_TRUE(ids(search).empty());
}

TEST_P(OfferSearchTest, FiltersByMaximumPrice) {
  auto search = near();
  search.max_price = core::Money{300, "EUR"};
  EXPECT_EQ(ids(search), (std::vector<std::string>{a_, c_}));
  search.max_price = core::Money{300, "USD"};
  EXPECT_TRUE(ids(search).empty());
}

TEST_P(OfferSearchTest, FiltersByOverlappingPickupWindow) {
  auto search = near();
  search.pickup_from = core::now() + minutes(200);
  search.pickup_to = core::now() + minutes(260);
  EXPECT_EQ(ids(search), (std::vector<std::string>{c_}));
  search.pickup_from = core::now() + minutes(100);
  search.pickup_to = core::now() + minutes(200);
  EXPECT_EQ(ids(search), (std::vector<std::string>{a_, d_}));
}

TEST_P(OfferSearchTest, SortsByPriceAndPickupTime) {
  auto search = near();
  search.sort = OfferSort::kPrice;
  EXPECT_EQ(ids(search), (std::vector<std::string>{c_, a_, b_, d_}));
  search.sort = OfferSort::kPickupTime;
  EXPECT_EQ(ids(search), (std::vector<std::string>{b_, a_, d_, c_}));
}

TEST_P(OfferSearchTest, PagesWithCursor) {
  auto search = near();
  search.first = 3;
  auto first = run(search);
  ASSERT_EQ(first.hits.size(), 3u);
  ASSERT_TRUE(first.next_key.has_value());
  search.after = first.next_key;
  auto second = run(search);
  ASSERT_EQ(second.hits.size(), 1u);
  EXPECT_EQ(second.hits[0].offer.id, d_);
  EXPECT_FALSE(second.next_key.has_value());

  search.sort = OfferSort::kPrice;
  try {
    run(search);
    ADD_FAILURE() << "a distance cursor was accepted for a price search";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kValidationFailed);
  }
}

TEST_P(OfferSearchTest, HidesEndedWindows) {
  auto search = near();
  auto later = core::now() + minutes(200);
  auto page = db().transaction(
      [&](db::Session& session) { return search_offers(session, search, later); }, read_only());
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_EQ(page.hits[0].offer.id, c_);
}

SURPLUS_DB_INSTANTIATE_ALL(OfferSearchTest);

}  // namespace
}  // namespace surplus::offers
