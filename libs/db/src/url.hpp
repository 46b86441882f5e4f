#pragma once

#include <string>

#include <surplus/db/value.hpp>

namespace surplus::db::detail {

struct DatabaseUrl {
  Dialect dialect = Dialect::kSqlite;
  bool memory = false;       // sqlite::memory:
  std::string sqlite_path;   // as written, relative paths are resolved by SQLite
  std::string postgres_uri;  // passed to libpq unchanged
};

// Parses a DATABASE_URL value (the forms are listed at Database::open); throws
// core::ConfigError naming DATABASE_URL and the accepted forms.
DatabaseUrl parse_database_url(const std::string& url);

}  // namespace surplus::db::detail
