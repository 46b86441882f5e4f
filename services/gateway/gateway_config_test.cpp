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

TEST(GatewayConfig, DocumentCacheDefaultsToOneMebibyte) {
  EXPECT_EQ(load({}).document_cache_bytes, std::size_t{1} << 20);
}

TEST(GatewayConfig, DocumentCacheReadsByteSize) {
  EXPECT_EQ(load({{"GRAPHQL_DOCUMENT_CACHE_BYTES", "64KiB"}}).document_cache_bytes, 65536u);
  EXPECT_EQ(load({{"GRAPHQL_DOCUMENT_CACHE_BYTES", "0"}}).document_cache_bytes, 0u);
}

TEST(GatewayConfig, DocumentCacheRejectsMalformed) {
  for (const char* text : {"lots", "-1", "1GiB", "10MB"}) {
    EXPECT_THROW(load({{"GRAPHQL_DOCUMENT_CACHE_BYTES", text}}), core::ConfigError) << text;
  }
}

}  // namespace
}  // namespace surplus::gateway
