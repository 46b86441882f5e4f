#include "ingestion.hpp"

#include <string>
#include <vector>

#include <surplus/core/error.hpp>
#include <surplus/events/event.hpp>

namespace surplus::notifications {
namespace {

// Rewrites an error about one envelope so its fields are named within the batch.
core::Error batch_error(std::size_t index, const core::Error& error) {
  std::string prefix = "events[" + std::to_string(index) + "]";
  if (error.fields().empty()) {
    return core::Error::validation(prefix, error.message());
  }
  const auto& first = error.fields().front();
  return core::Error::validation(prefix + "." + first.value("field", std::string()),
                                 first.value("message", error.message()));
}

void check_channels(const NotificationsConfig& config, const events::Event& event,
                    std::size_t index) {
  auto field = "events[" + std::to_string(index) + "].channels";
  if (event.channels.size() > config.max_event_channels) {
    throw core::Error::validation(
        field, "at most " + std::to_string(config.max_event_channels) + " channels per event");
  }
  for (const auto& channel : event.channels) {
    if (channel.size() > config.max_channel_bytes) {
      throw core::Error::validation(field, "a channel name is longer than " +
                                               std::to_string(config.max_channel_bytes) + " bytes");
    }
  }
}

}  // namespace

IngestSummary ingest_batch(NotificationsApp& app, const nlohmann::json& body) {
  auto list = body.is_object() ? body.find("events") : body.end();
  if (!body.is_object() || list == body.end() || !list->is_array()) {
    throw core::Error::validation("events", "expected {\"events\": [event envelope, ...]}");
  }
  if (list->size() > app.config.max_batch_events) {
    throw core::Error(core::ErrorCode::kPayloadTooLarge,
                      "a batch may hold at most " + std::to_string(app.config.max_batch_events) +
                          " events, this one has " + std::to_string(list->size()) +
                          "; send smaller batches");
  }

  std::vector<events::Event> events;
  std::vector<std::string> envelopes;
  events.reserve(list->size());
  envelopes.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    try {
      events.push_back(events::from_envelope((*list)[i]));
    } catch (const core::Error& error) {
      throw batch_error(i, error);
    }
    check_channels(app.config, events.back(), i);
    envelopes.push_back((*list)[i].dump());
  }
  if (events.empty()) {
    return {};
  }

  std::lock_guard lock(app.ingest_mutex);
  auto result = app.log.append(events, envelopes);
  app.metrics.events_stored.increment(result.stored);
  app.metrics.events_duplicate.increment(result.duplicates);
  app.hub.publish(std::move(result.entries));
  return {result.stored, result.duplicates};
}

}  // namespace surplus::notifications
