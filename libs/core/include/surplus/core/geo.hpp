#pragma once

namespace surplus::core {

struct GeoPoint {
  double latitude = 0;   // degrees, -90 to 90
  double longitude = 0;  // degrees, -180 to 180
};

// Mean Earth radius used for every distance in Surplus, in kilometres (IUGG).
inline constexpr double kEarthRadiusKm = 6371.0088;

// Great-circle distance in kilometres by the haversine formula.
double haversine_km(GeoPoint a, GeoPoint b);

// `km` rounded to whole metres, for distances shown to clients: more digits only repeat the
// floating-point noise of the formula.
double round_to_metres(double km);

bool is_valid_latitude(double degrees);
bool is_valid_longitude(double degrees);

}  // namespace surplus::core
