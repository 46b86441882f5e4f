#pragma once

// RFC 6455 framing for the server side: client frame headers, masking, server frame
// headers, close payloads and the UTF-8 check of text messages. No I/O here.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace surplus::http::websocket_frame {

enum class Opcode : std::uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xA,
};

// Control frames carry at most 125 bytes of payload and are never fragmented (RFC 6455, 5.5).
inline constexpr std::size_t kMaxControlPayload = 125;
// A close payload is a 2-byte code followed by the reason, so the reason has at most 123.
inline constexpr std::size_t kMaxCloseReason = kMaxControlPayload - 2;
// Client headers: 2 bytes, up to 8 of extended length, 4 of masking key.
inline constexpr std::size_t kMaxClientHeader = 14;
// Server headers carry no masking key.
inline constexpr std::size_t kMaxServerHeader = 10;

inline constexpr std::uint16_t kCloseNoStatus = 1005;     // close frame without a code
inline constexpr std::uint16_t kCloseProtocol = 1002;     // framing rule broken
inline constexpr std::uint16_t kCloseInvalidData = 1007;  // text that is not UTF-8

struct ClientFrameHeader {
  bool fin = false;
  Opcode opcode = Opcode::kContinuation;
  std::uint64_t payload_size = 0;
  std::array<std::uint8_t, 4> mask{};
};

// Size of the whole client header (2 to 14 bytes) from its second byte: the 7-bit length
// selects 0, 2 or 8 bytes of extended length, and the mask bit 4 bytes of masking key.
// Reading an unmasked header in full lets parse_client_header() reject it at once.
std::size_t client_header_size(std::uint8_t second_byte);

// Parses a client frame header of client_header_size() bytes. Returns the close code for a
// framing error (1002: reserved bits, unknown opcode, unmasked frame, oversized or
// fragmented control frame, non-minimal or 64-bit length with the top bit set), or
// std::nullopt when the header is valid.
std::optional<std::uint16_t> parse_client_header(const std::uint8_t* bytes, std::size_t size,
                                                 ClientFrameHeader& header);

// Unmasks `size` bytes in place. `position` is the index of data[0] within the frame's
// payload, so a payload may be unmasked in parts.
void unmask(char* data, std::size_t size, const std::array<std::uint8_t, 4>& mask,
            std::uint64_t position);

// Writes an unfragmented, unmasked server frame header; returns its size (2, 4 or 10).
std::size_t write_server_header(std::array<std::uint8_t, kMaxServerHeader>& out, Opcode opcode,
                                std::uint64_t payload_size);

// A complete server control frame (header and payload); `payload` is cut to 125 bytes.
std::string control_frame(Opcode opcode, std::string_view payload);

// The payload of a close frame: the code in network order and the reason, cut to 123
// bytes at a UTF-8 character boundary.
std::string close_payload(std::uint16_t code, std::string_view reason);

struct ClosePayload {
  std::uint16_t code = kCloseNoStatus;
  std::string reason;
};

// Parses a received close payload. Returns std::nullopt for a 1-byte payload, a code that
// an endpoint may not send (RFC 6455, 7.4) or a reason that is not UTF-8.
std::optional<ClosePayload> parse_close_payload(std::string_view payload);

// Whether a peer may send `code` in a close frame: 1000-1003, 1007-1014 and 3000-4999.
bool is_valid_close_code(std::uint16_t code);

}  // namespace surplus::http::websocket_frame
