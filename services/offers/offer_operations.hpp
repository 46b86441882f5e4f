#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <surplus/db/database.hpp>

#include "actor.hpp"
#include "offer.hpp"
#include "offer_input.hpp"
#include "offers_store.hpp"
#include "restaurant_directory.hpp"

// The offer life cycle. Each operation checks who may do it, runs in one transaction and
// writes its events to the outbox in that transaction. Throws core::Error: FORBIDDEN for
// an actor that does not manage the restaurant, NOT_FOUND for an unknown offer (or a draft
// that the actor may not see), CONFLICT for a change the status does not allow. Creating,
// editing and publishing a PRODUCT offer first check that the product belongs to the
// offer's restaurant, as require_own_product does, and write nothing when it does not.
namespace surplus::offers {

// Creates a DRAFT for `restaurant_id`, or publishes it at once when input.publish.
Offer create_offer(db::Database& database, RestaurantDirectory& directory, const Actor& actor,
                   const std::string& restaurant_id, const OfferInput& input, core::Timestamp now);

// The result of create_offer_once: the offer, and whether this request created it.
struct CreatedOffer {
  Offer offer;
  bool created = false;
};

// As create_offer, once per Idempotency-Key of the restaurant. A retry with the same key
// and body returns the offer that the first request created and writes nothing. The same
// key with another body is CONFLICT.
CreatedOffer create_offer_once(db::Database& database, RestaurantDirectory& directory,
                               const Actor& actor, const std::string& restaurant_id,
                               const OfferInput& input, const CreateRequest& request,
                               core::Timestamp now);

// Edits an offer. A DRAFT takes every field; an ACTIVE or SOLD_OUT offer takes all but
// kind, product and quantity (writes offer.updated); other statuses take none.
Offer update_offer(db::Database& database, RestaurantDirectory& directory, const Actor& actor,
                   const std::string& offer_id, const OfferInput& input, core::Timestamp now);

// DRAFT -> ACTIVE: checks the fields against `now`, copies the restaurant's location and,
// for a PRODUCT offer, takes the quantity from inventory (INSUFFICIENT_INVENTORY when it
// is short). Writes offer.published.
Offer publish_offer(db::Database& database, RestaurantDirectory& directory, const Actor& actor,
                    const std::string& offer_id, core::Timestamp now);

// DRAFT, ACTIVE or SOLD_OUT -> CANCELLED. A published PRODUCT offer gives its unreserved
// units back to inventory. Writes offer.updated for a published offer.
Offer cancel_offer(db::Database& database, const Actor& actor, const std::string& offer_id,
                   core::Timestamp now);

// ACTIVE or SOLD_OUT offers whose pickup window ended by `now` -> EXPIRED, each in its own
// transaction, PRODUCT offers giving unreserved units back to inventory and each writing
// offer.updated. Returns how many expired.
std::size_t expire_ended_offers(db::Database& database, core::Timestamp now,
                                std::size_t max_offers = 500);

// An offer as `actor` may see it: drafts only for those who manage the restaurant.
Offer get_offer(db::Database& database, const Actor& actor, const std::string& offer_id);

}  // namespace surplus::offers
