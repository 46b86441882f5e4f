#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/time.hpp>

namespace surplus::events {

// A state change that other parties hear about. The wire form is the envelope
//   {"id": "<uuid>", "type": "order.confirmed", "occurredAt": "<RFC 3339>",
//    "channels": ["order:<id>", "user:<id>"], "data": {...}}
// `id` is unique per event and is what the notifications service deduplicates on.
struct Event {
  std::string id;
  std::string type;
  core::Timestamp occurred_at;
  std::vector<std::string> channels;
  nlohmann::json data = nlohmann::json::object();
};

// Builds an event with a new UUIDv7 id, occurring now.
Event make_event(std::string type, std::vector<std::string> channels, nlohmann::json data);

nlohmann::json to_envelope(const Event& event);

// Reads an envelope; throws core::Error VALIDATION_FAILED naming the first invalid field
// (id must be a UUID, type and every channel non-empty strings, occurredAt RFC 3339, at
// least one channel, data an object).
Event from_envelope(const nlohmann::json& envelope);

}  // namespace surplus::events
