#include "outbox_writer.hpp"

#include <utility>

#include <surplus/core/id.hpp>
#include <surplus/events/event.hpp>
#include <surplus/events/outbox.hpp>

namespace surplus::offers {

void write_event(db::Session& session, std::string type, std::vector<std::string> channels,
                 nlohmann::json data, core::Timestamp now) {
  events::Event event{core::new_uuid_v7(), std::move(type), now, std::move(channels),
                      std::move(data)};
  events::write_to_outbox(session, event);
}

}  // namespace surplus::offers
