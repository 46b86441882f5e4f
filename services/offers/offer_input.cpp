#include "offer_input.hpp"

#include "json_fields.hpp"

namespace surplus::offers {
namespace {

void check_amount(FieldReader& fields, const char* name, const std::optional<core::Money>& money) {
  if (money && (money->amount < 0 || money->amount > kMaxAmount)) {
    fields.fail(std::string(name) + ".amount",
                "must be between 0 and " + std::to_string(kMaxAmount) + " minor units");
  }
}

}  // namespace

OfferInput parse_offer_input(const nlohmann::json& body, bool creating) {
  FieldReader fields(
      body, {"kind", "productId", "title", "description", "category", "dietaryTags", "price",
             "originalValue", "quantity", "maxPerCustomer", "pickupWindow", "publish"});
  OfferInput input;
  if (auto kind = fields.one_of("kind", false, {"SURPRISE_BAG", "PRODUCT"})) {
    input.kind = parse_offer_kind(*kind);
  }
  input.product_id = fields.uuid("productId", false);
  input.title = fields.text("title", creating, kMaxTitleBytes);
  input.description = fields.text("description", false, kMaxDescriptionBytes, true);
  input.category = fields.token("category", creating);
  input.dietary_tags = fields.tokens("dietaryTags", kMaxDietaryTags);
  input.price = fields.money("price", creating);
  input.original_value = fields.money("originalValue", creating);
  check_amount(fields, "price", input.price);
  check_amount(fields, "originalValue", input.original_value);
  input.quantity = fields.integer("quantity", creating, 1, kMaxQuantity);
  input.max_per_customer = fields.integer("maxPerCustomer", false, 1, kMaxQuantity);
  if (auto window = fields.object("pickupWindow", creating)) {
    FieldReader window_fields(*window, {"start", "end"});
    input.pickup_start = window_fields.timestamp("start", true);
    input.pickup_end = window_fields.timestamp("end", true);
    if (!window_fields.ok()) {
      fields.fail("pickupWindow", "expected {\"start\": RFC 3339, \"end\": RFC 3339}");
    }
  }
  if (auto publish = fields.boolean("publish")) {
    if (!creating) {
      fields.fail("publish", "is only accepted when creating; use POST /offers/{id}/publish");
    }
    input.publish = *publish;
  }
  fields.finish();
  return input;
}

void apply_offer_input(Offer& offer, const OfferInput& input) {
  if (input.kind) {
    offer.kind = *input.kind;
  }
  if (input.product_id) {
    offer.product_id = input.product_id;
  }
  if (offer.kind == OfferKind::kSurpriseBag && input.kind && !input.product_id) {
    offer.product_id.reset();
  }
  if (input.title) {
    offer.title = *input.title;
  }
  if (input.description) {
    offer.description = *input.description;
  }
  if (input.category) {
    offer.category = *input.category;
  }
  if (input.dietary_tags) {
    offer.dietary_tags = *input.dietary_tags;
  }
  if (input.price) {
    offer.price = *input.price;
  }
  if (input.original_value) {
    offer.original_value = *input.original_value;
  }
  if (input.quantity) {
    offer.quantity_total = *input.quantity;
    offer.quantity_available = *input.quantity;
  }
  if (input.max_per_customer) {
    offer.max_per_customer = *input.max_per_customer;
  }
  if (input.pickup_start) {
    offer.pickup.start = *input.pickup_start;
  }
  if (input.pickup_end) {
    offer.pickup.end = *input.pickup_end;
  }
}

void validate_offer(const Offer& offer, core::Timestamp now) {
  FieldReader fields(nlohmann::json::object(), {});
  if (offer.price.currency != offer.original_value.currency) {
    fields.fail("price.currency",
                "must be the currency of originalValue (" + offer.original_value.currency + ")");
  } else if (offer.price.amount >= offer.original_value.amount) {
    fields.fail("price", "must be below originalValue (" +
                             std::to_string(offer.original_value.amount) + " minor units)");
  }
  if (offer.kind == OfferKind::kProduct && !offer.product_id) {
    fields.fail("productId", "is required for a PRODUCT offer");
  }
  if (offer.kind == OfferKind::kSurpriseBag && offer.product_id) {
    fields.fail("productId", "is only allowed for a PRODUCT offer");
  }
  if (offer.max_per_customer > offer.quantity_total) {
    fields.fail("maxPerCustomer",
                "must not exceed quantity (" + std::to_string(offer.quantity_total) + ")");
  }
  if (offer.pickup.start >= offer.pickup.end) {
    fields.fail("pickupWindow", "start must be before end");
  } else if (offer.pickup.end <= now) {
    fields.fail("pickupWindow", "has already ended; choose a window in the future");
  } else if (offer.pickup.end - offer.pickup.start > kMaxPickupWindow) {
    fields.fail("pickupWindow", "must last at most 48 hours");
  } else if (offer.pickup.start - now > kMaxPublishAhead) {
    fields.fail("pickupWindow", "must start within 30 days");
  }
  fields.finish();
}

}  // namespace surplus::offers
