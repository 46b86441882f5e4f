#pragma once

#include <optional>
#include <string_view>

namespace surplus::offers {

enum class Vehicle { kBike, kScooter, kCar, kOnFoot };

// "BIKE", "SCOOTER", "CAR" or "ON_FOOT": the wire and database form.
std::string_view vehicle_name(Vehicle vehicle);
std::optional<Vehicle> parse_vehicle(std::string_view name);

// Effective speed in km/h over the straight-line (haversine) distance between stops, used
// for ETAs. They are below the usual cruising speeds because road distance in a city is
// longer than the straight line (an estimated 1.2 to 1.4 times) and because traffic lights
// and parking cost time:
//   ON_FOOT 4.5 (walking 5-6 km/h on roads)   BIKE 12 (riding 15-18 km/h)
//   SCOOTER 18 (riding 25-30 km/h)            CAR 20 (urban driving 25-35 km/h)
// They are estimates for city deliveries, not measurements.
double vehicle_speed_kmh(Vehicle vehicle);

}  // namespace surplus::offers
