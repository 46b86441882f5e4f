#include "channel.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace surplus::notifications {
namespace {

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxChannelIdBytes) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

constexpr std::array<std::pair<std::string_view, ChannelKind>, 4> kPrefixes{{
    {"restaurant:", ChannelKind::kRestaurant},
    {"user:", ChannelKind::kUser},
    {"courier:", ChannelKind::kCourier},
    {"order:", ChannelKind::kOrder},
}};

}  // namespace

std::optional<Channel> parse_channel(std::string_view name) {
  if (name == "offers") {
    return Channel{ChannelKind::kOffers, {}};
  }
  for (const auto& [prefix, kind] : kPrefixes) {
    if (!name.starts_with(prefix)) {
      continue;
    }
    std::string_view id = name.substr(prefix.size());
    ChannelKind parsed = kind;
    constexpr std::string_view kOffersSuffix = ":offers";
    if (kind == ChannelKind::kRestaurant && id.ends_with(kOffersSuffix)) {
      id.remove_suffix(kOffersSuffix.size());
      parsed = ChannelKind::kRestaurantOffers;
    }
    if (!is_valid_id(id)) {
      return std::nullopt;
    }
    return Channel{parsed, std::string(id)};
  }
  return std::nullopt;
}

}  // namespace surplus::notifications
