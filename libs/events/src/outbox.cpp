#include <surplus/events/outbox.hpp>

namespace surplus::events {

void write_to_outbox(db::Session& session, const Event& event) {
  session.execute(
      "INSERT INTO outbox (event_id, event_type, envelope, occurred_at) VALUES ($1, $2, $3, $4)",
      {event.id, event.type, to_envelope(event).dump(), core::to_unix_micros(event.occurred_at)});
}

}  // namespace surplus::events
