#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <surplus/db/database.hpp>

#include "offer.hpp"

// SQL for the offers table. Every function runs inside the caller's transaction.
namespace surplus::offers {

// The column list that offer_from_row reads, for SELECT and RETURNING clauses.
extern const std::string_view kOfferColumns;

Offer offer_from_row(const db::Row& row);

void insert_offer(db::Session& session, const Offer& offer);
std::optional<Offer> find_offer(db::Session& session, std::string_view id);

// The request that creates an offer with an Idempotency-Key: the key, unique per
// restaurant, and the request body, which distinguishes a retry from another request.
struct CreateRequest {
  std::string key;
  std::string body;
};

// Inserts `offer` unless its restaurant already has an offer created with `request.key`.
// Returns false then and writes nothing.
bool insert_offer_once(db::Session& session, const Offer& offer, const CreateRequest& request);

// The offer that `restaurant_id` created with `key`, and the body of that request.
struct KeyedOffer {
  Offer offer;
  std::string body;
};
std::optional<KeyedOffer> find_offer_by_key(db::Session& session, std::string_view restaurant_id,
                                            std::string_view key);

// Writes every editable field of a draft (including kind, product and quantity). Returns
// false when the offer is no longer a draft.
bool update_draft(db::Session& session, const Offer& offer);

// Writes the fields that may change after publication: title, description, category,
// dietary tags, price, original value, maximum per customer and pickup window. The
// quantities are left alone, because reservations change them concurrently. Returns the
// stored offer, or nullopt when it is no longer ACTIVE or SOLD_OUT.
std::optional<Offer> update_live_offer(db::Session& session, const Offer& offer,
                                       core::Timestamp now);

// DRAFT -> ACTIVE with the restaurant's location and the quantity to offer. Returns the
// published offer, or nullopt when it was not a draft any more.
std::optional<Offer> mark_published(db::Session& session, std::string_view id,
                                    core::GeoPoint location, core::Timestamp now);

// Gives every ACTIVE and SOLD_OUT offer of the restaurant that is elsewhere the new
// `location`, which is what search reads. Returns the moved offers as stored now.
std::vector<Offer> move_live_offers(db::Session& session, std::string_view restaurant_id,
                                    core::GeoPoint location, core::Timestamp now);

// Moves the offer to `to` when its status is one of `from`; returns the updated offer, or
// nullopt when the status was another.
std::optional<Offer> change_status(db::Session& session, std::string_view id,
                                   const std::vector<OfferStatus>& from, OfferStatus to,
                                   core::Timestamp now);

// A restaurant's offers, newest first (ids are UUIDv7, so id order is creation order),
// after the offer id `before_id` when given. `statuses` empty means all.
std::vector<Offer> list_restaurant_offers(db::Session& session, std::string_view restaurant_id,
                                          const std::vector<OfferStatus>& statuses,
                                          const std::optional<std::string>& before_id,
                                          std::size_t limit);

// Ids of ACTIVE and SOLD_OUT offers whose pickup window ended at or before `now`.
std::vector<std::string> ended_offer_ids(db::Session& session, core::Timestamp now,
                                         std::size_t limit);

}  // namespace surplus::offers
