#include "sqlite_connection.hpp"

#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include "sql_text.hpp"

namespace surplus::db::detail {
namespace {

// Bounds the per-connection statement cache, so code that builds SQL text dynamically
// cannot grow it without limit; when full, the cache is emptied and refilled.
constexpr std::size_t kMaxCachedStatements = 256;

ConstraintKind constraint_kind(int extended_code) {
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return ConstraintKind::kUnique;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return ConstraintKind::kForeignKey;
    case SQLITE_CONSTRAINT_CHECK:
      return ConstraintKind::kCheck;
    case SQLITE_CONSTRAINT_NOTNULL:
      return ConstraintKind::kNotNull;
    default:
      return ConstraintKind::kOther;
  }
}

// SQLite names the columns or the CHECK constraint after this marker, e.g.
// "UNIQUE constraint failed: items.name".
std::string constraint_from_message(std::string_view message) {
  constexpr std::string_view kMarker = "constraint failed: ";
  auto position = message.find(kMarker);
  if (position == std::string_view::npos) {
    return {};
  }
  return std::string(message.substr(position + kMarker.size()));
}

bool only_comments_or_space(sqlite3* db, const char* tail) {
  // Preparing the remainder yields no statement when it is only whitespace, semicolons
  // or comments.
  while (tail != nullptr && *tail != '\0') {
    sqlite3_stmt* next = nullptr;
    const char* rest = nullptr;
    if (sqlite3_prepare_v2(db, tail, -1, &next, &rest) != SQLITE_OK) {
      return false;
    }
    if (next != nullptr) {
      sqlite3_finalize(next);
      return false;
    }
    if (rest == tail) {
      break;
    }
    tail = rest;
  }
  return true;
}

Value column_value(sqlite3_stmt* statement, int column) {
  switch (sqlite3_column_type(statement, column)) {
    case SQLITE_INTEGER:
      return std::int64_t{sqlite3_column_int64(statement, column)};
    case SQLITE_FLOAT:
      return sqlite3_column_double(statement, column);
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
      auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
      return std::string(text, size);
    }
    case SQLITE_BLOB: {
      const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(statement, column));
      auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
      return Blob{std::vector<std::uint8_t>(data, data + size)};
    }
    default:
      return nullptr;
  }
}

// Resets a cached statement on every exit path, so that it releases its read snapshot
// and drops pointers to the caller's parameter buffers.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* statement) : statement_(statement) {}
  ~StatementReset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* statement_;
};

}  // namespace

SqliteConnection::SqliteConnection(const std::string& path, const Options& options) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int code = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (code != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw DatabaseError(core::ErrorCode::kUnavailable, "the database is unavailable",
                        fmt::format("cannot open SQLite database {}: {}", path, message), {}, code);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, static_cast<int>(options.busy_timeout.count()));

  try {
    if (path != ":memory:") {
      // WAL lets readers run while one writer writes; the setting is stored in the file.
      Result mode = execute("PRAGMA journal_mode=WAL", {});
      std::string actual = mode.empty() ? "" : mode[0].get<std::string>(0);
      if (actual != "wal") {
        spdlog::warn("SQLite database {} runs in journal mode '{}' instead of WAL", path, actual);
      }
    }
    // NORMAL is durable in WAL mode except for the last transactions before a power loss.
    execute_script("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  } catch (...) {
    clear_cache();
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

SqliteConnection::~SqliteConnection() {
  clear_cache();
  sqlite3_close_v2(db_);
}

void SqliteConnection::clear_cache() noexcept {
  for (auto& [text, statement] : statements_) {
    sqlite3_finalize(statement);
  }
  statements_.clear();
}

void SqliteConnection::throw_error(int code, std::string_view sql) const {
  int extended = sqlite3_extended_errcode(db_);
  if ((extended & 0xff) != (code & 0xff)) {
    extended = code;
  }
  std::string message = sqlite3_errmsg(db_);
  std::string detail = fmt::format("SQLite error {} ({}): {}; SQL: {}", extended,
                                   sqlite3_errstr(extended), message, sql_excerpt(sql));
  switch (extended & 0xff) {
    case SQLITE_CONSTRAINT:
      throw ConstraintViolation(constraint_kind(extended), constraint_from_message(message),
                                std::move(detail), {}, extended);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw DatabaseError(core::ErrorCode::kUnavailable, "the database is busy, try again",
                          std::move(detail), {}, extended, true);
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
      throw DatabaseError(core::ErrorCode::kUnavailable, "the database is unavailable",
                          std::move(detail), {}, extended);
    default:
      throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                          std::move(detail), {}, extended);
  }
}

sqlite3_stmt* SqliteConnection::prepare_cached(std::string_view sql) {
  std::string key(sql);
  if (auto found = statements_.find(key); found != statements_.end()) {
    return found->second;
  }
  if (statements_.size() >= kMaxCachedStatements) {
    clear_cache();
  }

  sqlite3_stmt* statement = nullptr;
  const char* tail = nullptr;
  int code = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size() + 1),
                                SQLITE_PREPARE_PERSISTENT, &statement, &tail);
  if (code != SQLITE_OK) {
    throw_error(code, sql);
  }
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> guard(statement, &sqlite3_finalize);
  if (statement == nullptr) {
    throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                        fmt::format("the SQL text contains no statement: {}", sql_excerpt(sql)));
  }
  if (!only_comments_or_space(db_, tail)) {
    throw DatabaseError(
        core::ErrorCode::kInternal, "an internal error occurred",
        fmt::format("execute() runs one statement but the SQL text has several; use "
                    "execute_script() for scripts without parameters: {}",
                    sql_excerpt(sql)));
  }
  statements_.emplace(std::move(key), statement);
  return guard.release();
}

void SqliteConnection::bind(sqlite3_stmt* statement, const Params& params, std::string_view sql) {
  std::vector<bool> used(params.size(), false);
  int count = sqlite3_bind_parameter_count(statement);
  for (int index = 1; index <= count; ++index) {
    const char* name = sqlite3_bind_parameter_name(statement, index);
    std::size_t number = name != nullptr ? placeholder_number(name) : 0;
    if (number == 0 || number > params.size()) {
      throw DatabaseError(
          core::ErrorCode::kInternal, "an internal error occurred",
          fmt::format("placeholder {} has no parameter ({} given); use $1..$N with one "
                      "parameter each: {}",
                      name != nullptr ? name : "?", params.size(), sql_excerpt(sql)));
    }
    used[number - 1] = true;

    const Value& value = params[number - 1];
    int code = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(value)) {
      code = sqlite3_bind_null(statement, index);
    } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      code = sqlite3_bind_int64(statement, index, *integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      code = sqlite3_bind_double(statement, index, *real);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      if (text->find('\0') != std::string::npos) {
        throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                            fmt::format("text parameter ${} contains a NUL byte, which "
                                        "PostgreSQL cannot store; pass binary data as Blob",
                                        number));
      }
      // SQLITE_STATIC is safe because `params` outlives the statement's use, and
      // StatementReset clears the bindings before execute() returns.
      code = sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
    } else if (const auto* boolean = std::get_if<bool>(&value)) {
      code = sqlite3_bind_int(statement, index, *boolean ? 1 : 0);
    } else {
      const auto& bytes = std::get<Blob>(value).bytes;
      // An empty vector may have a null data(), which SQLite would bind as NULL.
      code = bytes.empty()
                 ? sqlite3_bind_zeroblob(statement, index, 0)
                 : sqlite3_bind_blob64(statement, index, bytes.data(), bytes.size(), SQLITE_STATIC);
    }
    if (code != SQLITE_OK) {
      throw_error(code, sql);
    }
  }
  for (std::size_t i = 0; i < used.size(); ++i) {
    if (!used[i]) {
      throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                          fmt::format("{} parameters given but the statement does not use "
                                      "${}: {}",
                                      params.size(), i + 1, sql_excerpt(sql)));
    }
  }
}

Result SqliteConnection::execute(std::string_view sql, const Params& params) {
  sqlite3_stmt* statement = prepare_cached(sql);
  if (read_only_ && sqlite3_stmt_readonly(statement) == 0) {
    throw_read_only_violation(sql);
  }
  StatementReset reset(statement);
  bind(statement, params, sql);

  std::int64_t changes_before = sqlite3_total_changes64(db_);
  std::shared_ptr<std::vector<std::string>> columns;
  int column_count = 0;
  std::vector<Row> rows;
  while (true) {
    int code = sqlite3_step(statement);
    if (code != SQLITE_ROW && code != SQLITE_DONE) {
      throw_error(code, sql);
    }
    if (!columns) {
      // The first step prepares a cached statement again when the schema has changed,
      // and the column list may change with it, so it is read only now.
      column_count = sqlite3_column_count(statement);
      columns = std::make_shared<std::vector<std::string>>();
      columns->reserve(static_cast<std::size_t>(column_count));
      for (int column = 0; column < column_count; ++column) {
        columns->emplace_back(sqlite3_column_name(statement, column));
      }
    }
    if (code == SQLITE_DONE) {
      break;
    }
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(column_count));
    for (int column = 0; column < column_count; ++column) {
      values.push_back(column_value(statement, column));
    }
    rows.emplace_back(columns, std::move(values));
  }
  // sqlite3_changes64 keeps the count of the last INSERT, UPDATE or DELETE, so it is
  // reported only when this statement changed rows.
  bool changed = sqlite3_total_changes64(db_) != changes_before;
  std::int64_t affected = changed ? sqlite3_changes64(db_) : 0;
  return Result(std::move(columns), std::move(rows), affected);
}

void SqliteConnection::execute_script(std::string_view sql) {
  std::string script(sql);
  if (read_only_) {
    execute_script_read_only(script);
    return;
  }
  char* message = nullptr;
  int code = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);  // sqlite3_errmsg still has it for throw_error
  if (code != SQLITE_OK) {
    throw_error(code, sql);
  }
}

void SqliteConnection::execute_script_read_only(const std::string& script) {
  // Each statement is checked before it runs, as execute() does, because sqlite3_exec
  // would run a write without asking.
  const char* next = script.c_str();
  while (*next != '\0') {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int code = sqlite3_prepare_v2(db_, next, -1, &raw, &tail);
    if (code != SQLITE_OK) {
      throw_error(code, next);
    }
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> statement(raw, &sqlite3_finalize);
    std::string_view text(next, static_cast<std::size_t>(tail - next));
    next = tail;
    if (statement == nullptr) {
      continue;  // only whitespace or comments
    }
    if (sqlite3_stmt_readonly(statement.get()) == 0) {
      throw_read_only_violation(text);
    }
    while ((code = sqlite3_step(statement.get())) == SQLITE_ROW) {
    }
    if (code != SQLITE_DONE) {
      throw_error(code, text);
    }
  }
}

void SqliteConnection::throw_read_only_violation(std::string_view sql) const {
  throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                      fmt::format("a read-only transaction cannot run a statement that writes; "
                                  "run it in a transaction without TxOptions::read_only: {}",
                                  sql_excerpt(sql)));
}

void SqliteConnection::begin(const TxOptions& options) {
  // A write transaction takes the write lock at BEGIN. With a deferred BEGIN, two
  // transactions that both read and then write would each hold a read snapshot while
  // waiting for the other's write lock. SQLite detects that deadlock and fails one of them
  // with SQLITE_BUSY at once, without calling the busy handler. Taking the lock first
  // makes writers wait their turn within busy_timeout instead.
  //
  // A read-only transaction is enforced by execute() and execute_script(), which reject
  // any statement for which sqlite3_stmt_readonly() is false. PRAGMA query_only would do
  // the same, but SQLite (3.40) compiles every flag pragma with OP_Expire, which expires
  // all prepared statements of the connection. Each cached statement would then be
  // compiled again in every transaction.
  execute(options.read_only ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE", {});
  read_only_ = options.read_only;
}

void SqliteConnection::commit() {
  execute("COMMIT", {});
  read_only_ = false;
}

void SqliteConnection::rollback() noexcept {
  read_only_ = false;
  if (sqlite3_get_autocommit(db_) != 0) {
    return;  // SQLite already rolled back, or the transaction never began
  }
  if (sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr) != SQLITE_OK) {
    spdlog::error("SQLite ROLLBACK failed ({}); closing the connection", sqlite3_errmsg(db_));
    broken_ = true;
  }
}

}  // namespace surplus::db::detail
