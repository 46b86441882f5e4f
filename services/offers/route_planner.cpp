#include "route_planner.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace surplus::offers {
namespace {

constexpr std::size_t kNoStop = std::numeric_limits<std::size_t>::max();

// A move must shorten the path by more than this (km) to count, so rounding noise cannot
// make the search cycle between equal orders.
constexpr double kMinGainKm = 1e-9;

// Bounds the local search. One round costs O(n^3) for n stops. A courier has a handful of
// open deliveries, so a round that finds no move ends the search long before this.
constexpr int kMaxImprovementRounds = 200;

// How many nearest-neighbour starts plan_stop_order tries, each with another first stop.
constexpr std::size_t kMaxForcedFirstStops = 6;

// Maximum length of the segment that a relocation moves in one piece (or-opt uses 2 and 3).
constexpr std::size_t kMaxSegmentLength = 3;

// Pairwise haversine distances between the start (node 0) and the stops (node i + 1),
// plus each stop's predecessor under precedence.
class StopGraph {
 public:
  StopGraph(core::GeoPoint start, const std::vector<RouteStop>& stops)
      : size_(stops.size()),
        distances_((size_ + 1) * (size_ + 1)),
        predecessor_(size_, kNoStop),
        dropoff_(size_, false) {
    std::vector<core::GeoPoint> nodes{start};
    for (const auto& stop : stops) {
      nodes.push_back(stop.location);
    }
    for (std::size_t a = 0; a < nodes.size(); ++a) {
      for (std::size_t b = 0; b < nodes.size(); ++b) {
        distances_[a * nodes.size() + b] = core::haversine_km(nodes[a], nodes[b]);
      }
    }
    for (std::size_t i = 0; i < size_; ++i) {
      if (stops[i].kind != StopKind::kDropoff) {
        continue;
      }
      dropoff_[i] = true;
      for (std::size_t j = 0; j < size_; ++j) {
        if (stops[j].kind == StopKind::kPickup && stops[j].delivery == stops[i].delivery) {
          predecessor_[i] = j;
        }
      }
    }
  }

  std::size_t size() const { return size_; }
  std::size_t predecessor(std::size_t stop) const { return predecessor_[stop]; }
  bool is_dropoff(std::size_t stop) const { return dropoff_[stop]; }

  double from_start(std::size_t stop) const { return distances_[stop + 1]; }
  double between(std::size_t a, std::size_t b) const {
    return distances_[(a + 1) * (size_ + 1) + b + 1];
  }

  double length(const StopOrder& order) const {
    if (order.empty()) {
      return 0;
    }
    double total = from_start(order.front());
    for (std::size_t i = 1; i < order.size(); ++i) {
      total += between(order[i - 1], order[i]);
    }
    return total;
  }

  bool feasible(const StopOrder& order) const {
    if (order.size() != size_) {
      return false;
    }
    std::vector<std::size_t> position(size_, kNoStop);
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (order[i] >= size_ || position[order[i]] != kNoStop) {
        return false;
      }
      position[order[i]] = i;
    }
    for (std::size_t stop = 0; stop < size_; ++stop) {
      std::size_t before = predecessor_[stop];
      if (before != kNoStop && position[before] > position[stop]) {
        return false;
      }
    }
    return true;
  }

 private:
  std::size_t size_;
  std::vector<double> distances_;
  std::vector<std::size_t> predecessor_;
  std::vector<bool> dropoff_;
};

// Keeps the best feasible candidate seen; `consider` returns true when it was better.
class BestOrder {
 public:
  BestOrder(const StopGraph& graph, StopOrder order)
      : graph_(graph), order_(std::move(order)), length_(graph.length(order_)) {}

  bool consider(const StopOrder& candidate) {
    double length = graph_.length(candidate);
    if (length >= length_ - kMinGainKm || !graph_.feasible(candidate)) {
      return false;
    }
    order_ = candidate;
    length_ = length;
    return true;
  }

  const StopOrder& order() const { return order_; }
  double length() const { return length_; }

 private:
  const StopGraph& graph_;
  StopOrder order_;
  double length_;
};

// Moves order[from, from + length) to `to` (an index into the order without the
// segment), optionally reversed.
StopOrder move_segment(const StopOrder& order, std::size_t from, std::size_t length, std::size_t to,
                       bool reversed) {
  StopOrder segment(order.begin() + static_cast<std::ptrdiff_t>(from),
                    order.begin() + static_cast<std::ptrdiff_t>(from + length));
  if (reversed) {
    std::reverse(segment.begin(), segment.end());
  }
  StopOrder rest;
  rest.reserve(order.size());
  rest.insert(rest.end(), order.begin(), order.begin() + static_cast<std::ptrdiff_t>(from));
  rest.insert(rest.end(), order.begin() + static_cast<std::ptrdiff_t>(from + length), order.end());
  rest.insert(rest.begin() + static_cast<std::ptrdiff_t>(to), segment.begin(), segment.end());
  return rest;
}

// Relocation (length 1) and or-opt (lengths 2 and 3, forwards and reversed).
bool try_segment_moves(BestOrder& best) {
  const StopOrder current = best.order();
  std::size_t n = current.size();
  for (std::size_t length = 1; length <= std::min(kMaxSegmentLength, n); ++length) {
    for (std::size_t from = 0; from + length <= n; ++from) {
      for (std::size_t to = 0; to + length <= n; ++to) {
        if (to == from) {
          continue;
        }
        for (bool reversed : {false, true}) {
          if (reversed && length == 1) {
            continue;
          }
          if (best.consider(move_segment(current, from, length, to, reversed))) {
            return true;
          }
        }
      }
    }
  }
  return false;
}

// 2-opt on a path: reverse order[i..j].
bool try_reversals(BestOrder& best) {
  const StopOrder current = best.order();
  for (std::size_t i = 0; i + 1 < current.size(); ++i) {
    for (std::size_t j = i + 1; j < current.size(); ++j) {
      StopOrder candidate = current;
      std::reverse(candidate.begin() + static_cast<std::ptrdiff_t>(i),
                   candidate.begin() + static_cast<std::ptrdiff_t>(j + 1));
      if (best.consider(candidate)) {
        return true;
      }
    }
  }
  return false;
}

bool try_swaps(BestOrder& best) {
  const StopOrder current = best.order();
  for (std::size_t i = 0; i + 1 < current.size(); ++i) {
    for (std::size_t j = i + 1; j < current.size(); ++j) {
      StopOrder candidate = current;
      std::swap(candidate[i], candidate[j]);
      if (best.consider(candidate)) {
        return true;
      }
    }
  }
  return false;
}

// Extra length of inserting `stop` between positions `index - 1` and `index` of `order`.
double insertion_cost(const StopGraph& graph, const StopOrder& order, std::size_t index,
                      std::size_t stop) {
  double before = index == 0 ? graph.from_start(stop) : graph.between(order[index - 1], stop);
  if (index == order.size()) {
    return before;
  }
  double removed =
      index == 0 ? graph.from_start(order[index]) : graph.between(order[index - 1], order[index]);
  return before + graph.between(stop, order[index]) - removed;
}

struct Insertion {
  double cost = std::numeric_limits<double>::infinity();
  StopOrder order;
};

// The cheapest way to add one delivery (its drop-off and, unless done, its pickup).
Insertion best_insertion(const StopGraph& graph, const StopOrder& order, std::size_t dropoff) {
  Insertion best;
  std::size_t pickup = graph.predecessor(dropoff);
  if (pickup == kNoStop) {
    for (std::size_t at = 0; at <= order.size(); ++at) {
      double cost = insertion_cost(graph, order, at, dropoff);
      if (cost < best.cost) {
        best.cost = cost;
        best.order = order;
        best.order.insert(best.order.begin() + static_cast<std::ptrdiff_t>(at), dropoff);
      }
    }
    return best;
  }
  for (std::size_t at = 0; at <= order.size(); ++at) {
    StopOrder with_pickup = order;
    with_pickup.insert(with_pickup.begin() + static_cast<std::ptrdiff_t>(at), pickup);
    double pickup_cost = insertion_cost(graph, order, at, pickup);
    for (std::size_t after = at + 1; after <= with_pickup.size(); ++after) {
      double cost = pickup_cost + insertion_cost(graph, with_pickup, after, dropoff);
      if (cost < best.cost) {
        best.cost = cost;
        best.order = with_pickup;
        best.order.insert(best.order.begin() + static_cast<std::ptrdiff_t>(after), dropoff);
      }
    }
  }
  return best;
}

// Nearest neighbour, optionally with the first stop forced (kNoStop: none forced).
StopOrder nearest_neighbour_from(const StopGraph& graph, std::size_t first) {
  std::vector<bool> visited(graph.size(), false);
  StopOrder order;
  if (first != kNoStop) {
    visited[first] = true;
    order.push_back(first);
  }
  while (order.size() < graph.size()) {
    std::size_t next = kNoStop;
    double next_km = std::numeric_limits<double>::infinity();
    for (std::size_t stop = 0; stop < graph.size(); ++stop) {
      std::size_t before = graph.predecessor(stop);
      if (visited[stop] || (before != kNoStop && !visited[before])) {
        continue;
      }
      double km = order.empty() ? graph.from_start(stop) : graph.between(order.back(), stop);
      if (km < next_km) {
        next = stop;
        next_km = km;
      }
    }
    visited[next] = true;
    order.push_back(next);
  }
  return order;
}

// Takes one delivery (its pickup and drop-off together) out of the path and puts it back
// at its cheapest positions. Single-stop moves cannot do this when the pickup and the
// drop-off both have to move for the path to get shorter.
bool try_delivery_reinsertion(const StopGraph& graph, BestOrder& best) {
  const StopOrder current = best.order();
  for (std::size_t dropoff : current) {
    if (!graph.is_dropoff(dropoff)) {
      continue;
    }
    std::size_t pickup = graph.predecessor(dropoff);
    StopOrder without;
    for (std::size_t stop : current) {
      if (stop != dropoff && stop != pickup) {
        without.push_back(stop);
      }
    }
    if (best.consider(best_insertion(graph, without, dropoff).order)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<RouteStop> route_stops(const std::vector<RouteDelivery>& deliveries) {
  std::vector<RouteStop> stops;
  for (std::size_t i = 0; i < deliveries.size(); ++i) {
    if (!deliveries[i].picked_up) {
      stops.push_back({i, StopKind::kPickup, deliveries[i].pickup});
    }
    stops.push_back({i, StopKind::kDropoff, deliveries[i].dropoff});
  }
  return stops;
}

bool keeps_precedence(const std::vector<RouteStop>& stops, const StopOrder& order) {
  return StopGraph({}, stops).feasible(order);
}

double route_length_km(core::GeoPoint start, const std::vector<RouteStop>& stops,
                       const StopOrder& order) {
  return StopGraph(start, stops).length(order);
}

StopOrder nearest_neighbour_order(core::GeoPoint start, const std::vector<RouteStop>& stops) {
  return nearest_neighbour_from(StopGraph(start, stops), kNoStop);
}

StopOrder cheapest_insertion_order(core::GeoPoint start, const std::vector<RouteStop>& stops) {
  StopGraph graph(start, stops);
  std::vector<std::size_t> pending;
  for (std::size_t stop = 0; stop < stops.size(); ++stop) {
    if (stops[stop].kind == StopKind::kDropoff) {
      pending.push_back(stop);
    }
  }
  StopOrder order;
  while (!pending.empty()) {
    std::size_t chosen = 0;
    Insertion best;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      Insertion candidate = best_insertion(graph, order, pending[i]);
      if (candidate.cost < best.cost) {
        best = std::move(candidate);
        chosen = i;
      }
    }
    order = std::move(best.order);
    pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(chosen));
  }
  return order;
}

StopOrder improve_order(core::GeoPoint start, const std::vector<RouteStop>& stops,
                        StopOrder order) {
  StopGraph graph(start, stops);
  BestOrder best(graph, std::move(order));
  for (int round = 0; round < kMaxImprovementRounds; ++round) {
    if (!try_segment_moves(best) && !try_reversals(best) && !try_swaps(best) &&
        !try_delivery_reinsertion(graph, best)) {
      break;
    }
  }
  return best.order();
}

StopOrder plan_stop_order(core::GeoPoint start, const std::vector<RouteStop>& stops) {
  StopGraph graph(start, stops);

  // Starting points for the local search: cheapest insertion, and nearest neighbour with
  // each of the stops nearest the start forced first. Several starts escape the local
  // optima that a single one gets stuck in; the bound keeps long routes cheap.
  std::vector<StopOrder> starts{cheapest_insertion_order(start, stops)};
  std::vector<std::size_t> first_stops;
  for (std::size_t stop = 0; stop < stops.size(); ++stop) {
    if (graph.predecessor(stop) == kNoStop) {
      first_stops.push_back(stop);
    }
  }
  std::sort(first_stops.begin(), first_stops.end(), [&graph](std::size_t a, std::size_t b) {
    return graph.from_start(a) < graph.from_start(b);
  });
  first_stops.resize(std::min(first_stops.size(), kMaxForcedFirstStops));
  for (std::size_t first : first_stops) {
    starts.push_back(nearest_neighbour_from(graph, first));
  }

  StopOrder best;
  double best_km = std::numeric_limits<double>::infinity();
  for (StopOrder& order : starts) {
    StopOrder improved = improve_order(start, stops, std::move(order));
    double km = graph.length(improved);
    if (km < best_km) {
      best = std::move(improved);
      best_km = km;
    }
  }
  return best;
}

RoutePlan plan_route(core::GeoPoint start, const std::vector<RouteDelivery>& deliveries,
                     const RouteTiming& timing) {
  std::vector<RouteStop> stops = route_stops(deliveries);
  StopOrder order = plan_stop_order(start, stops);

  RoutePlan plan;
  plan.finish = timing.departure;
  double speed_kmh = vehicle_speed_kmh(timing.vehicle);
  core::GeoPoint here = start;
  for (std::size_t index : order) {
    const RouteStop& stop = stops[index];
    double leg_km = core::haversine_km(here, stop.location);
    auto travel = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::duration<double, std::ratio<3600>>(leg_km / speed_kmh));
    plan.total_km += leg_km;
    PlannedStop planned;
    planned.delivery_id = deliveries[stop.delivery].delivery_id;
    planned.kind = stop.kind;
    planned.location = stop.location;
    planned.leg_km = leg_km;
    planned.cumulative_km = plan.total_km;
    planned.eta = plan.finish + travel;
    plan.finish = planned.eta + timing.dwell;
    plan.stops.push_back(std::move(planned));
    here = stop.location;
  }
  return plan;
}

}  // namespace surplus::offers
