#include "offer.hpp"

#include <array>
#include <utility>

namespace surplus::offers {
namespace {

constexpr std::array<std::pair<OfferKind, std::string_view>, 2> kKinds{{
    {OfferKind::kSurpriseBag, "SURPRISE_BAG"},
    {OfferKind::kProduct, "PRODUCT"},
}};

constexpr std::array<std::pair<OfferStatus, std::string_view>, 5> kStatuses{{
    {OfferStatus::kDraft, "DRAFT"},
    {OfferStatus::kActive, "ACTIVE"},
    {OfferStatus::kSoldOut, "SOLD_OUT"},
    {OfferStatus::kExpired, "EXPIRED"},
    {OfferStatus::kCancelled, "CANCELLED"},
}};

constexpr std::array<std::pair<OfferStatus, OfferStatus>, 8> kTransitions{{
    {OfferStatus::kDraft, OfferStatus::kActive},
    {OfferStatus::kDraft, OfferStatus::kCancelled},
    {OfferStatus::kActive, OfferStatus::kSoldOut},
    {OfferStatus::kActive, OfferStatus::kExpired},
    {OfferStatus::kActive, OfferStatus::kCancelled},
    {OfferStatus::kSoldOut, OfferStatus::kActive},
    {OfferStatus::kSoldOut, OfferStatus::kExpired},
    {OfferStatus::kSoldOut, OfferStatus::kCancelled},
}};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                         Enum value) {
  for (const auto& [entry, name] : table) {
    if (entry == value) {
      return name;
    }
  }
  return "UNKNOWN";
}

template <class Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::pair<Enum, std::string_view>, N>& table,
                               std::string_view text) {
  for (const auto& [entry, name] : table) {
    if (name == text) {
      return entry;
    }
  }
  return std::nullopt;
}

// Writes core::to_json's form of `money`.
void write_money(core::JsonWriter& writer, const core::Money& money) {
  writer.begin_object();
  writer.key("amount");
  writer.integer(money.amount);
  writer.key("currency");
  writer.string(money.currency);
  writer.end_object();
}

}  // namespace

std::string_view offer_kind_name(OfferKind kind) {
  return name_of(kKinds, kind);
}

std::optional<OfferKind> parse_offer_kind(std::string_view name) {
  return parse_name(kKinds, name);
}

std::string_view offer_status_name(OfferStatus status) {
  return name_of(kStatuses, status);
}

std::optional<OfferStatus> parse_offer_status(std::string_view name) {
  return parse_name(kStatuses, name);
}

bool is_allowed_transition(OfferStatus from, OfferStatus to) {
  for (const auto& [allowed_from, allowed_to] : kTransitions) {
    if (allowed_from == from && allowed_to == to) {
      return true;
    }
  }
  return false;
}

bool is_live(OfferStatus status) {
  return status == OfferStatus::kActive || status == OfferStatus::kSoldOut;
}

nlohmann::json offer_json(const Offer& offer, std::optional<double> distance_km) {
  nlohmann::json json{
      {"id", offer.id},
      {"restaurantId", offer.restaurant_id},
      {"kind", offer_kind_name(offer.kind)},
      {"productId", offer.product_id ? nlohmann::json(*offer.product_id) : nullptr},
      {"title", offer.title},
      {"description", offer.description},
      {"category", offer.category},
      {"dietaryTags", offer.dietary_tags},
      {"price", offer.price},
      {"originalValue", offer.original_value},
      {"quantityTotal", offer.quantity_total},
      {"quantityAvailable", offer.quantity_available},
      {"maxPerCustomer", offer.max_per_customer},
      {"pickupWindow",
       {{"start", core::format_rfc3339(offer.pickup.start)},
        {"end", core::format_rfc3339(offer.pickup.end)}}},
      {"location", nullptr},
      {"status", offer_status_name(offer.status)},
      {"createdAt", core::format_rfc3339(offer.created_at)},
      {"updatedAt", core::format_rfc3339(offer.updated_at)},
      {"publishedAt",
       offer.published_at ? nlohmann::json(core::format_rfc3339(*offer.published_at)) : nullptr},
  };
  if (offer.location) {
    json["location"] = {{"latitude", offer.location->latitude},
                        {"longitude", offer.location->longitude}};
  }
  if (distance_km) {
    json["distanceKm"] = *distance_km;
  }
  return json;
}

void write_offer_json(core::JsonWriter& writer, const Offer& offer,
                      std::optional<double> distance_km) {
  // The members in offer_json's order as nlohmann::json keeps them, sorted by key.
  writer.begin_object();
  writer.key("category");
  writer.string(offer.category);
  writer.key("createdAt");
  writer.string(core::format_rfc3339(offer.created_at));
  writer.key("description");
  writer.string(offer.description);
  writer.key("dietaryTags");
  writer.begin_array();
  for (const auto& tag : offer.dietary_tags) {
    writer.string(tag);
  }
  writer.end_array();
  if (distance_km) {
    writer.key("distanceKm");
    writer.number(*distance_km);
  }
  writer.key("id");
  writer.string(offer.id);
  writer.key("kind");
  writer.string(offer_kind_name(offer.kind));
  writer.key("location");
  if (offer.location) {
    writer.begin_object();
    writer.key("latitude");
    writer.number(offer.location->latitude);
    writer.key("longitude");
    writer.number(offer.location->longitude);
    writer.end_object();
  } else {
    writer.null();
  }
  writer.key("maxPerCustomer");
  writer.integer(offer.max_per_customer);
  writer.key("originalValue");
  write_money(writer, offer.original_value);
  writer.key("pickupWindow");
  writer.begin_object();
  writer.key("end");
  writer.string(core::format_rfc3339(offer.pickup.end));
  writer.key("start");
  writer.string(core::format_rfc3339(offer.pickup.start));
  writer.end_object();
  writer.key("price");
  write_money(writer, offer.price);
  writer.key("productId");
  if (offer.product_id) {
    writer.string(*offer.product_id);
  } else {
    writer.null();
  }
  writer.key("publishedAt");
  if (offer.published_at) {
    writer.string(core::format_rfc3339(*offer.published_at));
  } else {
    writer.null();
  }
  writer.key("quantityAvailable");
  writer.integer(offer.quantity_available);
  writer.key("quantityTotal");
  writer.integer(offer.quantity_total);
  writer.key("restaurantId");
  writer.string(offer.restaurant_id);
  writer.key("status");
  writer.string(offer_status_name(offer.status));
  writer.key("title");
  writer.string(offer.title);
  writer.key("updatedAt");
  writer.string(core::format_rfc3339(offer.updated_at));
  writer.end_object();
}

std::vector<std::string> offer_channels(const std::string& restaurant_id) {
  return {"offers", "restaurant:" + restaurant_id + ":offers", "restaurant:" + restaurant_id};
}

std::string encode_tags(const std::vector<std::string>& tags) {
  std::string stored = ",";
  for (const auto& tag : tags) {
    stored += tag;
    stored += ',';
  }
  return stored;
}

std::vector<std::string> decode_tags(std::string_view stored) {
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start < stored.size()) {
    auto comma = stored.find(',', start);
    if (comma == std::string_view::npos) {
      comma = stored.size();
    }
    if (comma > start) {
      tags.emplace_back(stored.substr(start, comma - start));
    }
    start = comma + 1;
  }
  return tags;
}

}  // namespace surplus::offers
