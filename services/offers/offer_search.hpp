#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/geo.hpp>
#include <surplus/core/money.hpp>
#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>

#include "offer.hpp"

namespace surplus::offers {

enum class OfferSort { kDistance, kPrice, kPickupTime };

std::optional<OfferSort> parse_offer_sort(std::string_view name);  // distance, price, pickupTime

inline constexpr double kMaxSearchRadiusKm = 100;

// Latitude bands per degree of the offers_geo index (migration 007).
inline constexpr int kLatitudeCellsPerDegree = 100;

// The band of `latitude`: FLOOR(latitude * 100), as stored in offers.latitude_cell.
std::int64_t latitude_cell(double latitude);

struct OfferSearch {
  core::GeoPoint center;
  double radius_km = 5;
  std::optional<std::string> category;
  std::vector<std::string> dietary_tags;  // every tag must be present
  std::optional<core::Money> max_price;   // price in that currency at most that amount
  // The pickup window must overlap [pickup_from, pickup_to); either bound may be open.
  std::optional<core::Timestamp> pickup_from;
  std::optional<core::Timestamp> pickup_to;
  bool in_stock_only = false;  // ACTIVE with units left; otherwise SOLD_OUT offers too
  OfferSort sort = OfferSort::kDistance;
  std::size_t first = 20;
  std::optional<nlohmann::json> after;  // sort key of the last result of the previous page
};

struct OfferHit {
  Offer offer;
  double distance_km = 0;
};

struct OfferSearchPage {
  std::vector<OfferHit> hits;
  std::optional<nlohmann::json> next_key;  // set when more results follow
};

// The latitude and longitude ranges that contain every point within `radius_km` of
// `center`. Near a pole the longitude range is the whole circle; across the antimeridian
// it is split in two.
struct BoundingBox {
  double min_latitude = 0;
  double max_latitude = 0;
  // One or two longitude ranges.
  std::vector<std::pair<double, double>> longitude_ranges;
};

BoundingBox bounding_box(core::GeoPoint center, double radius_km);

// Published offers whose pickup window has not ended at `now`, within the radius and
// filters, in the requested order (ties broken by id). Candidates come from the offers_geo
// index (latitude bands, then longitude) through the bounding box, then exact haversine
// distances decide; only the page's offers are read in full. Throws VALIDATION_FAILED
// naming `after` for a cursor of another sort order.
OfferSearchPage search_offers(db::Session& session, const OfferSearch& search, core::Timestamp now);

}  // namespace surplus::offers
