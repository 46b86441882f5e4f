#include "notifications_link.hpp"

#include <gtest/gtest.h>

#include <surplus/core/config.hpp>

namespace surplus::gateway {
namespace {

TEST(WebSocketUrl, ParsesHostPortAndPath) {
  const WebSocketUrl url = WebSocketUrl::parse("ws://127.0.0.1:4003/ws");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, "4003");
  EXPECT_EQ(url.path, "/ws");
}

TEST(WebSocketUrl, DefaultsPortAndPath) {
  const WebSocketUrl url = WebSocketUrl::parse("ws://notifications");
  EXPECT_EQ(url.host, "notifications");
  EXPECT_EQ(url.port, "80");
  EXPECT_EQ(url.path, "/");
}

TEST(WebSocketUrl, RejectsOtherForms) {
  for (const char* text : {"http://127.0.0.1:4003/ws", "wss://127.0.0.1/ws", "ws://",
                           "ws://:4003/ws", "ws://host:/ws", "127.0.0.1:4003"}) {
    EXPECT_THROW(WebSocketUrl::parse(text), core::ConfigError) << text;
  }
}

}  // namespace
}  // namespace surplus::gateway
