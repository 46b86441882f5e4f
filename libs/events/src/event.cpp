#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>
#include <surplus/events/event.hpp>

namespace surplus::events {
namespace {

const nlohmann::json& require_member(const nlohmann::json& envelope, const char* name) {
  auto it = envelope.find(name);
  if (it == envelope.end()) {
    throw core::Error::validation(name, "is missing");
  }
  return *it;
}

std::string require_string(const nlohmann::json& envelope, const char* name) {
  const auto& value = require_member(envelope, name);
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
    throw core::Error::validation(name, "expected a non-empty string");
  }
  return value.get<std::string>();
}

}  // namespace

Event make_event(std::string type, std::vector<std::string> channels, nlohmann::json data) {
  return Event{core::new_uuid_v7(), std::move(type), core::now(), std::move(channels),
               std::move(data)};
}

nlohmann::json to_envelope(const Event& event) {
  return nlohmann::json{{"id", event.id},
                        {"type", event.type},
                        {"occurredAt", core::format_rfc3339(event.occurred_at)},
                        {"channels", event.channels},
                        {"data", event.data}};
}

Event from_envelope(const nlohmann::json& envelope) {
  if (!envelope.is_object()) {
    throw core::Error::validation("event", "expected a JSON object");
  }
  Event event;
  event.id = require_string(envelope, "id");
  if (!core::is_uuid(event.id)) {
    throw core::Error::validation("id", "expected a UUID, got '" + event.id + "'");
  }
  event.type = require_string(envelope, "type");

  auto occurred_at = core::parse_rfc3339(require_string(envelope, "occurredAt"));
  if (!occurred_at) {
    throw core::Error::validation("occurredAt", "expected an RFC 3339 date-time");
  }
  event.occurred_at = *occurred_at;

  const auto& channels = require_member(envelope, "channels");
  if (!channels.is_array() || channels.empty()) {
    throw core::Error::validation("channels", "expected a non-empty array of channel names");
  }
  for (const auto& channel : channels) {
    if (!channel.is_string() || channel.get_ref<const std::string&>().empty()) {
      throw core::Error::validation("channels", "expected every channel to be a non-empty string");
    }
    event.channels.push_back(channel.get<std::string>());
  }

  const auto& data = require_member(envelope, "data");
  if (!data.is_object()) {
    throw core::Error::validation("data", "expected a JSON object");
  }
  event.data = data;
  return event;
}

}  // namespace surplus::events
