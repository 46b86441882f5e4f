#pragma once

// Test support for code that uses surplus::db: a fresh, isolated database per test on
// SQLite or PostgreSQL. Link surplus::db_testing (test targets only).
//
// PostgreSQL tests take the server from TEST_DATABASE_URL, e.g. as exported by
// scripts/with-test-postgres; its role must have CREATEDB. Without that variable the
// PostgreSQL cases are skipped, unless SURPLUS_REQUIRE_POSTGRES=1, in which case they
// fail.
//
//   class OrdersStoreTest : public surplus::db::testing::DatabaseTest {};
//   TEST_P(OrdersStoreTest, InsertsOrder) { db().execute(...); }
//   SURPLUS_DB_INSTANTIATE_ALL(OrdersStoreTest);   // names end in /Sqlite and /Postgres

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <surplus/db/database.hpp>

namespace surplus::db::testing {

enum class Backend { kSqlite, kPostgres };

// "Sqlite" or "Postgres": the suffix of parameterised test names.
std::string backend_name(Backend backend);
std::vector<Backend> all_backends();
std::string backend_test_name(const ::testing::TestParamInfo<Backend>& info);
void PrintTo(Backend backend, std::ostream* stream);  // for gtest messages

// A database that exists only for the lifetime of this object: a SQLite file in a fresh
// temporary folder, or a PostgreSQL database created on the TEST_DATABASE_URL server
// with a random name. The destructor removes the folder or drops the database.
class TestDatabase {
 public:
  // Throws std::runtime_error when PostgreSQL is requested and TEST_DATABASE_URL is
  // unset or the server cannot create the database.
  explicit TestDatabase(Backend backend, const Options& options = {});
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Backend backend() const { return backend_; }
  // A URL for Database::open that reaches this database, for a second pool or process.
  const std::string& url() const { return url_; }
  Database& database() { return *database_; }

 private:
  void remove_database() noexcept;

  Backend backend_;
  std::string url_;
  std::string cleanup_;  // the folder (SQLite) or database name (PostgreSQL) to remove
  std::unique_ptr<Database> database_;
};

// True when TEST_DATABASE_URL is set and not empty.
bool postgres_available();
// True when SURPLUS_REQUIRE_POSTGRES=1, so missing PostgreSQL is a failure.
bool postgres_required();

// A value-parameterised fixture whose SetUp creates a TestDatabase for the backend
// parameter, skipping or failing the PostgreSQL case as described above.
class DatabaseTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Options for the database SetUp opens; override to change the pool.
  virtual Options database_options() const { return {}; }

  Database& db() { return test_database_->database(); }
  TestDatabase& test_database() { return *test_database_; }
  Dialect dialect() { return db().dialect(); }

 private:
  std::unique_ptr<TestDatabase> test_database_;
};

}  // namespace surplus::db::testing

// Instantiates a DatabaseTest subclass for both backends, named .../Sqlite and
// .../Postgres.
#define SURPLUS_DB_INSTANTIATE_ALL(fixture)                                             \
  INSTANTIATE_TEST_SUITE_P(Backends, fixture,                                           \
                           ::testing::ValuesIn(::surplus::db::testing::all_backends()), \
                           ::surplus::db::testing::backend_test_name)
