#pragma once

#include <surplus/service/service.hpp>

namespace surplus::notifications {

// The notifications service (port 4003) owns the WebSocket endpoint /ws, channels, and the event
// log with history and recovery.
service::ServiceDefinition definition();

}  // namespace surplus::notifications
