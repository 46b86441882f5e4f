#include <surplus/events/outbox.hpp>

namespace surplus::events {

db::Params outbox_values(const Event& event) {
  return {event.id, event.type, to_envelope(event).dump(), core::to_unix_micros(event.occurred_at)};
}

void write_to_outbox(db::Session& session, const Event& event) {
  session.execute(
      "INSERT INTO outbox (" + std::string(kOutboxColumns) + ") VALUES ($1, $2, $3, $4)",
      outbox_values(event));
}

}  // namespace surplus::events
