#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/money.hpp>
#include <surplus/core/time.hpp>

#include "offer.hpp"

namespace surplus::offers {

// Limits of offer fields, checked on every create and update.
inline constexpr std::size_t kMaxTitleBytes = 120;
inline constexpr std::size_t kMaxDescriptionBytes = 2000;
inline constexpr std::size_t kMaxDietaryTags = 10;
inline constexpr std::int64_t kMaxQuantity = 10000;
inline constexpr std::int64_t kMaxAmount = 1'000'000'000;  // minor units
// A pickup window is at most this long and starts at most this far ahead.
inline constexpr auto kMaxPickupWindow = std::chrono::hours(48);
inline constexpr auto kMaxPublishAhead = std::chrono::hours(24 * 30);

// The fields of a create or update request body; absent fields are nullopt.
struct OfferInput {
  std::optional<OfferKind> kind;
  std::optional<std::string> product_id;
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> category;
  std::optional<std::vector<std::string>> dietary_tags;
  std::optional<core::Money> price;
  std::optional<core::Money> original_value;
  std::optional<std::int64_t> quantity;
  std::optional<std::int64_t> max_per_customer;
  std::optional<core::Timestamp> pickup_start;
  std::optional<core::Timestamp> pickup_end;
  bool publish = false;  // create only: publish right away
};

// Reads a request body. `creating` makes title, category, price, originalValue, quantity
// and pickupWindow required. Throws VALIDATION_FAILED listing every invalid field.
OfferInput parse_offer_input(const nlohmann::json& body, bool creating);

// Copies the present fields of `input` into `offer`.
void apply_offer_input(Offer& offer, const OfferInput& input);

// Checks the rules across fields of the resulting offer: price and original value in one
// currency with price below value, kind and product id agree, at most `quantity` per
// customer, a pickup window that starts before it ends, has not ended at `now`, lasts at
// most 48 hours and starts within 30 days. Throws VALIDATION_FAILED naming the fields.
void validate_offer(const Offer& offer, core::Timestamp now);

}  // namespace surplus::offers
