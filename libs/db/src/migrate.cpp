#include <surplus/db/migrate.hpp>

namespace surplus::db {

const std::string& Migration::script_for(Dialect dialect) const {
  if (dialect == Dialect::kSqlite && !sqlite_sql.empty()) {
    return sqlite_sql;
  }
  if (dialect == Dialect::kPostgres && !postgres_sql.empty()) {
    return postgres_sql;
  }
  return sql;
}

std::size_t migrate(Database& /*database*/, const std::vector<Migration>& /*migrations*/) {
  return 0;
}

bool migrations_applied(Database& /*database*/, const std::vector<Migration>& /*migrations*/) {
  return false;
}

}  // namespace surplus::db
