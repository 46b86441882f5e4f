#include <surplus/db/database.hpp>

#include "connection.hpp"

namespace surplus::db {

class Database::Impl {};

Session::Session(detail::Connection& connection, Dialect dialect)
    : connection_(connection), dialect_(dialect) {}

Result Session::execute(std::string_view sql, const Params& params) {
  return connection_.execute(sql, params);
}

void Session::execute_script(std::string_view sql) {
  connection_.execute_script(sql);
}

std::unique_ptr<Database> Database::open(const std::string& /*url*/, const Options& /*options*/) {
  throw DatabaseError(core::ErrorCode::kUnavailable, "the database is unavailable",
                      "surplus::db is not implemented yet");
}

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

Dialect Database::dialect() const {
  return Dialect::kSqlite;
}

const std::string& Database::redacted_url() const {
  static const std::string kEmpty;
  return kEmpty;
}

Result Database::execute(std::string_view /*sql*/, const Params& /*params*/) {
  return {};
}

void Database::run_transaction(const std::function<void(Session&)>& /*body*/,
                               const TxOptions& /*options*/) {}

bool Database::ping() noexcept {
  return false;
}

void Database::check_ready() {}

PoolStats Database::pool_stats() const {
  return {};
}

}  // namespace surplus::db
