#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "notifications_app.hpp"

namespace surplus::notifications {

struct IngestSummary {
  std::size_t stored = 0;
  std::size_t duplicates = 0;
};

// Stores a batch {"events": [envelope, ...]} and queues its new entries for fan-out.
// The whole batch is validated first, so it is stored entirely or not at all. Returns
// after the commit. Throws core::Error VALIDATION_FAILED naming the invalid field
// ("events[3].occurredAt"), PAYLOAD_TOO_LARGE above INGEST_MAX_BATCH events, and
// db::DatabaseError when the database fails.
IngestSummary ingest_batch(NotificationsApp& app, const nlohmann::json& body);

}  // namespace surplus::notifications
