#include "gateway_config.hpp"

#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace surplus::gateway {
namespace {

GatewayConfig load(const std::map<std::string, std::string>& variables) {
  return load_gateway_config(
      core::EnvReader([variables](const std::string& name) -> std::optional<std::string> {
        const auto found = variables.find(name);
        if (found == variables.end()) {
          return std::nullopt;
        }
        return found->second;
      }));
}

TEST(GatewayConfig, ReconnectTimeoutDefaultsTo30Seconds) {
  EXPECT_EQ(load({}).notifications_reconnect_timeout, std::chrono::seconds(30));
}

TEST(GatewayConfig, ReconnectTimeoutReadsDuration) {
  EXPECT_EQ(load({{"NOTIFICATIONS_RECONNECT_TIMEOUT", "1500ms"}}).notifications_reconnect_timeout,
            std::chrono::milliseconds(1500));
  EXPECT_EQ(load({{"NOTIFICATIONS_RECONNECT_TIMEOUT", "0s"}}).notifications_reconnect_timeout,
            std::chrono::milliseconds(0));
}

TEST(GatewayConfig, ReconnectTimeoutRejectsMalformed) {
  for (const char* text : {"thirty", "-1s", "30"}) {
    EXPECT_THROW(load({{"NOTIFICATIONS_RECONNECT_TIMEOUT", text}}), core::ConfigError) << text;
  }
}

}  // namespace
}  // namespace surplus::gateway
