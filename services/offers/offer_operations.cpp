#include "offer_operations.hpp"

#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>
#include <surplus/core/log.hpp>

#include "inventory_operations.hpp"
#include "inventory_store.hpp"
#include "offers_store.hpp"
#include "outbox_writer.hpp"
#include "read_only.hpp"

namespace surplus::offers {
namespace {

void require_manager(const Actor& actor, const std::string& restaurant_id) {
  if (actor.identity.is_anonymous() && !actor.service) {
    throw core::Error::unauthenticated();
  }
  if (!actor.manages(restaurant_id)) {
    throw core::Error::forbidden("only staff of restaurant " + restaurant_id +
                                 " or an admin may change its offers");
  }
}

// Loads an offer that `actor` is about to change. Throws NOT_FOUND for an unknown offer
// and FORBIDDEN when the actor does not manage its restaurant.
Offer load_managed_offer(db::Session& session, const Actor& actor, const std::string& offer_id) {
  auto offer = find_offer(session, offer_id);
  if (!offer) {
    throw core::Error::not_found("offer " + offer_id);
  }
  require_manager(actor, offer->restaurant_id);
  return *offer;
}

core::Error status_conflict(const Offer& offer, const std::string& action) {
  return core::Error::conflict("offer " + offer.id + " is " +
                               std::string(offer_status_name(offer.status)) + " and cannot be " +
                               action);
}

void take_from_inventory(db::Session& session, const Offer& offer, core::Timestamp now) {
  if (adjust_inventory(session, offer.restaurant_id, *offer.product_id, -offer.quantity_total,
                       now)) {
    return;
  }
  auto item = find_inventory(session, offer.restaurant_id, *offer.product_id);
  throw core::Error(core::ErrorCode::kInsufficientInventory,
                    "product " + *offer.product_id + " has " +
                        std::to_string(item ? item->quantity : 0) +
                        " units in inventory, fewer than the " +
                        std::to_string(offer.quantity_total) + " this offer needs");
}

// Gives the unreserved units of a published PRODUCT offer back to inventory.
void return_unsold_units(db::Session& session, const Offer& offer, core::Timestamp now) {
  if (offer.kind != OfferKind::kProduct || !offer.product_id || offer.quantity_available == 0) {
    return;
  }
  if (!adjust_inventory(session, offer.restaurant_id, *offer.product_id, offer.quantity_available,
                        now)) {
    // Publishing needed the row, so it is missing only when removed outside this service.
    upsert_inventory(session, InventoryItem{offer.restaurant_id, *offer.product_id,
                                            offer.quantity_available, "piece", std::nullopt, now});
  }
}

Offer publish_in(db::Session& session, const Offer& draft, core::GeoPoint location,
                 core::Timestamp now) {
  validate_offer(draft, now);
  auto published = mark_published(session, draft.id, location, now);
  if (!published) {
    auto current = find_offer(session, draft.id);
    throw status_conflict(current.value_or(draft), "published");
  }
  if (published->kind == OfferKind::kProduct) {
    take_from_inventory(session, *published, now);
  }
  write_event(session, kOfferPublished, offer_channels(published->restaurant_id),
              offer_json(*published), now);
  return *published;
}

}  // namespace

namespace {

// Builds and checks the new DRAFT that create_offer writes. Throws before anything is
// written.
Offer new_offer(RestaurantDirectory& directory, const Actor& actor,
                const std::string& restaurant_id, const OfferInput& input, core::Timestamp now) {
  Offer offer;
  offer.id = core::new_uuid_v7();
  offer.restaurant_id = restaurant_id;
  offer.description = "";
  apply_offer_input(offer, input);
  if (!input.max_per_customer) {
    offer.max_per_customer = offer.quantity_total;
  }
  offer.status = OfferStatus::kDraft;
  offer.created_by = actor.service ? "service" : actor.identity.user_id;
  offer.created_at = now;
  offer.updated_at = now;
  validate_offer(offer, now);
  if (offer.product_id) {
    require_own_product(directory, restaurant_id, *offer.product_id);
  }
  return offer;
}

std::optional<core::GeoPoint> location_to_publish(RestaurantDirectory& directory,
                                                  const std::string& restaurant_id,
                                                  const OfferInput& input) {
  if (!input.publish) {
    return std::nullopt;
  }
  return directory.find(restaurant_id).location;
}

// Returns the stored offer for a request whose key the restaurant used before. Throws
// CONFLICT when the bodies differ.
CreatedOffer replay(KeyedOffer existing, const CreateRequest& request) {
  if (existing.body != request.body) {
    throw core::Error::conflict("Idempotency-Key " + request.key +
                                " was used for another offer of this restaurant; send a new key "
                                "for a new offer");
  }
  return {std::move(existing.offer), false};
}

std::optional<KeyedOffer> read_keyed_offer(db::Database& database, const std::string& restaurant_id,
                                           const std::string& key) {
  return database.transaction(
      [&](db::Session& session) { return find_offer_by_key(session, restaurant_id, key); },
      read_only());
}

}  // namespace

Offer create_offer(db::Database& database, RestaurantDirectory& directory, const Actor& actor,
                   const std::string& restaurant_id, const OfferInput& input, core::Timestamp now) {
  require_manager(actor, restaurant_id);
  Offer offer = new_offer(directory, actor, restaurant_id, input, now);
  const std::optional<core::GeoPoint> location =
      location_to_publish(directory, restaurant_id, input);
  return database.transaction([&](db::Session& session) {
    insert_offer(session, offer);
    if (!location) {
      return offer;
    }
    return publish_in(session, offer, *location, now);
  });
}

CreatedOffer create_offer_once(db::Database& database, RestaurantDirectory& directory,
                               const Actor& actor, const std::string& restaurant_id,
                               const OfferInput& input, const CreateRequest& request,
                               core::Timestamp now) {
  require_manager(actor, restaurant_id);
  // A retry returns what the first request stored. It skips the checks, which could fail
  // by now, for example when the pickup window has started since.
  if (auto existing = read_keyed_offer(database, restaurant_id, request.key)) {
    return replay(std::move(*existing), request);
  }
  Offer offer = new_offer(directory, actor, restaurant_id, input, now);
  const std::optional<core::GeoPoint> location =
      location_to_publish(directory, restaurant_id, input);
  const bool inserted = database.transaction([&](db::Session& session) {
    if (!insert_offer_once(session, offer, request)) {
      return false;
    }
    if (location) {
      offer = publish_in(session, offer, *location, now);
    }
    return true;
  });
  if (inserted) {
    return {std::move(offer), true};
  }
  // A concurrent request with the key committed first, and the insert waited for it.
  auto existing = read_keyed_offer(database, restaurant_id, request.key);
  if (!existing) {
    throw core::Error::internal("Idempotency-Key " + request.key + " of restaurant " +
                                restaurant_id + " conflicted on insert but no offer has it");
  }
  return replay(std::move(*existing), request);
}

Offer update_offer(db::Database& database, RestaurantDirectory& directory, const Actor& actor,
                   const std::string& offer_id, const OfferInput& input, core::Timestamp now) {
  if (input.product_id) {
    // The check may call the orders service, so it happens before the transaction. An
    // offer never changes restaurant, so the restaurant read here is still its own.
    Offer before = database.transaction(
        [&](db::Session& session) { return load_managed_offer(session, actor, offer_id); },
        read_only());
    require_own_product(directory, before.restaurant_id, *input.product_id);
  }
  return database.transaction([&](db::Session& session) {
    Offer offer = load_managed_offer(session, actor, offer_id);
    if (offer.status == OfferStatus::kDraft) {
      apply_offer_input(offer, input);
      if (input.quantity && !input.max_per_customer &&
          offer.max_per_customer > offer.quantity_total) {
        offer.max_per_customer = offer.quantity_total;
      }
      offer.updated_at = now;
      validate_offer(offer, now);
      if (!update_draft(session, offer)) {
        throw core::Error::conflict("offer " + offer_id + " changed while it was edited; retry");
      }
      return offer;
    }
    if (!is_live(offer.status)) {
      throw status_conflict(offer, "edited");
    }
    if (input.kind || input.product_id || input.quantity) {
      throw core::Error::validation(
          input.quantity ? "quantity" : (input.kind ? "kind" : "productId"),
          "cannot change after the offer is published");
    }
    apply_offer_input(offer, input);
    validate_offer(offer, now);
    auto updated = update_live_offer(session, offer, now);
    if (!updated) {
      throw core::Error::conflict("offer " + offer_id + " ended while it was edited");
    }
    write_event(session, kOfferUpdated, offer_channels(updated->restaurant_id),
                offer_json(*updated), now);
    return *updated;
  });
}

Offer publish_offer(db::Database& database, RestaurantDirectory& directory, const Actor& actor,
                    const std::string& offer_id, core::Timestamp now) {
  Offer draft = database.transaction(
      [&](db::Session& session) { return load_managed_offer(session, actor, offer_id); },
      read_only());
  if (draft.status != OfferStatus::kDraft) {
    throw status_conflict(draft, "published");
  }
  validate_offer(draft, now);
  // The lookups may call the orders service, so they happen outside the transaction. A
  // draft saved before products were checked is checked here, before units are taken.
  if (draft.product_id) {
    require_own_product(directory, draft.restaurant_id, *draft.product_id);
  }
  core::GeoPoint location = directory.find(draft.restaurant_id).location;
  return database.transaction([&](db::Session& session) {
    auto current = find_offer(session, offer_id);
    if (!current) {
      throw core::Error::not_found("offer " + offer_id);
    }
    return publish_in(session, *current, location, now);
  });
}

Offer cancel_offer(db::Database& database, const Actor& actor, const std::string& offer_id,
                   core::Timestamp now) {
  return database.transaction([&](db::Session& session) {
    Offer offer = load_managed_offer(session, actor, offer_id);
    auto cancelled = change_status(
        session, offer_id, {OfferStatus::kDraft, OfferStatus::kActive, OfferStatus::kSoldOut},
        OfferStatus::kCancelled, now);
    if (!cancelled) {
      throw status_conflict(offer, "cancelled");
    }
    if (offer.status != OfferStatus::kDraft) {
      return_unsold_units(session, *cancelled, now);
      write_event(session, kOfferUpdated, offer_channels(cancelled->restaurant_id),
                  offer_json(*cancelled), now);
    }
    return *cancelled;
  });
}

std::size_t expire_ended_offers(db::Database& database, core::Timestamp now,
                                std::size_t max_offers) {
  auto ids = database.transaction(
      [&](db::Session& session) { return ended_offer_ids(session, now, max_offers); }, read_only());
  std::size_t expired = 0;
  for (const auto& id : ids) {
    bool changed = database.transaction([&](db::Session& session) {
      auto offer = change_status(session, id, {OfferStatus::kActive, OfferStatus::kSoldOut},
                                 OfferStatus::kExpired, now);
      if (!offer) {
        return false;  // cancelled or expired by someone else meanwhile
      }
      return_unsold_units(session, *offer, now);
      write_event(session, kOfferUpdated, offer_channels(offer->restaurant_id), offer_json(*offer),
                  now);
      return true;
    });
    expired += changed ? 1 : 0;
  }
  return expired;
}

Offer get_offer(db::Database& database, const Actor& actor, const std::string& offer_id) {
  auto offer = database.transaction(
      [&](db::Session& session) { return find_offer(session, offer_id); }, read_only());
  if (!offer || (offer->status == OfferStatus::kDraft && !actor.manages(offer->restaurant_id))) {
    throw core::Error::not_found("offer " + offer_id);
  }
  return *offer;
}

}  // namespace surplus::offers
