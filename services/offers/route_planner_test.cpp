#include "route_planner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace surplus::offers {
namespace {

using std::chrono::seconds;

constexpr core::GeoPoint kCityCentre{52.520, 13.405};

// A random instance: `deliveries` deliveries with points in a box of about 14 x 14 km
// around the centre, each already picked up with probability 1/4.
std::vector<RouteDelivery> random_deliveries(std::mt19937& random, int deliveries) {
  std::uniform_real_distribution<double> dlat(-0.06, 0.06);
  std::uniform_real_distribution<double> dlon(-0.10, 0.10);
  std::bernoulli_distribution picked_up(0.25);
  std::vector<RouteDelivery> result;
  for (int i = 0; i < deliveries; ++i) {
    RouteDelivery delivery;
    delivery.delivery_id = "d" + std::to_string(i);
    delivery.pickup = {kCityCentre.latitude + dlat(random), kCityCentre.longitude + dlon(random)};
    delivery.dropoff = {kCityCentre.latitude + dlat(random), kCityCentre.longitude + dlon(random)};
    delivery.picked_up = picked_up(random);
    result.push_back(delivery);
  }
  return result;
}

// Exhaustive search over every order that keeps precedence (depth-first over feasible
// prefixes, no pruning by length), so the result is the true optimum. It keeps its own
// distance table so that it shares no code with the planner beyond haversine_km.
class ExhaustiveSearch {
 public:
  ExhaustiveSearch(core::GeoPoint start, const std::vector<RouteStop>& stops)
      : stops_(stops), used_(stops.size(), false) {
    for (const auto& stop : stops) {
      from_start_.push_back(core::haversine_km(start, stop.location));
      std::vector<double> row;
      for (const auto& other : stops) {
        row.push_back(core::haversine_km(stop.location, other.location));
      }
      between_.push_back(row);
    }
  }

  double optimum_km() {
    extend(stops_.size(), 0.0);
    return best_km_;
  }

  std::uint64_t orders_seen() const { return orders_seen_; }

 private:
  bool allowed(std::size_t stop) const {
    if (used_[stop]) {
      return false;
    }
    if (stops_[stop].kind == StopKind::kPickup) {
      return true;
    }
    for (std::size_t other = 0; other < stops_.size(); ++other) {
      if (stops_[other].kind == StopKind::kPickup &&
          stops_[other].delivery == stops_[stop].delivery && !used_[other]) {
        return false;
      }
    }
    return true;
  }

  // `last` is the previous stop, or stops_.size() at the start.
  void extend(std::size_t last, double length_km) {
    if (visited_ == stops_.size()) {
      ++orders_seen_;
      best_km_ = std::min(best_km_, length_km);
      return;
    }
    for (std::size_t stop = 0; stop < stops_.size(); ++stop) {
      if (!allowed(stop)) {
        continue;
      }
      double leg = last == stops_.size() ? from_start_[stop] : between_[last][stop];
      used_[stop] = true;
      ++visited_;
      extend(stop, length_km + leg);
      --visited_;
      used_[stop] = false;
    }
  }

  const std::vector<RouteStop>& stops_;
  std::vector<double> from_start_;
  std::vector<std::vector<double>> between_;
  std::vector<bool> used_;
  std::size_t visited_ = 0;
  double best_km_ = std::numeric_limits<double>::infinity();
  std::uint64_t orders_seen_ = 0;
};

bool is_permutation_of_stops(const StopOrder& order, std::size_t stops) {
  StopOrder sorted = order;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i] != i) {
      return false;
    }
  }
  return sorted.size() == stops;
}

TEST(RouteStopsTest, PickedUpDeliveryHasOnlyDropoff) {
  std::vector<RouteDelivery> deliveries{
      {"a", {52.50, 13.40}, {52.51, 13.41}, false},
      {"b", {52.52, 13.42}, {52.53, 13.43}, true},
  };
  auto stops = route_stops(deliveries);
  ASSERT_EQ(stops.size(), 3u);
  EXPECT_EQ(stops[0].delivery, 0u);
  EXPECT_EQ(stops[0].kind, StopKind::kPickup);
  EXPECT_EQ(stops[1].delivery, 0u);
  EXPECT_EQ(stops[1].kind, StopKind::kDropoff);
  EXPECT_EQ(stops[2].delivery, 1u);
  EXPECT_EQ(stops[2].kind, StopKind::kDropoff);
  EXPECT_DOUBLE_EQ(stops[2].location.latitude, 52.53);
}

TEST(KeepsPrecedenceTest, RejectsDropoffBeforePickup) {
  std::vector<RouteDelivery> deliveries{{"a", {52.50, 13.40}, {52.51, 13.41}, false}};
  auto stops = route_stops(deliveries);
  EXPECT_TRUE(keeps_precedence(stops, {0, 1}));
  EXPECT_FALSE(keeps_precedence(stops, {1, 0}));
}

TEST(KeepsPrecedenceTest, RejectsNonPermutations) {
  std::vector<RouteDelivery> deliveries{{"a", {52.50, 13.40}, {52.51, 13.41}, false}};
  auto stops = route_stops(deliveries);
  EXPECT_FALSE(keeps_precedence(stops, {0, 0}));
  EXPECT_FALSE(keeps_precedence(stops, {0}));
  EXPECT_FALSE(keeps_precedence(stops, {0, 2}));
}

TEST(RouteLengthTest, SumsHaversineLegs) {
  std::vector<RouteDelivery> deliveries{{"a", {0.1, 0}, {0.2, 0}, false}};
  auto stops = route_stops(deliveries);
  double tenth_degree_km = core::kEarthRadiusKm * M_PI / 180 * 0.1;
  EXPECT_NEAR(route_length_km({0, 0}, stops, {0, 1}), 2 * tenth_degree_km, 1e-9);
  EXPECT_NEAR(route_length_km({0, 0}, stops, {}), 0.0, 1e-12);
}

// The greedy trap: the nearest pickup lies behind the start, so nearest neighbour walks
// back and forth while the best path sweeps in one direction.
TEST(PlanStopOrderTest, BeatsNearestNeighbourOnTrap) {
  std::vector<RouteDelivery> deliveries{
      {"east", {0.0, 0.010}, {0.0, 0.050}, false},
      {"west", {0.0, -0.009}, {0.0, 0.040}, false},
  };
  auto stops = route_stops(deliveries);
  core::GeoPoint start{0, 0};
  auto greedy = nearest_neighbour_order(start, stops);
  auto planned = plan_stop_order(start, stops);
  ExhaustiveSearch search(start, stops);
  double optimum = search.optimum_km();
  EXPECT_TRUE(keeps_precedence(stops, planned));
  EXPECT_NEAR(route_length_km(start, stops, planned), optimum, 1e-9);
  EXPECT_LE(route_length_km(start, stops, planned), route_length_km(start, stops, greedy));
}

TEST(ExhaustiveSearchTest, CountsFeasibleOrders) {
  // Four deliveries not yet picked up: 8! / 2^4 = 2520 orders keep precedence.
  std::mt19937 random(7);
  auto deliveries = random_deliveries(random, 4);
  for (auto& delivery : deliveries) {
    delivery.picked_up = false;
  }
  auto stops = route_stops(deliveries);
  ExhaustiveSearch search(kCityCentre, stops);
  search.optimum_km();
  EXPECT_EQ(search.orders_seen(), 2520u);
}

// The acceptance bound: on random instances of up to 8 stops the planner is within 10% of
// the optimum, keeps precedence and returns every stop once. Seeds are fixed, so a
// failure reproduces.
TEST(PlanStopOrderTest, WithinTenPercentOfOptimum) {
  constexpr int kInstances = 1500;
  double worst_ratio = 1.0;
  int optimal = 0;
  for (int instance = 0; instance < kInstances; ++instance) {
    std::mt19937 random(static_cast<std::uint32_t>(1000 + instance));
    int count = 1 + instance % 4;
    auto deliveries = random_deliveries(random, count);
    std::uniform_real_distribution<double> offset(-0.05, 0.05);
    core::GeoPoint start{kCityCentre.latitude + offset(random),
                         kCityCentre.longitude + offset(random)};
    auto stops = route_stops(deliveries);

    StopOrder planned = plan_stop_order(start, stops);
    ASSERT_TRUE(is_permutation_of_stops(planned, stops.size())) << "instance " << instance;
    ASSERT_TRUE(keeps_precedence(stops, planned)) << "instance " << instance;

    double planned_km = route_length_km(start, stops, planned);
    double optimum_km = ExhaustiveSearch(start, stops).optimum_km();
    ASSERT_GE(planned_km, optimum_km - 1e-9) << "instance " << instance;
    EXPECT_LE(planned_km, optimum_km * 1.10)
        << "instance " << instance << ": " << planned_km << " km against " << optimum_km;
    worst_ratio = std::max(worst_ratio, planned_km / optimum_km);
    if (planned_km <= optimum_km + 1e-9) {
      ++optimal;
    }
  }
  RecordProperty("worst_ratio", std::to_string(worst_ratio));
  RecordProperty("optimal_instances", optimal);
  std::cout << "worst ratio " << worst_ratio << ", optimal on " << optimal << " of " << kInstances
            << " instances\n";
}

TEST(NearestNeighbourOrderTest, KeepsPrecedence) {
  for (int instance = 0; instance < 300; ++instance) {
    std::mt19937 random(static_cast<std::uint32_t>(instance));
    auto deliveries = random_deliveries(random, 1 + instance % 6);
    auto stops = route_stops(deliveries);
    auto order = nearest_neighbour_order(kCityCentre, stops);
    ASSERT_TRUE(is_permutation_of_stops(order, stops.size())) << "instance " << instance;
    ASSERT_TRUE(keeps_precedence(stops, order)) << "instance " << instance;
  }
}

TEST(CheapestInsertionOrderTest, KeepsPrecedence) {
  for (int instance = 0; instance < 300; ++instance) {
    std::mt19937 random(static_cast<std::uint32_t>(instance));
    auto deliveries = random_deliveries(random, 1 + instance % 6);
    auto stops = route_stops(deliveries);
    auto order = cheapest_insertion_order(kCityCentre, stops);
    ASSERT_TRUE(is_permutation_of_stops(order, stops.size())) << "instance " << instance;
    ASSERT_TRUE(keeps_precedence(stops, order)) << "instance " << instance;
  }
}

TEST(ImproveOrderTest, NeverLengthensAndKeepsPrecedence) {
  for (int instance = 0; instance < 200; ++instance) {
    std::mt19937 random(static_cast<std::uint32_t>(5000 + instance));
    auto deliveries = random_deliveries(random, 2 + instance % 8);
    auto stops = route_stops(deliveries);
    // A feasible but poor start: the stops in input order (each pickup before its drop-off).
    StopOrder input(stops.size());
    for (std::size_t i = 0; i < input.size(); ++i) {
      input[i] = i;
    }
    auto improved = improve_order(kCityCentre, stops, input);
    ASSERT_TRUE(keeps_precedence(stops, improved)) << "instance " << instance;
    EXPECT_LE(route_length_km(kCityCentre, stops, improved),
              route_length_km(kCityCentre, stops, input) + 1e-9)
        << "instance " << instance;
  }
}

TEST(PlanRouteTest, LargeRouteKeepsPrecedence) {
  std::mt19937 random(99);
  auto deliveries = random_deliveries(random, 15);
  auto stops = route_stops(deliveries);
  auto order = plan_stop_order(kCityCentre, stops);
  EXPECT_TRUE(is_permutation_of_stops(order, stops.size()));
  EXPECT_TRUE(keeps_precedence(stops, order));
  EXPECT_LE(
      route_length_km(kCityCentre, stops, order),
      route_length_km(kCityCentre, stops, nearest_neighbour_order(kCityCentre, stops)) + 1e-9);
}

TEST(PlanRouteTest, EtasFromSpeedAndDwell) {
  // Two legs of 0.1 degree north along the prime meridian: 11.1195 km each.
  std::vector<RouteDelivery> deliveries{{"a", {0.1, 0}, {0.2, 0}, false}};
  RouteTiming timing;
  timing.vehicle = Vehicle::kBike;
  timing.departure = core::from_unix_micros(1'800'000'000'000'000);
  timing.dwell = seconds(180);

  RoutePlan plan = plan_route({0, 0}, deliveries, timing);

  double leg_km = core::kEarthRadiusKm * M_PI / 180 * 0.1;
  // 11.1195 km at 12 km/h is 3335.85 s.
  auto leg_time = std::chrono::microseconds(static_cast<std::int64_t>(leg_km / 12.0 * 3600e6));
  ASSERT_EQ(plan.stops.size(), 2u);
  EXPECT_EQ(plan.stops[0].delivery_id, "a");
  EXPECT_EQ(plan.stops[0].kind, StopKind::kPickup);
  EXPECT_EQ(plan.stops[1].kind, StopKind::kDropoff);
  EXPECT_NEAR(plan.stops[0].leg_km, leg_km, 1e-9);
  EXPECT_NEAR(plan.stops[1].cumulative_km, 2 * leg_km, 1e-9);
  EXPECT_NEAR(plan.total_km, 2 * leg_km, 1e-9);
  EXPECT_NEAR(std::chrono::duration<double>(plan.stops[0].eta - timing.departure).count(), 3335.85,
              0.1);
  auto expected_second = timing.departure + leg_time + seconds(180) + leg_time;
  EXPECT_LE(std::chrono::abs(plan.stops[1].eta - expected_second), std::chrono::microseconds(2));
  EXPECT_EQ(plan.finish, plan.stops[1].eta + seconds(180));
}

TEST(PlanRouteTest, EtasAreMonotone) {
  for (int instance = 0; instance < 200; ++instance) {
    std::mt19937 random(static_cast<std::uint32_t>(9000 + instance));
    auto deliveries = random_deliveries(random, 1 + instance % 6);
    RouteTiming timing;
    timing.vehicle = static_cast<Vehicle>(instance % 4);
    timing.departure = core::from_unix_micros(1'800'000'000'000'000);
    RoutePlan plan = plan_route(kCityCentre, deliveries, timing);
    ASSERT_FALSE(plan.stops.empty());
    EXPECT_GE(plan.stops.front().eta, timing.departure);
    double cumulative = 0;
    for (std::size_t i = 0; i < plan.stops.size(); ++i) {
      cumulative += plan.stops[i].leg_km;
      EXPECT_NEAR(plan.stops[i].cumulative_km, cumulative, 1e-9);
      if (i > 0) {
        EXPECT_GE(plan.stops[i].eta, plan.stops[i - 1].eta + timing.dwell)
            << "instance " << instance << " stop " << i;
      }
    }
    EXPECT_NEAR(plan.total_km, cumulative, 1e-9);
  }
}

TEST(PlanRouteTest, NoDeliveriesIsEmptyRoute) {
  RouteTiming timing;
  timing.departure = core::from_unix_micros(1'800'000'000'000'000);
  RoutePlan plan = plan_route(kCityCentre, {}, timing);
  EXPECT_TRUE(plan.stops.empty());
  EXPECT_EQ(plan.total_km, 0.0);
  EXPECT_EQ(plan.finish, timing.departure);
}

TEST(VehicleTest, NamesRoundTrip) {
  for (auto vehicle : {Vehicle::kBike, Vehicle::kScooter, Vehicle::kCar, Vehicle::kOnFoot}) {
    auto parsed = parse_vehicle(vehicle_name(vehicle));
    ASSERT_TRUE(parsed.has_value()) << vehicle_name(vehicle);
    EXPECT_EQ(*parsed, vehicle);
  }
  EXPECT_FALSE(parse_vehicle("bike").has_value());
  EXPECT_FALSE(parse_vehicle("TRUCK").has_value());
}

TEST(VehicleTest, SpeedsOrdered) {
  EXPECT_LT(vehicle_speed_kmh(Vehicle::kOnFoot), vehicle_speed_kmh(Vehicle::kBike));
  EXPECT_LT(vehicle_speed_kmh(Vehicle::kBike), vehicle_speed_kmh(Vehicle::kScooter));
  EXPECT_LE(vehicle_speed_kmh(Vehicle::kScooter), vehicle_speed_kmh(Vehicle::kCar));
}

}  // namespace
}  // namespace surplus::offers
