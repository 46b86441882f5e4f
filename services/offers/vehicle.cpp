#include "vehicle.hpp"

#include <array>
#include <utility>

namespace surplus::offers {
namespace {

struct VehicleInfo {
  Vehicle vehicle;
  std::string_view name;
  double speed_kmh;
};

constexpr std::array kVehicles{
    VehicleInfo{Vehicle::kBike, "BIKE", 12.0},
    VehicleInfo{Vehicle::kScooter, "SCOOTER", 18.0},
    VehicleInfo{Vehicle::kCar, "CAR", 20.0},
    VehicleInfo{Vehicle::kOnFoot, "ON_FOOT", 4.5},
};

const VehicleInfo& info(Vehicle vehicle) {
  for (const auto& entry : kVehicles) {
    if (entry.vehicle == vehicle) {
      return entry;
    }
  }
  return kVehicles[0];  // unreachable while kVehicles lists every enumerator
}

}  // namespace

std::string_view vehicle_name(Vehicle vehicle) {
  return info(vehicle).name;
}

std::optional<Vehicle> parse_vehicle(std::string_view name) {
  for (const auto& entry : kVehicles) {
    if (entry.name == name) {
      return entry.vehicle;
    }
  }
  return std::nullopt;
}

double vehicle_speed_kmh(Vehicle vehicle) {
  return info(vehicle).speed_kmh;
}

}  // namespace surplus::offers
