#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace surplus::notifications {

// The channel names clients may subscribe to. `id` is the user, restaurant, courier or
// order id inside the name.
enum class ChannelKind {
  kOffers,            // "offers": every published offer, public
  kRestaurantOffers,  // "restaurant:{id}:offers": one store's offers, public
  kRestaurant,        // "restaurant:{id}": the store's staff
  kUser,              // "user:{id}": that user
  kCourier,           // "courier:{id}": that courier (a courier id is its user id)
  kOrder,             // "order:{id}": the order's customer, store staff and courier
};

struct Channel {
  ChannelKind kind = ChannelKind::kOffers;
  std::string id;

  bool is_public() const {
    return kind == ChannelKind::kOffers || kind == ChannelKind::kRestaurantOffers;
  }
};

// Maximum length of the id inside a channel name. Ids are UUIDs (36 characters) in
// practice.
inline constexpr std::size_t kMaxChannelIdBytes = 64;

// Parses a channel name. Returns nullopt when the name has none of the forms above, or
// when its id is empty, longer than kMaxChannelIdBytes, or contains characters other than
// ASCII letters, digits, '-' and '_'.
std::optional<Channel> parse_channel(std::string_view name);

}  // namespace surplus::notifications
