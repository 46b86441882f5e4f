#include "channel_access.hpp"

#include <spdlog/spdlog.h>

#include <surplus/core/error.hpp>

#include "protocol.hpp"

namespace surplus::notifications {
namespace {

bool may_read_order(const auth::Identity& identity, const std::string& order_id,
                    const std::string& name, OrderAudienceClient& orders) {
  std::optional<OrderAudience> audience;
  try {
    audience = orders.find(order_id);
  } catch (const core::Error& error) {
    spdlog::warn("order audience of {} unavailable: {} ({})", order_id, error.message(),
                 error.detail());
    throw ProtocolError(error_codes::kUnavailable,
                        "the orders service could not be asked who may read this order; "
                        "retry later",
                        name);
  }
  if (!audience) {
    return false;
  }
  if (identity.user_id == audience->customer_id ||
      identity.user_id == audience->courier_id.value_or("")) {
    return true;
  }
  return audience->restaurant_id && identity.is_staff_of(*audience->restaurant_id);
}

}  // namespace

void authorize_channel(const auth::Identity& identity, const Channel& channel,
                       const std::string& name, OrderAudienceClient& orders) {
  if (channel.is_public()) {
    return;
  }
  if (identity.is_anonymous()) {
    throw ProtocolError(error_codes::kUnauthenticated,
                        "this channel needs an access token; send it in the Authorization "
                        "header or an auth message",
                        name);
  }
  bool allowed = false;
  switch (channel.kind) {
    case ChannelKind::kUser:
      allowed = identity.user_id == channel.id;
      break;
    case ChannelKind::kCourier:
      allowed = identity.role == auth::Role::kCourier && identity.user_id == channel.id;
      break;
    case ChannelKind::kRestaurant:
      allowed = identity.is_admin() || identity.is_staff_of(channel.id);
      break;
    case ChannelKind::kOrder:
      allowed = identity.is_admin() || may_read_order(identity, channel.id, name, orders);
      break;
    case ChannelKind::kOffers:
    case ChannelKind::kRestaurantOffers:
      allowed = true;
      break;
  }
  if (!allowed) {
    throw ProtocolError(error_codes::kForbidden, "you may not subscribe to this channel", name);
  }
}

}  // namespace surplus::notifications
