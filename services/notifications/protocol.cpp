#include "protocol.hpp"

#include <string>

#include <surplus/core/json_nesting.hpp>

namespace surplus::notifications {
namespace {

std::string required_string(const nlohmann::json& message, const char* field) {
  auto it = message.find(field);
  if (it == message.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    throw ProtocolError(error_codes::kBadMessage,
                        std::string("\"") + field + "\" must be a non-empty string");
  }
  return it->get<std::string>();
}

ChannelPosition parse_since(const nlohmann::json& since, const std::string& channel) {
  auto epoch = since.find("epoch");
  auto offset = since.find("offset");
  if (!since.is_object() || epoch == since.end() || !epoch->is_string() || offset == since.end() ||
      !offset->is_number_integer() || offset->get<std::int64_t>() < 0) {
    throw ProtocolError(error_codes::kBadMessage,
                        "\"since\" must be {\"epoch\": string, \"offset\": integer >= 0}", channel);
  }
  return {epoch->get<std::string>(), offset->get<std::int64_t>()};
}

}  // namespace

ClientMessage parse_client_message(std::string_view text) {
  if (!core::json_nesting_within(text)) {
    throw ProtocolError(error_codes::kBadMessage,
                        "the message nests arrays and objects deeper than " +
                            std::to_string(core::kMaxJsonNesting) + " levels");
  }
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) {
    throw ProtocolError(error_codes::kBadMessage, "the message is not valid JSON");
  }
  if (!json.is_object()) {
    throw ProtocolError(error_codes::kBadMessage, "the message must be a JSON object");
  }
  auto type = required_string(json, "type");
  ClientMessage message;
  if (type == "ping") {
    message.type = ClientMessage::Type::kPing;
    message.id = json.value("id", nlohmann::json());
  } else if (type == "auth") {
    message.type = ClientMessage::Type::kAuth;
    message.token = required_string(json, "token");
  } else if (type == "subscribe" || type == "unsubscribe") {
    message.type =
        type == "subscribe" ? ClientMessage::Type::kSubscribe : ClientMessage::Type::kUnsubscribe;
    message.channel = required_string(json, "channel");
    auto since = json.find("since");
    if (message.type == ClientMessage::Type::kSubscribe && since != json.end() &&
        !since->is_null()) {
      message.since = parse_since(*since, message.channel);
    }
  } else {
    throw ProtocolError(
        error_codes::kUnknownType,
        "unknown message type '" + type + "'; expected auth, subscribe, unsubscribe or ping");
  }
  return message;
}

// Server messages are built as ordered_json, so "type" comes first on the wire.
std::string authenticated_message(const std::string& user_id, std::string_view role) {
  return nlohmann::ordered_json{{"type", "authenticated"}, {"userId", user_id}, {"role", role}}
      .dump();
}

std::string subscribed_message(const std::string& channel, bool recovered,
                               const ChannelPosition& position) {
  return nlohmann::ordered_json{{"type", "subscribed"},
                                {"channel", channel},
                                {"recovered", recovered},
                                {"epoch", position.epoch},
                                {"offset", position.offset}}
      .dump();
}

std::string unsubscribed_message(const std::string& channel) {
  return nlohmann::ordered_json{{"type", "unsubscribed"}, {"channel", channel}}.dump();
}

std::string event_message(const std::string& channel, std::int64_t offset,
                          const std::string& envelope) {
  std::string text = R"({"type":"event","channel":)";
  text += nlohmann::json(channel).dump();
  text += R"(,"offset":)";
  text += std::to_string(offset);
  text += R"(,"event":)";
  text += envelope;
  text += '}';
  return text;
}

std::string error_message(std::string_view code, const std::string& message,
                          const std::string& channel) {
  nlohmann::ordered_json json{{"type", "error"}, {"code", code}, {"message", message}};
  if (!channel.empty()) {
    json["channel"] = channel;
  }
  return json.dump();
}

std::string pong_message(const nlohmann::json& id) {
  nlohmann::ordered_json json{{"type", "pong"}};
  if (!id.is_null()) {
    json["id"] = id;
  }
  return json.dump();
}

}  // namespace surplus::notifications
