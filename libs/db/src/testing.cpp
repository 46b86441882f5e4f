#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include <surplus/db/error.hpp>
#include <surplus/db/testing.hpp>

namespace surplus::db::testing {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string random_suffix() {
  std::random_device device;
  std::uniform_int_distribution<std::uint64_t> distribution;
  return fmt::format("{:016x}", distribution(device));
}

// Replaces the database name (the URL path) of a postgres:// URL.
std::string with_database_name(const std::string& url, const std::string& name) {
  auto authority = url.find("://");
  if (authority == std::string::npos) {
    throw std::runtime_error("TEST_DATABASE_URL is not a postgres:// URL");
  }
  auto path = url.find_first_of("/?", authority + 3);
  if (path == std::string::npos) {
    return url + "/" + name;
  }
  auto query = url.find('?', path);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return url.substr(0, path) + "/" + name + rest;
}

std::unique_ptr<Database> open_admin_database() {
  Options options;
  options.pool_size = 1;
  return Database::open(environment("TEST_DATABASE_URL"), options);
}

// Drops a test database, retrying a few times: a DROP that races with another test's
// CREATE or DROP DATABASE on the same cluster can fail once and succeed a moment later. A
// database left behind costs nothing, because scripts/with-test-postgres removes the whole
// cluster, so the last failure is reported on stderr and does not fail the test that ran
// on it.
void drop_postgres_database(const std::string& name) noexcept {
  constexpr int kAttempts = 5;
  std::string last_failure;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    try {
      // FORCE ends connections that a test left open, such as a second pool.
      open_admin_database()->execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      return;
    } catch (const DatabaseError& error) {
      last_failure = error.detail();
    } catch (const std::exception& error) {
      last_failure = error.what();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100 * attempt));
  }
  std::cerr << "warning: test database " << name << " was left behind after " << kAttempts
            << " attempts to drop it: " << last_failure << "\n";
}

}  // namespace

std::string backend_name(Backend backend) {
  return backend == Backend::kSqlite ? "Sqlite" : "Postgres";
}

std::vector<Backend> all_backends() {
  return {Backend::kSqlite, Backend::kPostgres};
}

void PrintTo(Backend backend, std::ostream* stream) {
  *stream << backend_name(backend);
}

std::string backend_test_name(const ::testing::TestParamInfo<Backend>& info) {
  return backend_name(info.param);
}

bool postgres_available() {
  return !environment("TEST_DATABASE_URL").empty();
}

bool postgres_required() {
  return environment("SURPLUS_REQUIRE_POSTGRES") == "1";
}

TestDatabase::TestDatabase(Backend backend, const Options& options) : backend_(backend) {
  if (backend == Backend::kSqlite) {
    std::filesystem::path folder =
        std::filesystem::temp_directory_path() / ("surplus-db-test-" + random_suffix());
    std::filesystem::create_directories(folder);
    cleanup_ = folder.string();
    url_ = "sqlite://" + (folder / "test.db").string();
  } else {
    if (!postgres_available()) {
      throw std::runtime_error(
          "TEST_DATABASE_URL is unset; run the tests under scripts/with-test-postgres");
    }
    // The name is generated here, so building the statement from it is safe.
    cleanup_ = "surplus_test_" + random_suffix();
    open_admin_database()->execute("CREATE DATABASE " + cleanup_);
    url_ = with_database_name(environment("TEST_DATABASE_URL"), cleanup_);
  }

  try {
    database_ = Database::open(url_, options);
  } catch (...) {
    remove_database();
    throw;
  }
}

TestDatabase::~TestDatabase() {
  remove_database();
}

void TestDatabase::remove_database() noexcept {
  database_.reset();
  if (cleanup_.empty()) {
    return;
  }
  if (backend_ == Backend::kSqlite) {
    std::error_code ignored;
    std::filesystem::remove_all(cleanup_, ignored);
  } else {
    drop_postgres_database(cleanup_);
  }
  cleanup_.clear();
}

void DatabaseTest::SetUp() {
  if (GetParam() == Backend::kPostgres && !postgres_available()) {
    if (postgres_required()) {
      FAIL() << "SURPLUS_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is unset; run the tests "
                "under scripts/with-test-postgres";
    }
    GTEST_SKIP() << "TEST_DATABASE_URL is unset; run under scripts/with-test-postgres to "
                    "test PostgreSQL";
  }
  test_database_ = std::make_unique<TestDatabase>(GetParam(), database_options());
}

void DatabaseTest::TearDown() {
  test_database_.reset();
}

}  // namespace surplus::db::testing
