#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.hpp"

namespace surplus::tool {
namespace {

// A temporary bin dir with shell scripts standing in for service binaries, so the
// --migrate and --seed contract can be checked without the real services.
class MaintenanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "surplus-maint-XXXXXX").string();
    root_ = ::mkdtemp(pattern.data());
    std::filesystem::create_directories(root_ / "bin");
    layout_.var_dir = root_ / "var";
    layout_.bin_dir = root_ / "bin";
    layout_.tool_dir = root_;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void write_service(const std::string& name, const std::string& body) {
    auto path = root_ / "bin" / ("surplus-" + name);
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    ::chmod(path.c_str(), 0755);
  }

  std::string read_var_file(const std::string& name) {
    std::ifstream in(layout_.var_dir / name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::filesystem::path root_;
  Layout layout_;
};

TEST_F(MaintenanceTest, MigrateRunsEachServiceWithDatabase) {
  for (const char* name : {"orders", "offers", "notifications"}) {
    write_service(name, "[ \"$1\" = --migrate ] && echo \"$DATABASE_URL\" > \"" +
                            (root_ / name).string() + ".migrated\"");
  }

  EXPECT_EQ(run_migrate(layout_, select_services("")), 0);

  for (const char* name : {"orders", "offers", "notifications"}) {
    std::ifstream in(root_ / (std::string(name) + ".migrated"));
    std::string url;
    std::getline(in, url);
    EXPECT_EQ(url, "sqlite://" + (layout_.var_dir / name).string() + ".db");
  }
  EXPECT_TRUE(std::filesystem::is_directory(layout_.var_dir));
}

TEST_F(MaintenanceTest, MigrateFailureNamesServiceAndStatus) {
  write_service("orders", "exit 3");
  try {
    run_migrate(layout_, select_services("orders"));
    FAIL() << "expected ToolError";
  } catch (const ToolError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("surplus-orders --migrate exited with status 3"), std::string::npos)
        << message;
  }
}

TEST_F(MaintenanceTest, SeedStoresPrintedAccounts) {
  write_service("orders",
                "[ \"$1\" = --seed ] || exit 2\n"
                "echo 'seeding' >&2\n"
                "echo '{\"accounts\": [{\"email\": \"ada@example.com\", \"password\": \"pw-1\", "
                "\"role\": \"CUSTOMER\"}]}'");

  write_service("offers", "[ \"$1\" = --seed ] || exit 2");
  // notifications is not built: seeding skips it.

  testing::internal::CaptureStdout();
  EXPECT_EQ(run_seed(layout_, select_services("")), 0);
  const std::string printed = testing::internal::GetCapturedStdout();
  EXPECT_NE(printed.find("orders: demo data loaded, 1 demo account\n"), std::string::npos)
      << printed;
  EXPECT_NE(printed.find("offers: demo data loaded\n"), std::string::npos) << printed;
  // The accounts themselves appear once, when `surplus up` has the services running.
  EXPECT_EQ(printed.find("pw-1"), std::string::npos) << printed;

  auto stored = nlohmann::json::parse(read_var_file("demo-accounts.json"));
  ASSERT_TRUE(stored["accounts"].is_array());
  ASSERT_EQ(stored["accounts"].size(), 1u);
  EXPECT_EQ(stored["accounts"][0]["email"], "ada@example.com");
  EXPECT_EQ(stored["accounts"][0]["password"], "pw-1");
  EXPECT_EQ(stored["accounts"][0]["role"], "CUSTOMER");
  EXPECT_EQ(stored["accounts"][0]["service"], "orders");
}

TEST_F(MaintenanceTest, SeedWithoutAccountsClearsOldOnes) {
  std::filesystem::create_directories(layout_.var_dir);
  std::ofstream(layout_.var_dir / "demo-accounts.json")
      << R"({"accounts": [{"email": "old@example.com", "password": "x"}]})";
  write_service("orders", "echo 'no demo data' >&2");

  EXPECT_EQ(run_seed(layout_, select_services("")), 0);

  auto stored = nlohmann::json::parse(read_var_file("demo-accounts.json"));
  EXPECT_EQ(stored["accounts"], nlohmann::json::array());
}

TEST_F(MaintenanceTest, SeedFailureNamesServiceAndStatus) {
  write_service("offers", "exit 4");
  try {
    run_seed(layout_, select_services("offers"));
    FAIL() << "expected ToolError";
  } catch (const ToolError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("surplus-offers --seed exited with status 4"), std::string::npos)
        << message;
  }
}

TEST_F(MaintenanceTest, SeedRejectsOutputThatIsNotJson) {
  write_service("orders", "echo 'loaded 3 stores'");
  try {
    run_seed(layout_, {find_service("orders")});
    FAIL() << "expected ToolError";
  } catch (const ToolError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("surplus-orders --seed printed invalid output"), std::string::npos)
        << message;
    EXPECT_NE(message.find("loaded 3 stores"), std::string::npos) << message;
  }
}

TEST_F(MaintenanceTest, SeedRejectsAccountWithoutPassword) {
  write_service("orders", R"(echo '{"accounts": [{"email": "ada@example.com"}]}')");
  EXPECT_THROW(run_seed(layout_, {find_service("orders")}), ToolError);
}

}  // namespace
}  // namespace surplus::tool
