#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/geo.hpp>
#include <surplus/core/json_writer.hpp>
#include <surplus/core/money.hpp>
#include <surplus/core/time.hpp>

namespace surplus::offers {

// A surprise bag (contents chosen by the store) or a discounted product, which draws its
// units from the restaurant's inventory.
enum class OfferKind { kSurpriseBag, kProduct };

// DRAFT: being prepared, visible to the restaurant's staff only.
// ACTIVE: published and reservable while units remain and the pickup window is open.
// SOLD_OUT: published, no units left; back to ACTIVE when a reservation is released.
// EXPIRED: the pickup window ended. CANCELLED: withdrawn by the store. Both are final.
enum class OfferStatus { kDraft, kActive, kSoldOut, kExpired, kCancelled };

std::string_view offer_kind_name(OfferKind kind);  // "SURPRISE_BAG", "PRODUCT"
std::optional<OfferKind> parse_offer_kind(std::string_view name);
std::string_view offer_status_name(OfferStatus status);  // "DRAFT", "ACTIVE", ...
std::optional<OfferStatus> parse_offer_status(std::string_view name);

// Whether an offer may move from `from` to `to`:
//   DRAFT -> ACTIVE (publish), DRAFT -> CANCELLED
//   ACTIVE -> SOLD_OUT (last unit reserved), ACTIVE -> EXPIRED, ACTIVE -> CANCELLED
//   SOLD_OUT -> ACTIVE (a unit released), SOLD_OUT -> EXPIRED, SOLD_OUT -> CANCELLED
// EXPIRED and CANCELLED are final.
bool is_allowed_transition(OfferStatus from, OfferStatus to);

// Whether the offer is published and its status can still change (ACTIVE or SOLD_OUT).
bool is_live(OfferStatus status);

struct PickupWindow {
  core::Timestamp start;
  core::Timestamp end;
};

struct Offer {
  std::string id;
  std::string restaurant_id;
  OfferKind kind = OfferKind::kSurpriseBag;
  std::optional<std::string> product_id;  // PRODUCT offers only
  std::string title;
  std::string description;
  std::string category;
  std::vector<std::string> dietary_tags;  // sorted, distinct
  core::Money price;
  core::Money original_value;  // same currency as price, larger amount
  std::int64_t quantity_total = 0;
  std::int64_t quantity_available = 0;
  std::int64_t max_per_customer = 1;
  PickupWindow pickup;
  std::optional<core::GeoPoint> location;  // the restaurant's, copied on publish
  OfferStatus status = OfferStatus::kDraft;
  std::string created_by;
  core::Timestamp created_at;
  core::Timestamp updated_at;
  std::optional<core::Timestamp> published_at;
};

// The wire form of an offer; `distance_km` is added for search results.
nlohmann::json offer_json(const Offer& offer, std::optional<double> distance_km = std::nullopt);

// Writes the text of offer_json(offer, distance_km).dump() to `writer` without building
// the nlohmann::json.
void write_offer_json(core::JsonWriter& writer, const Offer& offer,
                      std::optional<double> distance_km = std::nullopt);

// Event channels of a restaurant's public offer changes: "offers",
// "restaurant:{id}:offers" and "restaurant:{id}".
std::vector<std::string> offer_channels(const std::string& restaurant_id);

// The dietary tags as stored: ",a,b," (empty list: ","), so that LIKE '%,a,%' finds a tag.
std::string encode_tags(const std::vector<std::string>& tags);
std::vector<std::string> decode_tags(std::string_view stored);

}  // namespace surplus::offers
