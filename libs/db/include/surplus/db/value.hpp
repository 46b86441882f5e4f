#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace surplus::db {

// The SQL dialect of a database, for the few statements that must differ (RETURNING
// works in both, but date arithmetic and row locking do not).
enum class Dialect { kSqlite, kPostgres };

std::string_view dialect_name(Dialect dialect);  // "sqlite" or "postgres"

// Raw bytes: SQLite BLOB, PostgreSQL bytea.
struct Blob {
  std::vector<std::uint8_t> bytes;
  bool operator==(const Blob&) const = default;
};

// One SQL value. NULL is std::nullptr_t. SQLite has no boolean type and stores bool as
// INTEGER 0 or 1; Row::get<bool> accepts both forms.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string, bool, Blob>;

// Positional parameters: element i binds placeholder $(i+1).
using Params = std::vector<Value>;

// Converts an optional to a Value that is NULL when empty.
template <class T>
Value nullable(const std::optional<T>& value) {
  if (!value) {
    return nullptr;
  }
  return Value(*value);
}

// The name of the type a Value contains ("null", "integer", "real", "text", "boolean",
// "blob"), for error messages.
std::string_view value_type_name(const Value& value);

}  // namespace surplus::db
