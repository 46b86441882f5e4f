#include "url.hpp"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include <surplus/core/config.hpp>
#include <surplus/db/database.hpp>

namespace surplus::db {
namespace {

using detail::parse_database_url;

TEST(DatabaseUrlTest, ParsesSqliteForms) {
  auto absolute = parse_database_url("sqlite:///var/lib/surplus/orders.db");
  EXPECT_EQ(absolute.dialect, Dialect::kSqlite);
  EXPECT_EQ(absolute.sqlite_path, "/var/lib/surplus/orders.db");
  EXPECT_FALSE(absolute.memory);

  auto relative = parse_database_url("sqlite://var/orders.db");
  EXPECT_EQ(relative.sqlite_path, "var/orders.db");

  EXPECT_TRUE(parse_database_url("sqlite::memory:").memory);
  EXPECT_TRUE(parse_database_url("sqlite://:memory:").memory);
}

TEST(DatabaseUrlTest, ParsesPostgresForms) {
  for (const std::string url :
       {"postgres://app:pw@127.0.0.1:5432/orders", "postgresql://app@localhost/orders",
        "postgres:///orders?host=/run/postgresql", "postgresql://app:pw@[::1]:5433/orders"}) {
    auto parsed = parse_database_url(url);
    EXPECT_EQ(parsed.dialect, Dialect::kPostgres) << url;
    EXPECT_EQ(parsed.postgres_uri, url);
  }
}

TEST(DatabaseUrlTest, RejectsOtherFormsNamingVariable) {
  for (const std::string url :
       {"", "mysql://x/y", "orders.db", "sqlite://", "sqlite:orders.db", "sqlite://var/",
        "sqlite://x.db?mode=ro", "postgres://app:hunter2@host:notaport/db"}) {
    try {
      parse_database_url(url);
      ADD_FAILURE() << "accepted " << url;
    } catch (const core::ConfigError& error) {
      std::string message = error.what();
      EXPECT_EQ(error.variable(), "DATABASE_URL");
      EXPECT_NE(message.find("DATABASE_URL"), std::string::npos) << message;
      EXPECT_NE(message.find("sqlite::memory:"), std::string::npos) << message;
      EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    }
  }
}

TEST(DatabaseOpenTest, MemoryDatabaseKeepsDataAcrossCalls) {
  auto database = Database::open("sqlite::memory:");
  EXPECT_EQ(database->pool_stats().max_size, 1u);
  database->execute("CREATE TABLE t (x INTEGER)");
  database->transaction([](Session& session) { session.execute("INSERT INTO t VALUES (1)"); });
  EXPECT_EQ(database->execute("SELECT x FROM t").one().get<int>("x"), 1);
}

TEST(DatabaseOpenTest, CreatesFolderOfRelativeSqlitePath) {
  const std::filesystem::path folder = "surplus-db-open-test";
  std::filesystem::remove_all(folder);
  {
    auto database = Database::open("sqlite://surplus-db-open-test/nested/x.db");
    database->execute("CREATE TABLE t (x INTEGER)");
    EXPECT_EQ(database->execute("PRAGMA journal_mode").one().get<std::string>(0), "wal");
    EXPECT_EQ(database->execute("PRAGMA foreign_keys").one().get<int>(0), 1);
  }
  EXPECT_TRUE(std::filesystem::exists(folder / "nested" / "x.db"));
  std::filesystem::remove_all(folder);
}

TEST(DatabaseOpenTest, UnreachablePostgresIsUnavailable) {
  Options options;
  options.connect_timeout = std::chrono::seconds(2);
  try {
    // Port 1 on loopback is closed, so the connection is refused at once.
    Database::open("postgres://app:hunter2@127.0.0.1:1/orders", options);
    FAIL() << "open must fail";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kUnavailable);
    EXPECT_EQ(error.detail().find("hunter2"), std::string::npos) << error.detail();
  }
}

}  // namespace
}  // namespace surplus::db
