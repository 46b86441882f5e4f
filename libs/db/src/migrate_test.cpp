#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/db/migrate.hpp>
#include <surplus/db/testing.hpp>

namespace surplus::db {
std::vector<Migration> test_migrations();  // embedded from src/testdata/migrations
}

namespace surplus::db {
namespace {

class MigrateTest : public testing::DatabaseTest {
 protected:
  std::vector<int> recorded_versions() {
    std::vector<int> versions;
    for (const Row& row : db().execute("SELECT version FROM schema_migrations ORDER BY version")) {
      versions.push_back(row.get<int>("version"));
    }
    return versions;
  }
};

TEST_P(MigrateTest, AppliesEachMigrationOnce) {
  std::vector<Migration> migrations = test_migrations();
  EXPECT_FALSE(migrations_applied(db(), migrations));

  EXPECT_EQ(migrate(db(), migrations), 3u);
  EXPECT_TRUE(migrations_applied(db(), migrations));
  EXPECT_EQ(recorded_versions(), (std::vector<int>{1, 2, 3}));

  Result names = db().execute("SELECT name, applied_at FROM schema_migrations ORDER BY version");
  EXPECT_EQ(names[0].get<std::string>("name"), "create_items");
  EXPECT_EQ(names[1].get<std::string>("name"), "add_events");
  EXPECT_FALSE(names[2].is_null("applied_at"));

  Result items = db().execute("SELECT name FROM items ORDER BY id");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].get<std::string>("name"), "bread; rye");
  EXPECT_EQ(items[1].get<std::string>("name"), "it's soup");
  db().execute("INSERT INTO events (item_id) VALUES ($1)", {1});

  EXPECT_EQ(migrate(db(), migrations), 0u);
  EXPECT_EQ(recorded_versions(), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(db().execute("SELECT COUNT(*) FROM items").one().get<int>(0), 2);
}

TEST_P(MigrateTest, AppliesOnlyNewMigrations) {
  std::vector<Migration> all = test_migrations();
  std::vector<Migration> first_two(all.begin(), all.begin() + 2);
  EXPECT_EQ(migrate(db(), first_two), 2u);
  EXPECT_TRUE(migrations_applied(db(), first_two));
  EXPECT_FALSE(migrations_applied(db(), all));

  EXPECT_EQ(migrate(db(), all), 1u);
  EXPECT_TRUE(migrations_applied(db(), all));
}

TEST_P(MigrateTest, ConcurrentMigratorsApplyOnce) {
  std::vector<Migration> migrations = test_migrations();
  auto first = Database::open(test_database().url());
  auto second = Database::open(test_database().url());
  std::atomic<std::size_t> applied{0};
  std::thread a([&] { applied += migrate(*first, migrations); });
  std::thread b([&] { applied += migrate(*second, migrations); });
  a.join();
  b.join();
  EXPECT_EQ(applied.load(), 3u);
  EXPECT_EQ(recorded_versions(), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(db().execute("SELECT COUNT(*) FROM items").one().get<int>(0), 2);
}

TEST_P(MigrateTest, RejectsGapsAndDuplicates) {
  std::vector<Migration> all = test_migrations();
  std::vector<Migration> gap = {all[0], all[2]};
  EXPECT_THROW(migrate(db(), gap), DatabaseError);
  std::vector<Migration> duplicate = {all[0], all[0]};
  EXPECT_THROW(migrate(db(), duplicate), DatabaseError);
  std::vector<Migration> unnamed = {all[0]};
  unnamed[0].name.clear();
  EXPECT_THROW(migrate(db(), unnamed), DatabaseError);
  std::vector<Migration> no_script = {Migration{1, "empty", "", "", ""}};
  EXPECT_THROW(migrate(db(), no_script), DatabaseError);
  // Nothing was created, not even schema_migrations.
  EXPECT_FALSE(migrations_applied(db(), {}));
}

TEST_P(MigrateTest, FailedMigrationLeavesNoTrace) {
  std::vector<Migration> migrations = test_migrations();
  migrations.resize(1);
  migrations.push_back(Migration{
      2, "broken", "CREATE TABLE half (x INTEGER); INSERT INTO no_such_table VALUES (1);", "", ""});
  EXPECT_THROW(migrate(db(), migrations), DatabaseError);
  EXPECT_EQ(recorded_versions(), (std::vector<int>{1}));
  EXPECT_THROW(db().execute("SELECT x FROM half"), DatabaseError);
  EXPECT_FALSE(migrations_applied(db(), migrations));
}

SURPLUS_DB_INSTANTIATE_ALL(MigrateTest);

}  // namespace
}  // namespace surplus::db
