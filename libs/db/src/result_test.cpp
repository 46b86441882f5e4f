#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/db/error.hpp>
#include <surplus/db/migrate.hpp>
#include <surplus/db/result.hpp>

namespace surplus::db {
std::vector<Migration> test_migrations();  // embedded from src/testdata/migrations
}

namespace surplus::db {
namespace {

Row make_row() {
  auto columns = std::make_shared<const std::vector<std::string>>(
      std::vector<std::string>{"id", "name", "price", "flag", "missing", "data"});
  return Row(columns,
             {std::int64_t{7}, std::string("rye"), 2.5, true, nullptr, Blob{{0x00, 0xff}}});
}

TEST(RowTest, GetsEachTypeByIndexAndName) {
  Row row = make_row();
  EXPECT_EQ(row.get<std::int64_t>(0), 7);
  EXPECT_EQ(row.get<int>("id"), 7);
  EXPECT_EQ(row.get<std::string>("name"), "rye");
  EXPECT_DOUBLE_EQ(row.get<double>("price"), 2.5);
  EXPECT_TRUE(row.get<bool>("flag"));
  EXPECT_EQ(row.get<Blob>("data"), (Blob{{0x00, 0xff}}));
  EXPECT_TRUE(row.is_null("missing"));
  EXPECT_FALSE(row.is_null(0));
}

TEST(RowTest, OptionalIsEmptyForNull) {
  Row row = make_row();
  EXPECT_EQ(row.get<std::optional<std::string>>("missing"), std::nullopt);
  EXPECT_EQ(row.get<std::optional<std::int64_t>>("id"), std::optional<std::int64_t>(7));
}

TEST(RowTest, IntegerConvertsToDoubleAndBool) {
  auto columns = std::make_shared<const std::vector<std::string>>(
      std::vector<std::string>{"zero", "one", "two"});
  Row row(columns, {std::int64_t{0}, std::int64_t{1}, std::int64_t{2}});
  EXPECT_FALSE(row.get<bool>("zero"));
  EXPECT_TRUE(row.get<bool>("one"));
  EXPECT_DOUBLE_EQ(row.get<double>("two"), 2.0);
  EXPECT_THROW(row.get<bool>("two"), DatabaseError);
}

TEST(RowTest, MismatchNamesColumnAndTypes) {
  Row row = make_row();
  try {
    row.get<std::int64_t>("name");
    FAIL() << "reading text as an integer must throw";
  } catch (const DatabaseError& error) {
    EXPECT_NE(error.detail().find("\"name\""), std::string::npos) << error.detail();
    EXPECT_NE(error.detail().find("text"), std::string::npos) << error.detail();
  }
  EXPECT_THROW(row.get<std::string>("missing"), DatabaseError);
  EXPECT_THROW(row.get<double>("name"), DatabaseError);
  EXPECT_THROW(row.get<std::string>("nope"), DatabaseError);
  EXPECT_THROW(row.get<std::string>(99), DatabaseError);
}

TEST(RowTest, NarrowIntegerOutOfRangeThrows) {
  auto columns = std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"big"});
  Row row(columns, {std::int64_t{1} << 40});
  EXPECT_THROW(row.get<std::int32_t>("big"), DatabaseError);
  EXPECT_THROW(row.get<std::uint8_t>("big"), DatabaseError);
  EXPECT_EQ(row.get<std::uint64_t>("big"), std::uint64_t{1} << 40);
}

TEST(ResultTest, OneRequiresExactlyOneRow) {
  Result none;
  EXPECT_TRUE(none.empty());
  EXPECT_THROW(none.one(), DatabaseError);
  EXPECT_EQ(none.maybe_one(), std::nullopt);

  auto columns = std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"n"});
  Result single(columns, {Row(columns, {std::int64_t{1}})}, 0);
  EXPECT_EQ(single.one().get<int>("n"), 1);
  ASSERT_TRUE(single.maybe_one().has_value());

  Result two(columns, {Row(columns, {std::int64_t{1}}), Row(columns, {std::int64_t{2}})}, 0);
  EXPECT_THROW(two.one(), DatabaseError);
  EXPECT_THROW(two.maybe_one(), DatabaseError);
  EXPECT_EQ(two.columns(), std::vector<std::string>{"n"});
}

TEST(ValueTest, NullableMapsEmptyToNull) {
  EXPECT_EQ(nullable(std::optional<std::string>()), Value(nullptr));
  EXPECT_EQ(nullable(std::optional<std::int64_t>(4)), Value(std::int64_t{4}));
}

TEST(EmbeddedMigrationsTest, FilesBecomeMigrationsInOrder) {
  std::vector<Migration> migrations = test_migrations();
  ASSERT_EQ(migrations.size(), 3u);
  EXPECT_EQ(migrations[0].version, 1);
  EXPECT_EQ(migrations[0].name, "create_items");
  EXPECT_NE(migrations[0].sql.find("CREATE TABLE items"), std::string::npos);
  EXPECT_TRUE(migrations[0].sqlite_sql.empty());
  EXPECT_EQ(migrations[1].version, 2);
  EXPECT_EQ(migrations[1].name, "add_events");
  EXPECT_TRUE(migrations[1].sql.empty());
  EXPECT_NE(migrations[1].sqlite_sql.find("AUTOINCREMENT"), std::string::npos);
  EXPECT_NE(migrations[1].postgres_sql.find("BIGSERIAL"), std::string::npos);
  EXPECT_EQ(&migrations[1].script_for(Dialect::kPostgres), &migrations[1].postgres_sql);
  EXPECT_EQ(migrations[2].version, 3);
  EXPECT_NE(migrations[2].sql.find("'it''s soup'"), std::string::npos);
}

}  // namespace
}  // namespace surplus::db
