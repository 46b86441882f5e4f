#pragma once

#include <string_view>

#include <surplus/db/database.hpp>
#include <surplus/events/event.hpp>

namespace surplus::events {

// Appends `event` to the service's outbox table inside the caller's transaction, so the
// event exists exactly when the change it describes is committed. The table is created by
// each service's migration 001_outbox; the relay sends rows in `seq` order.
void write_to_outbox(db::Session& session, const Event& event);

// The outbox columns that outbox_values() fills, in its order. A service that inserts an
// event in the same statement as its change (a PostgreSQL data-modifying WITH) uses both.
inline constexpr std::string_view kOutboxColumns = "event_id, event_type, envelope, occurred_at";
db::Params outbox_values(const Event& event);

}  // namespace surplus::events
