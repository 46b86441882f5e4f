#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <surplus/core/geo.hpp>
#include <surplus/core/time.hpp>

#include "vehicle.hpp"

// Orders the stops of a courier's open deliveries into a short route. The problem is a
// pickup-and-delivery path (open at the end, no capacity or time windows): start at the
// courier's location, visit every stop once, and visit each delivery's pickup before
// its drop-off. Pure computation, no I/O.
namespace surplus::offers {

enum class StopKind { kPickup, kDropoff };

// One open delivery as the planner sees it. A delivery already picked up contributes only
// its drop-off.
struct RouteDelivery {
  std::string delivery_id;
  core::GeoPoint pickup;
  core::GeoPoint dropoff;
  bool picked_up = false;
};

// A stop to visit. `delivery` indexes the deliveries the stops were built from.
struct RouteStop {
  std::size_t delivery = 0;
  StopKind kind = StopKind::kPickup;
  core::GeoPoint location;
};

// A visiting order: a permutation of indexes into a stop list.
using StopOrder = std::vector<std::size_t>;

// Returns the pickup (unless picked up) and drop-off of every delivery, in input order.
std::vector<RouteStop> route_stops(const std::vector<RouteDelivery>& deliveries);

// Whether `order` is a permutation of the stops that visits each delivery's pickup before
// its drop-off.
bool keeps_precedence(const std::vector<RouteStop>& stops, const StopOrder& order);

// Haversine length in km of the path from `start` through the stops in `order`.
double route_length_km(core::GeoPoint start, const std::vector<RouteStop>& stops,
                       const StopOrder& order);

// Greedy construction: from the current position, go to the nearest stop that precedence
// allows (any pickup, or a drop-off whose pickup is done).
StopOrder nearest_neighbour_order(core::GeoPoint start, const std::vector<RouteStop>& stops);

// Greedy construction: add deliveries one at a time, each at the pickup and drop-off
// positions that lengthen the path least, always taking the delivery that is cheapest to
// add next.
StopOrder cheapest_insertion_order(core::GeoPoint start, const std::vector<RouteStop>& stops);

// Local search from a feasible `order`: relocates segments of one to three stops (also
// reversed), reverses sub-paths (2-opt), swaps pairs of stops and reinserts whole
// deliveries at their cheapest positions. It takes every move that shortens the path and
// keeps precedence, until no move helps or a bound on rounds is reached. Returns an order
// no longer than `order`.
StopOrder improve_order(core::GeoPoint start, const std::vector<RouteStop>& stops, StopOrder order);

// Returns the planner's order. It runs the local search from cheapest insertion and from
// nearest neighbour with each of the (up to six) stops nearest the start forced first, and
// keeps the shortest result.
StopOrder plan_stop_order(core::GeoPoint start, const std::vector<RouteStop>& stops);

struct PlannedStop {
  std::string delivery_id;
  StopKind kind = StopKind::kPickup;
  core::GeoPoint location;
  double leg_km = 0;  // from the previous stop, or from the start for the first
  double cumulative_km = 0;
  core::Timestamp eta;  // arrival at this stop
};

struct RoutePlan {
  std::vector<PlannedStop> stops;
  double total_km = 0;
  core::Timestamp finish;  // departure from the last stop; the start time without stops
};

struct RouteTiming {
  Vehicle vehicle = Vehicle::kBike;
  core::Timestamp departure;
  // Time spent at each stop (handing over, finding the door) before the next leg.
  std::chrono::seconds dwell{180};
};

// Plans the route from `start` and computes per-stop ETAs: arrival = departure + travel
// time of the legs so far at vehicle_speed_kmh + one dwell per earlier stop.
RoutePlan plan_route(core::GeoPoint start, const std::vector<RouteDelivery>& deliveries,
                     const RouteTiming& timing);

}  // namespace surplus::offers
