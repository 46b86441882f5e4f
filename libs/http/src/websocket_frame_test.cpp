#include "websocket_frame.hpp"

#include <vector>

#include <gtest/gtest.h>

#include <surplus/core/utf8.hpp>

namespace surplus::http::websocket_frame {
namespace {

const std::array<std::uint8_t, 4> kMask{0x37, 0xFA, 0x21, 0x3D};

// A masked client header: FIN and `opcode`, the length in its minimal form, kMask.
std::vector<std::uint8_t> client_header(std::uint8_t first_byte, std::uint64_t length) {
  std::vector<std::uint8_t> bytes{first_byte};
  if (length < 126) {
    bytes.push_back(static_cast<std::uint8_t>(0x80 | length));
  } else if (length <= 0xFFFF) {
    bytes.push_back(0x80 | 126);
    bytes.push_back(static_cast<std::uint8_t>(length >> 8));
    bytes.push_back(static_cast<std::uint8_t>(length));
  } else {
    bytes.push_back(0x80 | 127);
    for (int i = 7; i >= 0; --i) {
      bytes.push_back(static_cast<std::uint8_t>(length >> (8 * i)));
    }
  }
  bytes.insert(bytes.end(), kMask.begin(), kMask.end());
  return bytes;
}

std::optional<std::uint16_t> parse(const std::vector<std::uint8_t>& bytes,
                                   ClientFrameHeader& header) {
  return parse_client_header(bytes.data(), bytes.size(), header);
}

TEST(WebSocketFrame, HeaderSizeFollowsLengthForm) {
  EXPECT_EQ(client_header_size(0x80 | 5), 6u);
  EXPECT_EQ(client_header_size(0x80 | 126), 8u);
  EXPECT_EQ(client_header_size(0x80 | 127), 14u);
  EXPECT_EQ(client_header_size(5), 2u);  // unmasked
}

TEST(WebSocketFrame, ParsesMaskedTextHeader) {
  ClientFrameHeader header;
  EXPECT_EQ(parse(client_header(0x81, 5), header), std::nullopt);
  EXPECT_TRUE(header.fin);
  EXPECT_EQ(header.opcode, Opcode::kText);
  EXPECT_EQ(header.payload_size, 5u);
  EXPECT_EQ(header.mask, kMask);
}

TEST(WebSocketFrame, ParsesExtendedLengths) {
  ClientFrameHeader header;
  EXPECT_EQ(parse(client_header(0x02, 300), header), std::nullopt);
  EXPECT_FALSE(header.fin);
  EXPECT_EQ(header.opcode, Opcode::kBinary);
  EXPECT_EQ(header.payload_size, 300u);
  EXPECT_EQ(parse(client_header(0x80, 70000), header), std::nullopt);
  EXPECT_EQ(header.opcode, Opcode::kContinuation);
  EXPECT_EQ(header.payload_size, 70000u);
}

TEST(WebSocketFrame, RejectsFramingErrors) {
  ClientFrameHeader header;
  auto unmasked = client_header(0x81, 5);
  unmasked[1] &= 0x7F;
  EXPECT_EQ(parse(unmasked, header), kCloseProtocol);
  EXPECT_EQ(parse(client_header(0xC1, 5), header), kCloseProtocol);    // RSV1 set
  EXPECT_EQ(parse(client_header(0x83, 5), header), kCloseProtocol);    // reserved opcode
  EXPECT_EQ(parse(client_header(0x8B, 0), header), kCloseProtocol);    // reserved control
  EXPECT_EQ(parse(client_header(0x09, 0), header), kCloseProtocol);    // fragmented ping
  EXPECT_EQ(parse(client_header(0x89, 126), header), kCloseProtocol);  // ping above 125
}

TEST(WebSocketFrame, RejectsNonMinimalLengths) {
  ClientFrameHeader header;
  auto short_as_16_bit = client_header(0x81, 300);
  short_as_16_bit[2] = 0;
  short_as_16_bit[3] = 100;
  EXPECT_EQ(parse(short_as_16_bit, header), kCloseProtocol);

  auto top_bit_set = client_header(0x82, 70000);
  top_bit_set[2] = 0x80;
  EXPECT_EQ(parse(top_bit_set, header), kCloseProtocol);
}

TEST(WebSocketFrame, UnmasksInParts) {
  std::string text = "Hello";
  std::string masked = text;
  unmask(masked.data(), masked.size(), kMask, 0);
  EXPECT_NE(masked, text);
  unmask(masked.data(), 2, kMask, 0);
  unmask(masked.data() + 2, 3, kMask, 2);
  EXPECT_EQ(masked, text);
}

TEST(WebSocketFrame, WritesServerHeaders) {
  std::array<std::uint8_t, kMaxServerHeader> out{};
  EXPECT_EQ(write_server_header(out, Opcode::kText, 5), 2u);
  EXPECT_EQ(out[0], 0x81);
  EXPECT_EQ(out[1], 5);
  EXPECT_EQ(write_server_header(out, Opcode::kBinary, 300), 4u);
  EXPECT_EQ(out[0], 0x82);
  EXPECT_EQ(out[1], 126);
  EXPECT_EQ(out[2], 0x01);
  EXPECT_EQ(out[3], 0x2C);
  EXPECT_EQ(write_server_header(out, Opcode::kText, 70000), 10u);
  EXPECT_EQ(out[1], 127);
  EXPECT_EQ(out[7], 0x01);
  EXPECT_EQ(out[8], 0x11);
  EXPECT_EQ(out[9], 0x70);
}

TEST(WebSocketFrame, BuildsClosePayload) {
  auto payload = close_payload(1001, "going away");
  ASSERT_EQ(payload.size(), 12u);
  EXPECT_EQ(static_cast<std::uint8_t>(payload[0]), 0x03);
  EXPECT_EQ(static_cast<std::uint8_t>(payload[1]), 0xE9);
  EXPECT_EQ(payload.substr(2), "going away");
}

TEST(WebSocketFrame, CutsCloseReasonAtCharacterBoundary) {
  // 62 two-byte characters: the first 61 (122 bytes) fit in 123, the 62nd would not.
  std::string reason;
  for (int i = 0; i < 62; ++i) {
    reason += "\xC3\xA9";
  }
  auto payload = close_payload(1000, reason);
  EXPECT_EQ(payload.size(), 2u + 122u);
  EXPECT_TRUE(core::is_valid_utf8(payload.substr(2)));
}

TEST(WebSocketFrame, ParsesClosePayloads) {
  auto empty = parse_close_payload("");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->code, kCloseNoStatus);

  auto normal =
      parse_close_payload(std::string("\x03\xE8"
                                      "bye",
                                      5));
  ASSERT_TRUE(normal.has_value());
  EXPECT_EQ(normal->code, 1000);
  EXPECT_EQ(normal->reason, "bye");

  EXPECT_FALSE(parse_close_payload(std::string("\x03", 1)).has_value());
  EXPECT_FALSE(parse_close_payload(std::string("\x03\xED", 2)).has_value());  // 1005
  EXPECT_FALSE(parse_close_payload(std::string("\x03\xE8\xFF", 3)).has_value());
}

TEST(WebSocketFrame, ClassifiesCloseCodes) {
  for (std::uint16_t code : {1000, 1001, 1003, 1007, 1011, 1014, 3000, 4000, 4999}) {
    EXPECT_TRUE(is_valid_close_code(code)) << code;
  }
  for (std::uint16_t code : {0, 999, 1004, 1005, 1006, 1015, 2999, 5000}) {
    EXPECT_FALSE(is_valid_close_code(code)) << code;
  }
}

}  // namespace
}  // namespace surplus::http::websocket_frame
