#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <surplus/db/migrate.hpp>

namespace surplus::db {
namespace {

// Key of the PostgreSQL advisory lock that serialises migrators of one database; any
// fixed 64-bit number works as long as nothing else uses it. The bytes spell "surplus1".
constexpr std::int64_t kMigrationLockKey = 0x737572706c757331;

[[noreturn]] void reject(std::string detail) {
  throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                      "invalid migration list: " + std::move(detail));
}

// Returns the migrations sorted by version after checking that the versions are exactly
// 1..N and that each has a name and a script for `dialect`.
std::vector<const Migration*> ordered_migrations(const std::vector<Migration>& migrations,
                                                 Dialect dialect) {
  std::vector<const Migration*> ordered;
  ordered.reserve(migrations.size());
  for (const Migration& migration : migrations) {
    ordered.push_back(&migration);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });

  for (std::size_t i = 0; i < ordered.size(); ++i) {
    const Migration& migration = *ordered[i];
    int expected = static_cast<int>(i) + 1;
    if (migration.version != expected) {
      if (i > 0 && migration.version == ordered[i - 1]->version) {
        reject(fmt::format("version {} appears twice ('{}' and '{}')", migration.version,
                           ordered[i - 1]->name, migration.name));
      }
      reject(
          fmt::format("expected version {} but found {} ('{}'); versions must be 1, 2, 3, "
                      "... without gaps",
                      expected, migration.version, migration.name));
    }
    if (migration.name.empty()) {
      reject(fmt::format("version {} has no name", migration.version));
    }
    migration.script_for(dialect);  // throws when the dialect has no script
  }
  return ordered;
}

std::string_view create_table_sql(Dialect dialect) {
  if (dialect == Dialect::kSqlite) {
    return "CREATE TABLE IF NOT EXISTS schema_migrations ("
           " version INTEGER PRIMARY KEY,"
           " name TEXT NOT NULL,"
           " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))";
  }
  return "CREATE TABLE IF NOT EXISTS schema_migrations ("
         " version INTEGER PRIMARY KEY,"
         " name TEXT NOT NULL,"
         " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())";
}

// Serialises migrators until the transaction ends. SQLite needs nothing here, because
// every write transaction begins with BEGIN IMMEDIATE and so holds the write lock.
void lock_migrations(Session& session) {
  if (session.dialect() == Dialect::kPostgres) {
    session.execute("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey});
  }
}

std::set<int> applied_versions(Session& session) {
  std::set<int> versions;
  for (const Row& row : session.execute("SELECT version FROM schema_migrations")) {
    versions.insert(row.get<int>(0));
  }
  return versions;
}

}  // namespace

const std::string& Migration::script_for(Dialect dialect) const {
  const std::string& specific = dialect == Dialect::kSqlite ? sqlite_sql : postgres_sql;
  if (!specific.empty()) {
    return specific;
  }
  if (sql.empty()) {
    reject(fmt::format("migration {} '{}' has no script for {}", version, name,
                       dialect_name(dialect)));
  }
  return sql;
}

std::size_t migrate(Database& database, const std::vector<Migration>& migrations) {
  Dialect dialect = database.dialect();
  std::vector<const Migration*> ordered = ordered_migrations(migrations, dialect);

  std::set<int> applied = database.transaction([&](Session& session) {
    lock_migrations(session);
    session.execute_script(create_table_sql(dialect));
    return applied_versions(session);
  });

  std::size_t count = 0;
  for (const Migration* migration : ordered) {
    if (applied.contains(migration->version)) {
      continue;
    }
    // Another process may have applied it since the read above, so check again under
    // the lock, in the same transaction as the change itself.
    bool ran = database.transaction([&](Session& session) {
      lock_migrations(session);
      if (applied_versions(session).contains(migration->version)) {
        return false;
      }
      session.execute_script(migration->script_for(dialect));
      session.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                      {std::int64_t{migration->version}, migration->name});
      return true;
    });
    if (ran) {
      ++count;
      spdlog::info("applied migration {} {} to {}", migration->version, migration->name,
                   database.redacted_url());
    }
  }

  for (int version : applied) {
    if (version > static_cast<int>(ordered.size())) {
      spdlog::warn(
          "{} has migration {} applied, which this build does not know; it was "
          "probably applied by a newer version",
          database.redacted_url(), version);
    }
  }
  if (count == 0) {
    spdlog::info("{} is up to date at migration {}", database.redacted_url(), ordered.size());
  }
  return count;
}

bool migrations_applied(Database& database, const std::vector<Migration>& migrations) {
  try {
    TxOptions read_only;
    read_only.read_only = true;
    std::set<int> applied =
        database.transaction([](Session& session) { return applied_versions(session); }, read_only);
    return std::all_of(migrations.begin(), migrations.end(), [&](const Migration& migration) {
      return applied.contains(migration.version);
    });
  } catch (const DatabaseError& error) {
    spdlog::debug("cannot read schema_migrations: {}", error.detail());
    return false;
  }
}

}  // namespace surplus::db
