#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>

namespace surplus::offers {

// Appends the event {id: new UUIDv7, type, occurredAt: now, channels, data} to the outbox
// inside the caller's transaction, so it exists exactly when the change it describes is
// committed. The relay in libs/events delivers it to the notifications service.
void write_event(db::Session& session, std::string type, std::vector<std::string> channels,
                 nlohmann::json data, core::Timestamp now);

// Event types this service writes.
inline constexpr const char* kOfferPublished = "offer.published";
inline constexpr const char* kOfferUpdated = "offer.updated";
inline constexpr const char* kOfferSoldOut = "offer.sold_out";
inline constexpr const char* kDeliveryAssigned = "delivery.assigned";
inline constexpr const char* kDeliveryStatusChanged = "delivery.status_changed";
inline constexpr const char* kCourierLocation = "courier.location";

}  // namespace surplus::offers
