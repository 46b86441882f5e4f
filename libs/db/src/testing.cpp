#include <cstdlib>
#include <stdexcept>

#include <surplus/db/testing.hpp>

namespace surplus::db::testing {

std::string backend_name(Backend backend) {
  return backend == Backend::kSqlite ? "Sqlite" : "Postgres";
}

std::vector<Backend> all_backends() {
  return {Backend::kSqlite, Backend::kPostgres};
}

std::string backend_test_name(const ::testing::TestParamInfo<Backend>& info) {
  return backend_name(info.param);
}

TestDatabase::TestDatabase(Backend backend, const Options& /*options*/) : backend_(backend) {
  throw std::runtime_error("surplus::db::testing is not implemented yet");
}

TestDatabase::~TestDatabase() = default;

bool postgres_available() {
  const char* url = std::getenv("TEST_DATABASE_URL");
  return url != nullptr && *url != '\0';
}

bool postgres_required() {
  const char* required = std::getenv("SURPLUS_REQUIRE_POSTGRES");
  return required != nullptr && std::string(required) == "1";
}

void DatabaseTest::SetUp() {
  test_database_ = std::make_unique<TestDatabase>(GetParam(), database_options());
}

void DatabaseTest::TearDown() {
  test_database_.reset();
}

}  // namespace surplus::db::testing
