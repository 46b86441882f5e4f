#pragma once

#include <string>

#include <surplus/core/error.hpp>

namespace surplus::db {

// A failed database operation. It is a core::Error so that a service's error boundary
// can report it without knowing about databases. The client message is generic, and
// detail() contains the SQL state or SQLite result code, the driver's message and the start
// of the SQL text, but never parameter values.
class DatabaseError : public core::Error {
 public:
  DatabaseError(core::ErrorCode code, std::string message, std::string detail,
                std::string sql_state = {}, int native_code = 0, bool retryable = false);

  // The PostgreSQL SQLSTATE ("40001"), or empty for SQLite.
  const std::string& sql_state() const { return sql_state_; }
  // The SQLite extended result code (SQLITE_CONSTRAINT_UNIQUE is 2067), or 0 for
  // PostgreSQL.
  int native_code() const { return native_code_; }
  // True for failures that a new attempt of the whole transaction may not hit again:
  // PostgreSQL serialization failure (40001) and deadlock (40P01), SQLite BUSY and LOCKED.
  bool retryable() const { return retryable_; }

 private:
  std::string sql_state_;
  int native_code_;
  bool retryable_;
};

enum class ConstraintKind { kUnique, kForeignKey, kCheck, kNotNull, kOther };

std::string_view constraint_kind_name(ConstraintKind kind);  // "unique", "foreign key", ...

// A statement broke a constraint. The code is CONFLICT, so an uncaught unique violation
// becomes HTTP 409; services that know what the constraint means catch this and throw a
// more specific core::Error.
//
// constraint() is the PostgreSQL constraint name ("users_email_key"). SQLite reports no
// names, so there it is the text SQLite puts after "constraint failed: ", which is the
// column list for UNIQUE and NOT NULL ("users.email") and the constraint name for a named
// CHECK; it is empty for FOREIGN KEY. Match on kind() first and on constraint() only
// with the form of each dialect in mind.
class ConstraintViolation : public DatabaseError {
 public:
  ConstraintViolation(ConstraintKind kind, std::string constraint, std::string detail,
                      std::string sql_state, int native_code);

  ConstraintKind kind() const { return kind_; }
  const std::string& constraint() const { return constraint_; }

 private:
  ConstraintKind kind_;
  std::string constraint_;
};

}  // namespace surplus::db
