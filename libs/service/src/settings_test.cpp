#include <map>

#include <gtest/gtest.h>

#include <surplus/service/settings.hpp>

namespace surplus::service {
namespace {

using namespace std::chrono_literals;

core::EnvReader reader_with(std::map<std::string, std::string> values) {
  return core::EnvReader([values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end())
      return std::nullopt;
    return it->second;
  });
}

TEST(LoadSettingsTest, DefaultsNeedNoVariables) {
  auto settings = load_settings(reader_with({}), "orders", 4001);
  EXPECT_EQ(settings.server.port, 4001);
  EXPECT_EQ(settings.server.host, "127.0.0.1");
  EXPECT_EQ(settings.database_url, "sqlite://var/orders.db");
  EXPECT_EQ(settings.log_level, "info");
  EXPECT_EQ(settings.server.max_body_bytes, 1u << 20);
  EXPECT_EQ(settings.server.read_timeout, 30s);
  EXPECT_EQ(settings.server.service_name, "orders");
}

TEST(LoadSettingsTest, ReadsEveryVariable) {
  auto settings = load_settings(reader_with({{"HOST", "0.0.0.0"},
                                             {"PORT", "5001"},
                                             {"DATABASE_URL", "postgres://u@h/db"},
                                             {"DATABASE_POOL_SIZE", "4"},
                                             {"LOG_LEVEL", "debug"},
                                             {"HTTP_IO_THREADS", "2"},
                                             {"HTTP_WORKER_THREADS", "32"},
                                             {"HTTP_MAX_BODY_BYTES", "64KiB"},
                                             {"HTTP_MAX_HEADER_BYTES", "8KiB"},
                                             {"HTTP_READ_TIMEOUT", "5s"},
                                             {"HTTP_IDLE_TIMEOUT", "2m"},
                                             {"HTTP_MAX_CONNECTIONS", "100"},
                                             {"SHUTDOWN_GRACE", "500ms"}}),
                                "offers", 4002);
  EXPECT_EQ(settings.server.host, "0.0.0.0");
  EXPECT_EQ(settings.server.port, 5001);
  EXPECT_EQ(settings.database_url, "postgres://u@h/db");
  EXPECT_EQ(settings.database.pool_size, 4u);
  EXPECT_EQ(settings.log_level, "debug");
  EXPECT_EQ(settings.server.io_threads, 2);
  EXPECT_EQ(settings.server.worker_threads, 32);
  EXPECT_EQ(settings.server.max_body_bytes, 65536u);
  EXPECT_EQ(settings.server.max_header_bytes, 8192u);
  EXPECT_EQ(settings.server.read_timeout, 5s);
  EXPECT_EQ(settings.server.idle_timeout, 120s);
  EXPECT_EQ(settings.server.max_connections, 100u);
  EXPECT_EQ(settings.server.shutdown_grace, 500ms);
}

TEST(LoadSettingsTest, MalformedVariableIsNamed) {
  const std::map<std::string, std::string> bad_values{{"PORT", "http"},
                                                      {"DATABASE_POOL_SIZE", "0"},
                                                      {"HTTP_WORKER_THREADS", "many"},
                                                      {"HTTP_MAX_BODY_BYTES", "1MB"},
                                                      {"HTTP_READ_TIMEOUT", "30"},
                                                      {"SHUTDOWN_GRACE", "-1s"}};
  for (const auto& [name, value] : bad_values) {
    try {
      load_settings(reader_with({{name, value}}), "orders", 4001);
      ADD_FAILURE() << name << "=" << value << " was accepted";
    } catch (const core::ConfigError& error) {
      EXPECT_EQ(error.variable(), name);
      EXPECT_NE(std::string(error.what()).find(value), std::string::npos) << error.what();
    }
  }
}

}  // namespace
}  // namespace surplus::service
