#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <surplus/core/money.hpp>
#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>

#include "offer.hpp"

// Units of an offer held for an order. The orders service reserves with the order id as
// the reservation id and releases when the order is cancelled or given up.
namespace surplus::offers {

enum class ReservationStatus { kHeld, kReleased };

std::string_view reservation_status_name(ReservationStatus status);  // "HELD", "RELEASED"

struct Reservation {
  std::string id;
  // Empty for the record of a release that arrived before any reservation with its id.
  std::optional<std::string> offer_id;
  std::optional<std::string> customer_id;
  std::int64_t quantity = 0;
  std::optional<core::Money> unit_price;  // the offer's price when reserved
  ReservationStatus status = ReservationStatus::kHeld;
  core::Timestamp created_at;
  std::optional<core::Timestamp> released_at;
};

nlohmann::json reservation_json(const Reservation& reservation);

struct ReservationRequest {
  std::string reservation_id;
  std::string offer_id;
  std::string customer_id;
  std::int64_t quantity = 1;
};

struct ReserveOutcome {
  Reservation reservation;
  bool created = false;  // false when this was a repeat of an earlier successful request
  Offer offer;           // the offer after the reservation
};

// Holds `quantity` units for the request. The units are taken by one conditional UPDATE
// (`quantity_available >= quantity` on an ACTIVE offer whose pickup window has not ended),
// so concurrent requests never take more units than exist. The reservation row is
// inserted in the same transaction. When the last unit goes, the offer becomes SOLD_OUT
// and offer.sold_out is written to the outbox; every reservation writes offer.updated.
//
// Repeating a successful request with the same reservation id returns the same
// reservation without taking units again. A rejected request records nothing, so its
// repeat is evaluated afresh. Throws core::Error:
//   NOT_FOUND          no such offer
//   OFFER_NOT_ACTIVE   a draft, cancelled or expired offer, or its window has ended
//   SOLD_OUT           fewer units left than requested
//   LIMIT_EXCEEDED     the customer would hold more than the offer's maximum per customer
//   CONFLICT           the reservation id was used for another offer, customer or quantity,
//                      or was released
ReserveOutcome reserve(db::Database& database, const ReservationRequest& request,
                       core::Timestamp now);

struct ReleaseOutcome {
  Reservation reservation;
  std::int64_t quantity_released = 0;  // the reservation's quantity, 0 for an unknown id
  bool released_now = false;           // false when it had been released before
};

// Gives the units of a HELD reservation back to its offer (SOLD_OUT becomes ACTIVE again
// while the pickup window is open). For an offer that is already cancelled or expired, a
// product offer's units go back to inventory and a surprise bag's are dropped. Releasing
// again returns the same quantity and changes nothing. Releasing an id that was never
// reserved records it as released, so that a late reservation with that id is rejected.
ReleaseOutcome release(db::Database& database, const std::string& reservation_id,
                       core::Timestamp now);

std::optional<Reservation> find_reservation(db::Session& session, std::string_view id);

}  // namespace surplus::offers
