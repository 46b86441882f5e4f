#include <surplus/db/value.hpp>

namespace surplus::db {

std::string_view dialect_name(Dialect dialect) {
  return dialect == Dialect::kSqlite ? "sqlite" : "postgres";
}

std::string_view value_type_name(const Value& value) {
  switch (value.index()) {
    case 0:
      return "null";
    case 1:
      return "integer";
    case 2:
      return "real";
    case 3:
      return "text";
    case 4:
      return "boolean";
    default:
      return "blob";
  }
}

}  // namespace surplus::db
