#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <surplus/core/json_writer.hpp>
#include <surplus/core/time.hpp>

#include "offer.hpp"

namespace surplus::offers {
namespace {

std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string written(const Offer& offer, std::optional<double> distance_km) {
  core::JsonWriter writer;
  write_offer_json(writer, offer, distance_km);
  return writer.take();
}

Offer full_offer() {
  Offer offer;
  offer.id = "0193a5b0-0000-7000-8000-00000000000a";
  offer.restaurant_id = "0193a5b0-0000-7000-8000-00000000000b";
  offer.kind = OfferKind::kProduct;
  offer.product_id = "0193a5b0-0000-7000-8000-00000000000c";
  offer.title = "Sourdough loaves";
  offer.description = "Baked this morning";
  offer.category = "bakery";
  offer.dietary_tags = {"vegan", "vegetarian"};
  offer.price = core::Money{350, "EUR"};
  offer.original_value = core::Money{900, "EUR"};
  offer.quantity_total = 12;
  offer.quantity_available = 7;
  offer.max_per_customer = 2;
  offer.pickup = {core::from_unix_micros(1'764'862'800'123'456),
                  core::from_unix_micros(1'764'870'000'000'000)};
  offer.location = core::GeoPoint{52.520008, 13.404954};
  offer.status = OfferStatus::kActive;
  offer.created_by = "0193a5b0-0000-7000-8000-00000000000d";
  offer.created_at = core::from_unix_micros(1'764'800'000'000'001);
  offer.updated_at = core::from_unix_micros(1'764'800'100'000'000);
  offer.published_at = core::from_unix_micros(1'764'800'050'000'000);
  return offer;
}

TEST(WriteOfferJson, MatchesOfferJsonDump) {
  Offer offer = full_offer();
  EXPECT_EQ(written(offer, std::nullopt), dump(offer_json(offer)));
  EXPECT_EQ(written(offer, 1.234), dump(offer_json(offer, 1.234)));
  EXPECT_EQ(written(offer, 0.0), dump(offer_json(offer, 0.0)));
}

TEST(WriteOfferJson, MatchesWithoutOptionalFields) {
  Offer offer = full_offer();
  offer.kind = OfferKind::kSurpriseBag;
  offer.product_id.reset();
  offer.location.reset();
  offer.published_at.reset();
  offer.dietary_tags.clear();
  offer.status = OfferStatus::kDraft;
  EXPECT_EQ(written(offer, std::nullopt), dump(offer_json(offer)));
  EXPECT_EQ(written(offer, 4.999), dump(offer_json(offer, 4.999)));
}

TEST(WriteOfferJson, MatchesTextThatNeedsEscapes) {
  Offer offer = full_offer();
  offer.title = "Grüße \"Brot\" 🍞";
  offer.description = "line one\nline two\ttab \\ backslash, invalid \xff byte";
  offer.category = "caf\xc3\xa9";
  EXPECT_EQ(written(offer, 2.5), dump(offer_json(offer, 2.5)));
}

}  // namespace
}  // namespace surplus::offers
