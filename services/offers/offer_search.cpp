#include "offer_search.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <tuple>
#include <unordered_map>

#include <surplus/core/error.hpp>

#include "offers_store.hpp"

namespace surplus::offers {
namespace {

double degrees(double radians) {
  return radians * 180.0 / std::numbers::pi;
}

double radians(double degrees) {
  return degrees * std::numbers::pi / 180.0;
}

// A search candidate with its sort key: the primary key (distance, price amount or pickup
// start in microseconds), then the id.
struct Candidate {
  std::string id;
  double distance_km = 0;
  double primary = 0;
};

bool before(const Candidate& a, const Candidate& b) {
  return std::tie(a.primary, a.id) < std::tie(b.primary, b.id);
}

nlohmann::json sort_key(const Candidate& candidate) {
  return {{"k", candidate.primary}, {"id", candidate.id}};
}

// The candidates that come after the cursor `after`.
bool after_cursor(const Candidate& candidate, double primary, const std::string& id) {
  return std::tie(candidate.primary, candidate.id) > std::tie(primary, id);
}

std::string sort_name(OfferSort sort) {
  switch (sort) {
    case OfferSort::kDistance:
      return "distance";
    case OfferSort::kPrice:
      return "price";
    case OfferSort::kPickupTime:
      return "pickupTime";
  }
  return "distance";
}

// Up to this many latitude bands are listed one by one, so that each is an index range
// bounded by longitude too. Wider searches scan the bands as one range and check longitude
// from the index entries.
constexpr std::int64_t kMaxListedCells = 64;

// "$n", the placeholder of the n-th parameter. It is built by appending, because GCC 12 at
// -O3 reports a false -Wrestrict for "$" + std::to_string(n).
std::string placeholder(std::size_t n) {
  std::string text = "$";
  text += std::to_string(n);
  return text;
}

struct CandidateQuery {
  std::string sql;
  db::Params params;

  void add(const std::string& condition, db::Value value) {
    params.push_back(std::move(value));
    std::string text = condition;
    text.replace(text.find('?'), 1, placeholder(params.size()));
    sql += " AND ";
    sql += text;
  }
};

CandidateQuery candidate_query(const OfferSearch& search, const BoundingBox& box,
                               core::Timestamp now) {
  CandidateQuery query;
  // An ACTIVE offer always has units left, because the reservation that takes the last unit
  // makes it SOLD_OUT in the same statement. So "in stock" needs no quantity check, which
  // would have to read the table row.
  query.sql =
      "SELECT id, latitude, longitude, price_amount, pickup_start FROM offers WHERE " +
      std::string(search.in_stock_only ? "status = 'ACTIVE'" : "status IN ('ACTIVE', 'SOLD_OUT')");
  std::int64_t first_cell = latitude_cell(box.min_latitude);
  std::int64_t last_cell = latitude_cell(box.max_latitude);
  if (last_cell - first_cell < kMaxListedCells) {
    query.sql += " AND latitude_cell IN (";
    for (std::int64_t cell = first_cell; cell <= last_cell; ++cell) {
      query.params.emplace_back(cell);
      query.sql += cell == first_cell ? "" : ", ";
      query.sql += placeholder(query.params.size());
    }
    query.sql += ")";
  } else {
    query.add("latitude_cell >= ?", first_cell);
    query.add("latitude_cell <= ?", last_cell);
  }
  query.add("latitude >= ?", box.min_latitude);
  query.add("latitude <= ?", box.max_latitude);
  if (box.longitude_ranges.size() == 1) {
    query.add("longitude >= ?", box.longitude_ranges[0].first);
    query.add("longitude <= ?", box.longitude_ranges[0].second);
  } else {
    query.params.push_back(box.longitude_ranges[0].first);
    query.params.push_back(box.longitude_ranges[1].second);
    query.sql += " AND (longitude >= " + placeholder(query.params.size() - 1) +
                 " OR longitude <= " + placeholder(query.params.size()) + ")";
  }
  // The unary + keeps SQLite from choosing offers_pickup_end (status, pickup_end) for this
  // term, which without table statistics it prefers to offers_geo, at 100 times the cost.
  query.add("+pickup_end > ?", core::to_unix_micros(now));
  if (search.category) {
    query.add("category = ?", *search.category);
  }
  for (const auto& tag : search.dietary_tags) {
    // Tags are [a-z0-9-], so they contain no LIKE wildcards.
    query.add("dietary_tags LIKE ?", "%," + tag + ",%");
  }
  if (search.max_price) {
    query.add("currency = ?", search.max_price->currency);
    query.add("price_amount <= ?", search.max_price->amount);
  }
  if (search.pickup_to) {
    query.add("pickup_start < ?", core::to_unix_micros(*search.pickup_to));
  }
  if (search.pickup_from) {
    query.add("+pickup_end > ?", core::to_unix_micros(*search.pickup_from));
  }
  return query;
}

std::vector<Offer> load_offers(db::Session& session, const std::vector<Candidate>& page) {
  if (page.empty()) {
    return {};
  }
  std::string sql = "SELECT " + std::string(kOfferColumns) + " FROM offers WHERE id IN (";
  db::Params params;
  for (const auto& candidate : page) {
    params.emplace_back(candidate.id);
    sql += params.size() == 1 ? "" : ", ";
    sql += placeholder(params.size());
  }
  sql += ")";
  std::vector<Offer> offers;
  for (const auto& row : session.execute(sql, params)) {
    offers.push_back(offer_from_row(row));
  }
  return offers;
}

}  // namespace

std::int64_t latitude_cell(double latitude) {
  return static_cast<std::int64_t>(std::floor(latitude * kLatitudeCellsPerDegree));
}

std::optional<OfferSort> parse_offer_sort(std::string_view name) {
  for (auto sort : {OfferSort::kDistance, OfferSort::kPrice, OfferSort::kPickupTime}) {
    if (sort_name(sort) == name) {
      return sort;
    }
  }
  return std::nullopt;
}

BoundingBox bounding_box(core::GeoPoint center, double radius_km) {
  // The angular radius of the circle; a point at that angle along a meridian is the
  // furthest in latitude. The furthest in longitude is where a great circle through the
  // point is tangent to the circle: delta longitude = asin(sin(r) / cos(latitude)).
  double angle = radius_km / core::kEarthRadiusKm;
  double angle_degrees = degrees(angle);
  BoundingBox box;
  box.min_latitude = center.latitude - angle_degrees;
  box.max_latitude = center.latitude + angle_degrees;
  if (box.min_latitude <= -90 || box.max_latitude >= 90 || angle >= std::numbers::pi / 2) {
    box.min_latitude = std::max(box.min_latitude, -90.0);
    box.max_latitude = std::min(box.max_latitude, 90.0);
    box.longitude_ranges = {{-180.0, 180.0}};
    return box;
  }
  double delta = degrees(std::asin(std::sin(angle) / std::cos(radians(center.latitude))));
  double west = center.longitude - delta;
  double east = center.longitude + delta;
  if (west < -180) {
    box.longitude_ranges = {{west + 360, 180.0}, {-180.0, east}};
  } else if (east > 180) {
    box.longitude_ranges = {{west, 180.0}, {-180.0, east - 360}};
  } else {
    box.longitude_ranges = {{west, east}};
  }
  return box;
}

OfferSearchPage search_offers(db::Session& session, const OfferSearch& search,
                              core::Timestamp now) {
  std::optional<std::pair<double, std::string>> cursor;
  if (search.after) {
    const auto& after = *search.after;
    if (!after.contains("k") || !after["k"].is_number() || !after.contains("id") ||
        !after["id"].is_string() || after.value("s", "") != sort_name(search.sort)) {
      throw core::Error::validation("after", "is not a cursor of this search; start without it");
    }
    cursor.emplace(after["k"].get<double>(), after["id"].get<std::string>());
  }

  BoundingBox box = bounding_box(search.center, search.radius_km);
  CandidateQuery query = candidate_query(search, box, now);
  std::vector<Candidate> candidates;
  for (const auto& row : session.execute(query.sql, query.params)) {
    core::GeoPoint location{row.get<double>(1), row.get<double>(2)};
    double km = core::haversine_km(search.center, location);
    if (km > search.radius_km) {
      continue;
    }
    Candidate candidate{row.get<std::string>(0), km, km};
    if (search.sort == OfferSort::kPrice) {
      candidate.primary = static_cast<double>(row.get<std::int64_t>(3));
    } else if (search.sort == OfferSort::kPickupTime) {
      candidate.primary = static_cast<double>(row.get<std::int64_t>(4));
    }
    if (!cursor || after_cursor(candidate, cursor->first, cursor->second)) {
      candidates.push_back(std::move(candidate));
    }
  }

  // Only the page and one more are needed in order.
  std::size_t wanted = std::min(candidates.size(), search.first + 1);
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(wanted),
                    candidates.end(), before);
  candidates.resize(wanted);

  OfferSearchPage page;
  if (candidates.size() > search.first) {
    candidates.resize(search.first);
    page.next_key = sort_key(candidates.back());
    (*page.next_key)["s"] = sort_name(search.sort);
  }
  std::unordered_map<std::string, Offer> offers;
  for (auto& offer : load_offers(session, candidates)) {
    offers.emplace(offer.id, std::move(offer));
  }
  for (const auto& candidate : candidates) {
    auto found = offers.find(candidate.id);
    if (found != offers.end()) {
      page.hits.push_back({std::move(found->second), candidate.distance_km});
    }
  }
  return page;
}

}  // namespace surplus::offers
