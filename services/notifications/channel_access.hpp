#pragma once

#include <optional>

#include <surplus/auth/request_auth.hpp>

#include "channel.hpp"
#include "order_audience.hpp"

namespace surplus::notifications {

// Checks that `identity` may subscribe to `channel`, whose name `name` goes into errors.
// Throws ProtocolError UNAUTHENTICATED for an anonymous identity on a private channel,
// FORBIDDEN, or UNAVAILABLE when the orders service could not be asked about an order.
//   offers, restaurant:{id}:offers   anyone, anonymous included
//   user:{id}                        that user
//   courier:{id}                     that courier (its user id)
//   restaurant:{id}                  its staff (per the token) and admins
//   order:{id}                       admins, and the customer, the staff of the order's
//                                    restaurant and its courier, per the orders service
// An order the orders service does not know is FORBIDDEN, so that a channel name does not
// reveal whether an order exists.
void authorize_channel(const auth::Identity& identity, const Channel& channel,
                       const std::string& name, OrderAudienceClient& orders);

}  // namespace surplus::notifications
