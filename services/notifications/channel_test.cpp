#include "channel.hpp"

#include <gtest/gtest.h>

#include "notifications_config.hpp"

namespace surplus::notifications {
namespace {

TEST(ParseChannel, AcceptsEveryForm) {
  struct Case {
    const char* name;
    ChannelKind kind;
    const char* id;
  };
  for (const auto& [name, kind, id] : std::vector<Case>{
           {"offers", ChannelKind::kOffers, ""},
           {"restaurant:r-1:offers", ChannelKind::kRestaurantOffers, "r-1"},
           {"restaurant:r_1", ChannelKind::kRestaurant, "r_1"},
           {"user:0193a0c0-0000-7000-8000-00000000000a", ChannelKind::kUser,
            "0193a0c0-0000-7000-8000-00000000000a"},
           {"courier:K9", ChannelKind::kCourier, "K9"},
           {"order:o1", ChannelKind::kOrder, "o1"},
       }) {
    auto channel = parse_channel(name);
    ASSERT_TRUE(channel.has_value()) << name;
    EXPECT_EQ(channel->kind, kind) << name;
    EXPECT_EQ(channel->id, id) << name;
  }
}

TEST(ParseChannel, RejectsMalformedNames) {
  for (const auto* name :
       {"", "offer", "offers:x", "user:", "user:a b", "user:a:b", "order:é", "restaurant::offers",
        "restaurant:r1:offer", "courier:k1/2", "orders:1", "USER:1"}) {
    EXPECT_FALSE(parse_channel(name).has_value()) << name;
  }
  EXPECT_TRUE(parse_channel("user:" + std::string(kMaxChannelIdBytes, 'a')).has_value());
  EXPECT_FALSE(parse_channel("user:" + std::string(kMaxChannelIdBytes + 1, 'a')).has_value());
}

TEST(ParseChannel, OnlyOffersChannelsArePublic) {
  EXPECT_TRUE(parse_channel("offers")->is_public());
  EXPECT_TRUE(parse_channel("restaurant:r1:offers")->is_public());
  EXPECT_FALSE(parse_channel("restaurant:r1")->is_public());
  EXPECT_FALSE(parse_channel("user:u1")->is_public());
}

core::EnvReader env(std::map<std::string, std::string> values) {
  return core::EnvReader([values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional(it->second);
  });
}

TEST(NotificationsConfig, DefaultsAreConsistent) {
  auto config = NotificationsConfig::from_env(env({}));
  EXPECT_EQ(config.history_size, 500u);
  EXPECT_EQ(config.max_connections, 9000u);
  EXPECT_EQ(config.websocket.max_message_bytes, 16u * 1024);
  EXPECT_LT(config.history_size, config.websocket.max_queue_messages);
  EXPECT_EQ(config.websocket.idle_timeout.count(), 0);
}

TEST(NotificationsConfig, RejectsBadValuesNamingTheVariable) {
  struct Case {
    std::map<std::string, std::string> values;
    const char* variable;
  };
  for (const auto& [values, variable] : std::vector<Case>{
           {{{"HISTORY_SIZE", "0"}}, "HISTORY_SIZE"},
           {{{"HISTORY_SIZE", "2000"}}, "HISTORY_SIZE"},  // not below the queue's 1024
           {{{"EVENT_DEDUP_WINDOW", "1h"}}, "EVENT_DEDUP_WINDOW"},
           {{{"WS_PING_INTERVAL", "0s"}}, "WS_PING_INTERVAL"},
           {{{"WS_MAX_MESSAGE_BYTES", "10"}}, "WS_MAX_MESSAGE_BYTES"},
           {{{"WS_MAX_CHANNELS", "many"}}, "WS_MAX_CHANNELS"},
           {{{"INGEST_MAX_BATCH", "0"}}, "INGEST_MAX_BATCH"},
       }) {
    try {
      NotificationsConfig::from_env(env(values));
      ADD_FAILURE() << "accepted " << values.begin()->first << "=" << values.begin()->second;
    } catch (const core::ConfigError& error) {
      EXPECT_EQ(error.variable(), variable);
    }
  }
}

TEST(NotificationsConfig, OrdersUrlOffDisablesOrderLookups) {
  EXPECT_EQ(NotificationsConfig::from_env(env({{"ORDERS_URL", "off"}})).orders_url, "");
  EXPECT_EQ(NotificationsConfig::from_env(env({})).orders_url, "http://127.0.0.1:4001");
}

}  // namespace
}  // namespace surplus::notifications
