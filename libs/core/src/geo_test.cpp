#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include <surplus/core/geo.hpp>

namespace surplus::core {
namespace {

TEST(RoundToMetresTest, KeepsThreeDecimals) {
  EXPECT_DOUBLE_EQ(round_to_metres(1.6176821265131605), 1.618);
  EXPECT_DOUBLE_EQ(round_to_metres(0.0039056203270668843), 0.004);
  EXPECT_DOUBLE_EQ(round_to_metres(0.0004), 0.0);
  EXPECT_DOUBLE_EQ(round_to_metres(16095.3), 16095.3);
}

TEST(HaversineTest, SamePointIsZero) {
  EXPECT_DOUBLE_EQ(haversine_km({52.52, 13.405}, {52.52, 13.405}), 0.0);
}

TEST(HaversineTest, BerlinToParis) {
  // Brandenburg Gate to the Eiffel Tower: about 878 km along the great circle.
  double km = haversine_km({52.5163, 13.3777}, {48.8584, 2.2945});
  EXPECT_NEAR(km, 878.0, 2.0);
}

TEST(HaversineTest, OneDegreeOfLatitude) {
  // One degree along a meridian is R * pi / 180.
  EXPECT_NEAR(haversine_km({0, 0}, {1, 0}), kEarthRadiusKm * M_PI / 180, 1e-9);
}

TEST(HaversineTest, AntipodesStayFinite) {
  double km = haversine_km({0, 0}, {0, 180});
  EXPECT_NEAR(km, kEarthRadiusKm * M_PI, 1e-6);
}

TEST(GeoRangeTest, ValidatesRanges) {
  EXPECT_TRUE(is_valid_latitude(-90));
  EXPECT_TRUE(is_valid_latitude(90));
  EXPECT_FALSE(is_valid_latitude(90.0001));
  EXPECT_FALSE(is_valid_latitude(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_TRUE(is_valid_longitude(-180));
  EXPECT_FALSE(is_valid_longitude(180.5));
  EXPECT_FALSE(is_valid_longitude(std::numeric_limits<double>::infinity()));
}

}  // namespace
}  // namespace surplus::core
