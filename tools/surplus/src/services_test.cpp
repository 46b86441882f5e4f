#include "services.hpp"

#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace surplus::tool {
namespace {

std::optional<std::string> lookup(const std::vector<std::string>& env, const std::string& name) {
  std::string prefix = name + "=";
  auto it = std::find_if(env.begin(), env.end(),
                         [&](const std::string& entry) { return entry.starts_with(prefix); });
  if (it == env.end()) {
    return std::nullopt;
  }
  return it->substr(prefix.size());
}

Layout test_layout() {
  Layout layout;
  layout.var_dir = "/srv/surplus/var";
  layout.tool_dir = "/opt/build/tools/surplus";
  layout.base_port = 14000;
  return layout;
}

TEST(ServicesTest, SelectsAllByDefaultInPortOrder) {
  auto services = select_services("");
  ASSERT_EQ(services.size(), 4u);
  EXPECT_EQ(services[0].name, "gateway");
  EXPECT_EQ(services[1].name, "orders");
  EXPECT_EQ(services[2].name, "offers");
  EXPECT_EQ(services[3].name, "notifications");
}

TEST(ServicesTest, SelectsSubsetWithoutDuplicates) {
  auto services = select_services("notifications,orders,orders");
  ASSERT_EQ(services.size(), 2u);
  EXPECT_EQ(services[0].name, "orders");
  EXPECT_EQ(services[1].name, "notifications");
}

TEST(ServicesTest, UnknownServiceNamesTheValue) {
  try {
    select_services("orders,billing");
    FAIL() << "expected ToolError";
  } catch (const ToolError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("'billing'"), std::string::npos) << message;
    EXPECT_NE(message.find("gateway, orders, offers, notifications"), std::string::npos) << message;
  }
  EXPECT_THROW(select_services("orders,"), ToolError);
}

TEST(ServicesTest, EnvironmentSetsPortDatabaseAndPeers) {
  auto layout = test_layout();
  auto env = service_environment(find_service("offers"), layout,
                                 {"PORT=1", "LOG_LEVEL=debug", "DATABASE_URL=postgres://shared"});

  EXPECT_EQ(lookup(env, "PORT"), "14002");
  EXPECT_EQ(lookup(env, "DATABASE_URL"), "sqlite:///srv/surplus/var/offers.db");
  EXPECT_EQ(lookup(env, "LOG_LEVEL"), "debug");
  EXPECT_EQ(lookup(env, "GATEWAY_URL"), "http://127.0.0.1:14000");
  EXPECT_EQ(lookup(env, "ORDERS_URL"), "http://127.0.0.1:14001");
  EXPECT_EQ(lookup(env, "OFFERS_URL"), "http://127.0.0.1:14002");
  EXPECT_EQ(lookup(env, "NOTIFICATIONS_URL"), "http://127.0.0.1:14003");
  EXPECT_EQ(lookup(env, "NOTIFICATIONS_WS_URL"), "ws://127.0.0.1:14003/ws");
  EXPECT_EQ(std::count_if(env.begin(), env.end(),
                          [](const std::string& e) { return e.starts_with("PORT="); }),
            1);
}

TEST(ServicesTest, PerServiceDatabaseOverride) {
  auto env = service_environment(find_service("orders"), test_layout(),
                                 {"SURPLUS_ORDERS_DATABASE_URL=postgres://u@127.0.0.1/orders"});
  EXPECT_EQ(lookup(env, "DATABASE_URL"), "postgres://u@127.0.0.1/orders");

  auto other = service_environment(find_service("offers"), test_layout(),
                                   {"SURPLUS_ORDERS_DATABASE_URL=postgres://u@127.0.0.1/orders"});
  EXPECT_EQ(lookup(other, "DATABASE_URL"), "sqlite:///srv/surplus/var/offers.db");
}

TEST(ServicesTest, GatewayGetsNoDatabase) {
  auto env = service_environment(find_service("gateway"), test_layout(),
                                 {"DATABASE_URL=sqlite:///tmp/x.db"});
  EXPECT_EQ(lookup(env, "PORT"), "14000");
  EXPECT_FALSE(lookup(env, "DATABASE_URL").has_value());
}

class BinaryLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "surplus-bin-XXXXXX").string();
    root_ = ::mkdtemp(pattern.data());
    std::filesystem::create_directories(root_ / "tools" / "surplus");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::filesystem::path make_executable(const std::filesystem::path& relative) {
    auto path = root_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << "#!/bin/sh\n";
    ::chmod(path.c_str(), 0755);
    return path;
  }

  Layout layout() const {
    Layout result;
    result.var_dir = root_ / "var";
    result.tool_dir = root_ / "tools" / "surplus";
    return result;
  }

  std::filesystem::path root_;
};

TEST_F(BinaryLookupTest, FindsBinaryInBuildTree) {
  auto expected = make_executable("services/orders/surplus-orders");
  EXPECT_EQ(find_service_binary(find_service("orders"), layout()), expected);
}

TEST_F(BinaryLookupTest, PrefersBinaryNextToTool) {
  make_executable("services/orders/surplus-orders");
  auto expected = make_executable("tools/surplus/surplus-orders");
  EXPECT_EQ(find_service_binary(find_service("orders"), layout()), expected);
}

TEST_F(BinaryLookupTest, BinDirIsTheOnlyPlaceLooked) {
  make_executable("services/orders/surplus-orders");
  auto with_bin_dir = layout();
  with_bin_dir.bin_dir = root_ / "bin";
  std::filesystem::create_directories(*with_bin_dir.bin_dir);
  EXPECT_THROW(find_service_binary(find_service("orders"), with_bin_dir), ToolError);

  auto expected = make_executable("bin/surplus-orders");
  EXPECT_EQ(find_service_binary(find_service("orders"), with_bin_dir), expected);
}

TEST_F(BinaryLookupTest, MissingBinaryListsPathsTried) {
  std::ofstream(root_ / "tools" / "surplus" / "surplus-offers") << "not executable";
  try {
    find_service_binary(find_service("offers"), layout());
    FAIL() << "expected ToolError";
  } catch (const ToolError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find((root_ / "services/offers/surplus-offers").string()), std::string::npos)
        << message;
    EXPECT_NE(message.find("SURPLUS_BIN_DIR"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace surplus::tool
