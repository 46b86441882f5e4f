#include "reservations.hpp"

#include <surplus/core/error.hpp>

#include "inventory_store.hpp"
#include "offers_store.hpp"
#include "outbox_writer.hpp"
#include "read_only.hpp"

namespace surplus::offers {
namespace {

constexpr std::string_view kColumns =
    "id, offer_id, customer_id, quantity, unit_price_amount, currency, status, created_at, "
    "released_at";

// Thrown inside a transaction when a concurrent request with the same reservation id
// committed first. The transaction rolls back, and the caller then reads that request's
// result.
struct SameIdCommittedFirst {};

// How often release() starts over after losing such a race. Each loss means another
// request for the same id committed, so the next attempt finds its row.
constexpr int kMaxReleaseAttempts = 3;

Reservation reservation_from_row(const db::Row& row) {
  Reservation reservation;
  reservation.id = row.get<std::string>("id");
  reservation.offer_id = row.get<std::optional<std::string>>("offer_id");
  reservation.customer_id = row.get<std::optional<std::string>>("customer_id");
  reservation.quantity = row.get<std::int64_t>("quantity");
  auto amount = row.get<std::optional<std::int64_t>>("unit_price_amount");
  auto currency = row.get<std::optional<std::string>>("currency");
  if (amount && currency) {
    reservation.unit_price = core::Money{*amount, *currency};
  }
  reservation.status = row.get<std::string>("status") == "RELEASED" ? ReservationStatus::kReleased
                                                                    : ReservationStatus::kHeld;
  reservation.created_at = core::from_unix_micros(row.get<std::int64_t>("created_at"));
  if (auto released = row.get<std::optional<std::int64_t>>("released_at")) {
    reservation.released_at = core::from_unix_micros(*released);
  }
  return reservation;
}

// The result of repeating `request` whose id is already stored as `existing`.
ReserveOutcome repeat_outcome(db::Session& session, const ReservationRequest& request,
                              const Reservation& existing) {
  if (existing.status == ReservationStatus::kReleased) {
    throw core::Error::conflict("reservation " + request.reservation_id +
                                " was released; reserve again with a new reservation id");
  }
  if (existing.offer_id != request.offer_id || existing.customer_id != request.customer_id ||
      existing.quantity != request.quantity) {
    throw core::Error::conflict("reservation id " + request.reservation_id +
                                " was already used for another offer, customer or quantity");
  }
  auto offer = find_offer(session, request.offer_id);
  if (!offer) {
    throw core::Error::internal("reservation " + existing.id + " refers to missing offer " +
                                request.offer_id);
  }
  return ReserveOutcome{existing, false, *offer};
}

// Explains why the conditional UPDATE took no units.
[[noreturn]] void throw_not_reservable(db::Session& session, const ReservationRequest& request,
                                       core::Timestamp now) {
  auto offer = find_offer(session, request.offer_id);
  if (!offer) {
    throw core::Error::not_found("offer " + request.offer_id);
  }
  if (!is_live(offer->status) || offer->pickup.end <= now) {
    throw core::Error(core::ErrorCode::kOfferNotActive,
                      "offer " + offer->id + " is " +
                          std::string(is_live(offer->status) ? "past its pickup window"
                                                             : offer_status_name(offer->status)) +
                          " and cannot be reserved");
  }
  if (offer->quantity_available == 0) {
    throw core::Error(core::ErrorCode::kSoldOut, "offer " + offer->id + " is sold out");
  }
  throw core::Error(core::ErrorCode::kSoldOut, "offer " + offer->id + " has only " +
                                                   std::to_string(offer->quantity_available) +
                                                   " units left, fewer than " +
                                                   std::to_string(request.quantity) + " requested");
}

std::int64_t units_held_by(db::Session& session, const std::string& offer_id,
                           const std::string& customer_id) {
  return session
      .execute(
          "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM reservations "
          "WHERE offer_id = $1 AND customer_id = $2 AND status = 'HELD'",
          {offer_id, customer_id})
      .one()
      .get<std::int64_t>(0);
}

void write_quantity_events(db::Session& session, const Offer& offer, core::Timestamp now) {
  write_event(session, kOfferUpdated, offer_channels(offer.restaurant_id), offer_json(offer), now);
  if (offer.status == OfferStatus::kSoldOut) {
    write_event(session, kOfferSoldOut, offer_channels(offer.restaurant_id),
                {{"offerId", offer.id}, {"restaurantId", offer.restaurant_id}}, now);
  }
}

ReserveOutcome reserve_once(db::Session& session, const ReservationRequest& request,
                            core::Timestamp now) {
  // A new id is the common case, so the id is not looked up first. For a repeated id the
  // INSERT below finds the existing row and throws SameIdCommittedFirst. That rolls back
  // the quantity taken here, and reserve() then returns the first request's outcome.
  //
  // The UPDATE locks the offer row (PostgreSQL) or the database (SQLite), so every later
  // statement of this transaction sees all reservations committed before it.
  auto micros = core::to_unix_micros(now);
  auto updated = session.execute(
      "UPDATE offers SET quantity_available = quantity_available - $2, "
      "status = CASE WHEN quantity_available - $2 = 0 THEN 'SOLD_OUT' ELSE status END, "
      "updated_at = $3 "
      "WHERE id = $1 AND status = 'ACTIVE' AND quantity_available >= $2 AND pickup_end > $3 "
      "RETURNING " +
          std::string(kOfferColumns),
      {request.offer_id, request.quantity, micros});
  if (updated.empty()) {
    // A request with the same id may have taken the last units and committed while this
    // UPDATE waited for the row lock. Under READ COMMITTED this new statement reads that
    // commit, so the retry gets the first request's outcome instead of SOLD_OUT.
    if (auto existing = find_reservation(session, request.reservation_id)) {
      return repeat_outcome(session, request, *existing);
    }
    throw_not_reservable(session, request, now);
  }
  Offer offer = offer_from_row(updated.one());

  auto inserted = session.execute(
      "INSERT INTO reservations (id, offer_id, customer_id, quantity, unit_price_amount, "
      "currency, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'HELD', $7) "
      "ON CONFLICT (id) DO NOTHING RETURNING " +
          std::string(kColumns),
      {request.reservation_id, request.offer_id, request.customer_id, request.quantity,
       offer.price.amount, offer.price.currency, micros});
  if (inserted.empty()) {
    throw SameIdCommittedFirst{};
  }

  std::int64_t held = units_held_by(session, request.offer_id, request.customer_id);
  if (held > offer.max_per_customer) {
    throw core::Error(core::ErrorCode::kLimitExceeded,
                      "customer " + request.customer_id + " may hold at most " +
                          std::to_string(offer.max_per_customer) + " units of offer " + offer.id +
                          " and already holds " + std::to_string(held - request.quantity));
  }

  write_quantity_events(session, offer, now);
  return ReserveOutcome{reservation_from_row(inserted.one()), true, offer};
}

// Puts the units of a just-released reservation back where they came from.
void return_units(db::Session& session, const Reservation& reservation, core::Timestamp now) {
  auto micros = core::to_unix_micros(now);
  auto updated = session.execute(
      "UPDATE offers SET quantity_available = quantity_available + $2, "
      "status = CASE WHEN status = 'SOLD_OUT' AND pickup_end > $3 THEN 'ACTIVE' ELSE status END, "
      "updated_at = $3 WHERE id = $1 AND status IN ('ACTIVE', 'SOLD_OUT') RETURNING " +
          std::string(kOfferColumns),
      {*reservation.offer_id, reservation.quantity, micros});
  if (!updated.empty()) {
    write_quantity_events(session, offer_from_row(updated.one()), now);
    return;
  }
  auto offer = find_offer(session, *reservation.offer_id);
  if (offer && offer->kind == OfferKind::kProduct && offer->product_id) {
    adjust_inventory(session, offer->restaurant_id, *offer->product_id, reservation.quantity, now);
  }
}

ReleaseOutcome release_once(db::Session& session, const std::string& reservation_id,
                            core::Timestamp now) {
  auto micros = core::to_unix_micros(now);
  auto released = session.execute(
      "UPDATE reservations SET status = 'RELEASED', released_at = $2 "
      "WHERE id = $1 AND status = 'HELD' RETURNING " +
          std::string(kColumns),
      {reservation_id, micros});
  if (!released.empty()) {
    Reservation reservation = reservation_from_row(released.one());
    return_units(session, reservation, now);
    return ReleaseOutcome{reservation, reservation.quantity, true};
  }
  if (auto existing = find_reservation(session, reservation_id)) {
    return ReleaseOutcome{*existing, existing->quantity, false};
  }
  auto tombstone = session.execute(
      "INSERT INTO reservations (id, quantity, status, created_at, released_at) "
      "VALUES ($1, 0, 'RELEASED', $2, $2) ON CONFLICT (id) DO NOTHING RETURNING " +
          std::string(kColumns),
      {reservation_id, micros});
  if (tombstone.empty()) {
    throw SameIdCommittedFirst{};
  }
  return ReleaseOutcome{reservation_from_row(tombstone.one()), 0, true};
}

}  // namespace

std::string_view reservation_status_name(ReservationStatus status) {
  return status == ReservationStatus::kHeld ? "HELD" : "RELEASED";
}

nlohmann::json reservation_json(const Reservation& reservation) {
  return {
      {"reservationId", reservation.id},
      {"offerId", reservation.offer_id ? nlohmann::json(*reservation.offer_id) : nullptr},
      {"customerId", reservation.customer_id ? nlohmann::json(*reservation.customer_id) : nullptr},
      {"quantity", reservation.quantity},
      {"unitPrice", reservation.unit_price ? nlohmann::json(*reservation.unit_price) : nullptr},
      {"status", reservation_status_name(reservation.status)},
      {"createdAt", core::format_rfc3339(reservation.created_at)},
      {"releasedAt", reservation.released_at
                         ? nlohmann::json(core::format_rfc3339(*reservation.released_at))
                         : nullptr}};
}

std::optional<Reservation> find_reservation(db::Session& session, std::string_view id) {
  auto row = session
                 .execute("SELECT " + std::string(kColumns) + " FROM reservations WHERE id = $1",
                          {std::string(id)})
                 .maybe_one();
  if (!row) {
    return std::nullopt;
  }
  return reservation_from_row(*row);
}

ReserveOutcome reserve(db::Database& database, const ReservationRequest& request,
                       core::Timestamp now) {
  try {
    return database.transaction(
        [&](db::Session& session) { return reserve_once(session, request, now); });
  } catch (const SameIdCommittedFirst&) {
    return database.transaction(
        [&](db::Session& session) {
          auto existing = find_reservation(session, request.reservation_id);
          if (!existing) {
            throw core::Error::internal("reservation " + request.reservation_id +
                                        " conflicted on insert but cannot be read");
          }
          return repeat_outcome(session, request, *existing);
        },
        read_only());
  }
}

ReleaseOutcome release(db::Database& database, const std::string& reservation_id,
                       core::Timestamp now) {
  for (int attempt = 1;; ++attempt) {
    try {
      return database.transaction(
          [&](db::Session& session) { return release_once(session, reservation_id, now); });
    } catch (const SameIdCommittedFirst&) {
      if (attempt == kMaxReleaseAttempts) {
        throw core::Error::unavailable("releasing reservation " + reservation_id +
                                       " kept conflicting with requests for the same id; retry");
      }
    }
  }
}

}  // namespace surplus::offers
