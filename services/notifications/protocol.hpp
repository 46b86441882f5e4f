#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "event_log.hpp"

// The JSON messages of the /ws protocol; docs/notifications-protocol.md describes them
// for clients.
namespace surplus::notifications {

// Codes of server `error` messages. Clients match on them, so they never change.
namespace error_codes {
inline constexpr std::string_view kBadMessage = "BAD_MESSAGE";          // not a valid message
inline constexpr std::string_view kUnknownType = "UNKNOWN_TYPE";        // unsupported "type"
inline constexpr std::string_view kInvalidChannel = "INVALID_CHANNEL";  // not a channel name
inline constexpr std::string_view kUnauthenticated = "UNAUTHENTICATED";
inline constexpr std::string_view kForbidden = "FORBIDDEN";
inline constexpr std::string_view kAlreadySubscribed = "ALREADY_SUBSCRIBED";
inline constexpr std::string_view kNotSubscribed = "NOT_SUBSCRIBED";
inline constexpr std::string_view kTooManyChannels = "TOO_MANY_CHANNELS";
inline constexpr std::string_view kUnavailable = "UNAVAILABLE";  // database or orders failed
}  // namespace error_codes

// Close codes of this protocol beyond those of http/websocket.hpp (1000, 1001, 1003,
// 1008, 1009, 1011, 4000 slow reader, 4001 idle).
inline constexpr std::uint16_t kCloseAuthenticationFailed = 4003;

// A client message that the server rejects with an `error` message.
class ProtocolError : public std::runtime_error {
 public:
  ProtocolError(std::string_view code, std::string message, std::string channel = {})
      : std::runtime_error(message), code_(code), channel_(std::move(channel)) {}

  const std::string& code() const { return code_; }
  const std::string& channel() const { return channel_; }

 private:
  std::string code_;
  std::string channel_;
};

struct ClientMessage {
  enum class Type { kAuth, kSubscribe, kUnsubscribe, kPing };
  Type type = Type::kPing;
  std::string token;                     // auth
  std::string channel;                   // subscribe, unsubscribe
  std::optional<ChannelPosition> since;  // subscribe
  nlohmann::json id;                     // ping: echoed in the pong when present
};

// Parses one text message. Throws ProtocolError BAD_MESSAGE for invalid JSON, a
// non-object or a missing or mistyped field, and UNKNOWN_TYPE for another "type".
ClientMessage parse_client_message(std::string_view text);

std::string authenticated_message(const std::string& user_id, std::string_view role);
std::string subscribed_message(const std::string& channel, bool recovered,
                               const ChannelPosition& position);
std::string unsubscribed_message(const std::string& channel);
// Splices the stored envelope text in without parsing it again.
std::string event_message(const std::string& channel, std::int64_t offset,
                          const std::string& envelope);
std::string error_message(std::string_view code, const std::string& message,
                          const std::string& channel = {});
std::string pong_message(const nlohmann::json& id);

}  // namespace surplus::notifications
