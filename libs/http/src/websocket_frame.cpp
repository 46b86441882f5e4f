#include "websocket_frame.hpp"

#include <surplus/core/utf8.hpp>

namespace surplus::http::websocket_frame {
namespace {

bool is_control(Opcode opcode) {
  return (static_cast<std::uint8_t>(opcode) & 0x8) != 0;
}

bool is_known(std::uint8_t opcode) {
  return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

std::size_t extended_length_size(std::uint8_t second_byte) {
  auto length = second_byte & 0x7F;
  if (length == 126) {
    return 2;
  }
  return length == 127 ? 8 : 0;
}

// Length of the UTF-8 prefix of `text` that ends at a character boundary and is at most
// `limit` bytes long.
std::size_t utf8_prefix(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) {
    return text.size();
  }
  auto end = limit;
  while (end > 0 && (static_cast<std::uint8_t>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return end;
}

}  // namespace

std::size_t client_header_size(std::uint8_t second_byte) {
  std::size_t mask_size = (second_byte & 0x80) != 0 ? 4 : 0;
  return 2 + extended_length_size(second_byte) + mask_size;
}

std::optional<std::uint16_t> parse_client_header(const std::uint8_t* bytes, std::size_t size,
                                                 ClientFrameHeader& header) {
  if (size < 2 || size != client_header_size(bytes[1])) {
    return kCloseProtocol;
  }
  // No extension is negotiated, so the three reserved bits must be zero.
  if ((bytes[0] & 0x70) != 0 || !is_known(bytes[0] & 0x0F)) {
    return kCloseProtocol;
  }
  // Every frame from a client is masked (RFC 6455, 5.1).
  if ((bytes[1] & 0x80) == 0) {
    return kCloseProtocol;
  }
  header.fin = (bytes[0] & 0x80) != 0;
  header.opcode = static_cast<Opcode>(bytes[0] & 0x0F);

  std::uint64_t length = bytes[1] & 0x7F;
  auto extended = extended_length_size(bytes[1]);
  if (extended > 0) {
    length = 0;
    for (std::size_t i = 0; i < extended; ++i) {
      length = (length << 8) | bytes[2 + i];
    }
    // The length must use the fewest bytes, and a 64-bit length has its top bit clear.
    bool minimal = extended == 2 ? length >= 126 : length > 0xFFFF;
    if (!minimal || (length >> 63) != 0) {
      return kCloseProtocol;
    }
  }
  header.payload_size = length;
  for (std::size_t i = 0; i < 4; ++i) {
    header.mask[i] = bytes[2 + extended + i];
  }

  if (is_control(header.opcode) && (!header.fin || length > kMaxControlPayload)) {
    return kCloseProtocol;
  }
  return std::nullopt;
}

void unmask(char* data, std::size_t size, const std::array<std::uint8_t, 4>& mask,
            std::uint64_t position) {
  for (std::size_t i = 0; i < size; ++i) {
    data[i] = static_cast<char>(static_cast<std::uint8_t>(data[i]) ^ mask[(position + i) % 4]);
  }
}

std::size_t write_server_header(std::array<std::uint8_t, kMaxServerHeader>& out, Opcode opcode,
                                std::uint64_t payload_size) {
  out[0] = static_cast<std::uint8_t>(0x80 | static_cast<std::uint8_t>(opcode));
  if (payload_size < 126) {
    out[1] = static_cast<std::uint8_t>(payload_size);
    return 2;
  }
  if (payload_size <= 0xFFFF) {
    out[1] = 126;
    out[2] = static_cast<std::uint8_t>(payload_size >> 8);
    out[3] = static_cast<std::uint8_t>(payload_size);
    return 4;
  }
  out[1] = 127;
  for (std::size_t i = 0; i < 8; ++i) {
    out[2 + i] = static_cast<std::uint8_t>(payload_size >> (8 * (7 - i)));
  }
  return 10;
}

std::string control_frame(Opcode opcode, std::string_view payload) {
  payload = payload.substr(0, kMaxControlPayload);
  std::array<std::uint8_t, kMaxServerHeader> header{};
  auto header_size = write_server_header(header, opcode, payload.size());
  std::string frame(reinterpret_cast<const char*>(header.data()), header_size);
  frame.append(payload);
  return frame;
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xFF));
  payload.append(reason.substr(0, utf8_prefix(reason, kMaxCloseReason)));
  return payload;
}

std::optional<ClosePayload> parse_close_payload(std::string_view payload) {
  ClosePayload result;
  if (payload.empty()) {
    return result;
  }
  if (payload.size() == 1) {
    return std::nullopt;
  }
  result.code = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                           static_cast<std::uint8_t>(payload[1]));
  auto reason = payload.substr(2);
  if (!is_valid_close_code(result.code) || !core::is_valid_utf8(reason)) {
    return std::nullopt;
  }
  result.reason = std::string(reason);
  return result;
}

bool is_valid_close_code(std::uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

}  // namespace surplus::http::websocket_frame
