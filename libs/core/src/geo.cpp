#include <cmath>
#include <numbers>

#include <surplus/core/geo.hpp>

namespace surplus::core {
namespace {

double radians(double degrees) {
  return degrees * std::numbers::pi / 180.0;
}

}  // namespace

double round_to_metres(double km) {
  return std::round(km * 1000) / 1000;
}

double haversine_km(GeoPoint a, GeoPoint b) {
  double dlat = radians(b.latitude - a.latitude);
  double dlon = radians(b.longitude - a.longitude);
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(radians(a.latitude)) *
                                                           std::cos(radians(b.latitude)) *
                                                           std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

bool is_valid_latitude(double degrees) {
  return std::isfinite(degrees) && degrees >= -90 && degrees <= 90;
}

bool is_valid_longitude(double degrees) {
  return std::isfinite(degrees) && degrees >= -180 && degrees <= 180;
}

}  // namespace surplus::core
