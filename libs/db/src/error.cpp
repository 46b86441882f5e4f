#include <utility>

#include <surplus/db/error.hpp>

namespace surplus::db {

DatabaseError::DatabaseError(core::ErrorCode code, std::string message, std::string detail,
                             std::string sql_state, int native_code, bool retryable)
    : core::Error(code, std::move(message), std::move(detail)),
      sql_state_(std::move(sql_state)),
      native_code_(native_code),
      retryable_(retryable) {}

std::string_view constraint_kind_name(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::kUnique:
      return "unique";
    case ConstraintKind::kForeignKey:
      return "foreign key";
    case ConstraintKind::kCheck:
      return "check";
    case ConstraintKind::kNotNull:
      return "not null";
    case ConstraintKind::kOther:
      break;
  }
  return "other";
}

ConstraintViolation::ConstraintViolation(ConstraintKind kind, std::string constraint,
                                         std::string detail, std::string sql_state, int native_code)
    : DatabaseError(core::ErrorCode::kConflict, "the request conflicts with existing data",
                    std::move(detail), std::move(sql_state), native_code, false),
      kind_(kind),
      constraint_(std::move(constraint)) {}

}  // namespace surplus::db
