#include "gateway_config.hpp"

#include <map>
#include <optional>
#include <string>
#include <utility>

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

TEST(GatewayConfig, DocumentCacheDefaultsTo16Mebibytes) {
  EXPECT_EQ(load({}).document_cache_bytes, std::size_t{16} << 20);
}

TEST(GatewayConfig, DocumentCacheReadsByteSize) {
  EXPECT_EQ(load({{"GRAPHQL_DOCUMENT_CACHE_BYTES", "64KiB"}}).document_cache_bytes, 65536u);
  EXPECT_EQ(load({{"GRAPHQL_DOCUMENT_CACHE_BYTES", "0"}}).document_cache_bytes, 0u);
}

TEST(GatewayConfig, DocumentCacheRejectsMalformed) {
  for (const char* text : {"lots", "-1", "2GiB", "10MB"}) {
    EXPECT_THROW(load({{"GRAPHQL_DOCUMENT_CACHE_BYTES", text}}), core::ConfigError) << text;
  }
}

// A value that parses but is out of range is named with its variable, like a malformed one.
TEST(GatewayConfig, RangeErrorNamesVariableAndValue) {
  const std::pair<const char*, const char*> cases[] = {
      {"GRAPHQL_DOCUMENT_CACHE_BYTES", "2GiB"},
      {"GRAPHQL_REQUEST_TIMEOUT", "0s"},
      {"GRAPHQL_WS_MAX_MESSAGE_BYTES", "100"},
      {"GRAPHQL_WS_INIT_TIMEOUT", "0s"},
  };
  for (const auto& [name, value] : cases) {
    try {
      load({{name, value}});
      ADD_FAILURE() << name << "=" << value << " was accepted";
    } catch (const core::ConfigError& error) {
      EXPECT_EQ(error.variable(), name);
      EXPECT_EQ(
          std::string(error.what()).rfind(std::string(name) + "='" + value + "' is invalid", 0), 0u)
          << error.what();
    }
  }
}

}  // namespace
}  // namespace surplus::gateway
