#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <surplus/db/database.hpp>

namespace surplus::db {

// One schema change. `sql` is used for both dialects unless `sqlite_sql` or
// `postgres_sql` is set. The scripts run inside a transaction, so they must not contain
// BEGIN/COMMIT or statements PostgreSQL refuses in a transaction block (CREATE INDEX
// CONCURRENTLY, VACUUM).
struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
  std::string sqlite_sql;
  std::string postgres_sql;

  // The script for `dialect`; throws DatabaseError when there is none.
  const std::string& script_for(Dialect dialect) const;
};

// Applies the migrations that are not yet recorded in schema_migrations(version, name,
// applied_at), in version order, each in its own transaction together with its row in
// schema_migrations. Versions must be 1, 2, 3, ... without gaps or duplicates (in any
// order in `migrations`); otherwise it throws DatabaseError before touching the
// database. Safe when several processes start at once: PostgreSQL takes a
// transaction-level advisory lock and SQLite a write lock (BEGIN IMMEDIATE) before
// reading what is applied. Returns the number of migrations it applied.
std::size_t migrate(Database& database, const std::vector<Migration>& migrations);

// True when every migration in `migrations` is recorded as applied, for /readyz.
// Returns false (and does not throw) when the database cannot be read.
bool migrations_applied(Database& database, const std::vector<Migration>& migrations);

}  // namespace surplus::db
