#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>

#include "orders_config.hpp"
#include "restaurants_store.hpp"

// Keeps the offers service's copy of each restaurant's name and location up to date. The
// offers service places offers at that location (search finds them there) and moves the
// restaurant's live offers when it changes, so a change that never arrives would leave
// them in the wrong place. A change is therefore recorded in the restaurant_sync table in
// the transaction that makes it, sent right after the commit, and retried by the
// reconciler until the offers service acknowledges it.
namespace surplus::orders {

// Records, inside the caller's transaction, that `restaurant` as written there is to reach
// the offers service. A newer change replaces an older one that has not arrived yet.
void request_restaurant_sync(db::Session& session, const Restaurant& restaurant,
                             core::Timestamp now);

// Sends the restaurant's current name and location to the offers service when a change is
// waiting, and deletes the waiting row once the offers service accepted it. A failure
// leaves the row for a later attempt, after a delay that doubles with each failure (1 s
// up to 5 min). Returns false when a change is still waiting afterwards.
bool push_restaurant(OrdersApp& app, const std::string& restaurant_id, core::Timestamp now);

// Runs push_restaurant right after the change committed, for a request handler. Errors
// are logged and not thrown, because the change is committed and the reconciler retries it.
void push_restaurant_after_commit(OrdersApp& app, const std::string& restaurant_id);

// Ids of the restaurants whose change is due for another attempt at `now`, oldest first.
std::vector<std::string> restaurants_due_for_sync(db::Session& session, core::Timestamp now,
                                                  std::size_t limit);

}  // namespace surplus::orders
