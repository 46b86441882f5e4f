// Resolvers of the Subscription fields. Each opens one channel of the notifications service
// on the caller's link, which authorizes it, and turns the channel's event envelopes into
// OrderEvent or OfferEvent values.
#include <algorithm>

#include <surplus/core/error.hpp>
#include <surplus/core/geo.hpp>

#include "channel_stream.hpp"
#include "convert.hpp"
#include "resolvers.hpp"

namespace surplus::gateway {
namespace {

using graphql::ResolveInfo;

constexpr std::string_view kOrderEventPrefix = "order.";
constexpr std::string_view kOfferEventPrefix = "offer.";
constexpr double kMaxRadiusKm = 100;

// The OrderEventType values; other order.* types (added later by the orders service) are
// not reported until the schema names them.
constexpr std::string_view kOrderEventTypes[] = {
    "CREATED", "CONFIRMED",        "REJECTED",  "CANCELLED",      "COLLECTED",
    "NO_SHOW", "OUT_FOR_DELIVERY", "DELIVERED", "DELIVERY_FAILED"};

// "order.no_show" with prefix "order." -> "NO_SHOW"; empty for another prefix.
std::string event_type_value(const Json& envelope, std::string_view prefix) {
  const std::string type = envelope.value("type", "");
  if (!type.starts_with(prefix)) {
    return {};
  }
  return to_enum_value(std::string_view(type).substr(prefix.size()));
}

std::optional<Json> order_event(const Json& envelope) {
  const std::string type = event_type_value(envelope, kOrderEventPrefix);
  if (std::find(std::begin(kOrderEventTypes), std::end(kOrderEventTypes), type) ==
      std::end(kOrderEventTypes)) {
    return std::nullopt;
  }
  return Json{{"type", type},
              {"occurredAt", envelope.at("occurredAt")},
              {"order", order_node(envelope.at("data"))}};
}

// Maps a channel that the notifications service rejected to the error of the subscription.
[[noreturn]] void throw_rejected(const ChannelRejected& rejected, const std::string& field) {
  const std::string& code = rejected.code();
  if (code == "FORBIDDEN") {
    throw FieldFailure(kForbidden, "you may not subscribe to " + field + ": " + rejected.what());
  }
  if (code == "UNAUTHENTICATED") {
    throw FieldFailure(kUnauthenticated, field +
                                             " needs an access token; send it as \"token\" in the "
                                             "payload of connection_init");
  }
  if (code == "INVALID_CHANNEL") {
    throw FieldFailure(kBadUserInput, "the id given to " + field +
                                          " is invalid: ids are 1 to 64 characters of "
                                          "A-Z a-z 0-9 - _");
  }
  if (code == "UNAVAILABLE") {
    throw FieldFailure(kUnavailable, "the notifications service is unavailable: " +
                                         std::string(rejected.what()) + "; retry later");
  }
  throw FieldFailure(kInternal, "the notifications service rejected " + field + ": " + code + " " +
                                    rejected.what());
}

// Opens `channel` for the subscription field of `info` and records the stream for the
// transport. Returns the stream.
std::shared_ptr<graphql::SourceStream> open_channel(const ResolveInfo& info,
                                                    const std::string& channel,
                                                    ChannelStream::Convert convert) {
  RequestContext& context = context_of(info);
  const std::string& field = info.field->name;
  const auto& link = context.notifications();
  if (!link) {
    throw FieldFailure(kBadUserInput, field +
                                          " is a subscription; subscribe over a WebSocket to "
                                          "/graphql with the graphql-transport-ws protocol");
  }
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      context.caller().deadline - std::chrono::steady_clock::now());
  try {
    auto stream = ChannelStream::open(link, channel, std::move(convert),
                                      std::max(timeout, std::chrono::milliseconds(1)));
    context.set_source(stream);
    return stream;
  } catch (const ChannelRejected& rejected) {
    throw_rejected(rejected, field);
  } catch (const core::Error& error) {
    throw FieldFailure(kUnavailable, error.message());
  }
}

// Records a FieldFailure of a SubscribeResolver under the field's path, as guarded() does
// for the other resolvers, so the error carries its code.
graphql::SubscribeResolver recorded(graphql::SubscribeResolver body) {
  return
      [body = std::move(body)](const Json& root, const Json& arguments, const ResolveInfo& info) {
        try {
          return body(root, arguments, info);
        } catch (const FieldFailure& failure) {
          context_of(info).errors().record(*info.path, failure.extensions());
          throw;
        }
      };
}

std::shared_ptr<graphql::SourceStream> order_updated(const Json&, const Json& arguments,
                                                     const ResolveInfo& info) {
  return open_channel(info, "order:" + string_argument(arguments, "id"), order_event);
}

std::shared_ptr<graphql::SourceStream> my_orders(const Json&, const Json&,
                                                 const ResolveInfo& info) {
  const auto& link = context_of(info).notifications();
  if (link && link->user_id().empty()) {
    throw FieldFailure(kUnauthenticated,
                       "myOrders needs an access token; send it as \"token\" in the payload of "
                       "connection_init");
  }
  return open_channel(info, "user:" + (link ? link->user_id() : std::string()), order_event);
}

std::shared_ptr<graphql::SourceStream> restaurant_orders(const Json&, const Json& arguments,
                                                         const ResolveInfo& info) {
  return open_channel(info, "restaurant:" + string_argument(arguments, "restaurantId"),
                      order_event);
}

std::shared_ptr<graphql::SourceStream> offers_near(const Json&, const Json& arguments,
                                                   const ResolveInfo& info) {
  const Json& near = arguments.at("near");
  const core::GeoPoint centre{near.at("latitude").get<double>(),
                              near.at("longitude").get<double>()};
  if (!core::is_valid_latitude(centre.latitude) || !core::is_valid_longitude(centre.longitude)) {
    throw FieldFailure(kBadUserInput,
                       "near is not a position: latitude must be -90 to 90 and "
                       "longitude -180 to 180, got " +
                           near.dump());
  }
  const auto radius = arguments.find("radiusKm");
  const double radius_km =
      radius == arguments.end() || radius->is_null() ? 5.0 : radius->get<double>();
  if (!(radius_km > 0 && radius_km <= kMaxRadiusKm)) {
    throw FieldFailure(kBadUserInput,
                       "radiusKm must be more than 0 and at most 100, got " + radius->dump());
  }
  return open_channel(
      info, "offers", [centre, radius_km](const Json& envelope) -> std::optional<Json> {
        const std::string type = event_type_value(envelope, kOfferEventPrefix);
        if (type != "PUBLISHED" && type != "UPDATED") {
          return std::nullopt;  // offer.sold_out follows an UPDATED event with quantity 0
        }
        Json offer = envelope.at("data");
        const Json& location = offer.value("location", Json());
        if (!location.is_object()) {
          return std::nullopt;
        }
        const double distance_km = core::haversine_km(
            centre,
            {location.at("latitude").get<double>(), location.at("longitude").get<double>()});
        if (distance_km > radius_km) {
          return std::nullopt;
        }
        offer["distanceKm"] = core::round_to_metres(distance_km);
        return Json{{"type", type}, {"occurredAt", envelope.at("occurredAt")}, {"offer", offer}};
      });
}

// Section 6.2.3.2: a subscription event is executed with the event as the root value, so the
// root field's value is the event itself.
graphql::FieldResult the_event(const Json& event, const Json&, const ResolveInfo&) {
  return event;
}

}  // namespace

void install_subscription_resolvers(graphql::Schema& schema) {
  schema.set_subscribe_resolver("Subscription", "orderUpdated", recorded(order_updated));
  schema.set_subscribe_resolver("Subscription", "myOrders", recorded(my_orders));
  schema.set_subscribe_resolver("Subscription", "restaurantOrders", recorded(restaurant_orders));
  schema.set_subscribe_resolver("Subscription", "offersNear", recorded(offers_near));
  for (const char* field : {"orderUpdated", "myOrders", "restaurantOrders", "offersNear"}) {
    schema.set_resolver("Subscription", field, the_event);
  }
}

}  // namespace surplus::gateway
