#include "postgres_connection.hpp"

#include <charconv>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <surplus/core/log.hpp>

#include "sql_text.hpp"

namespace surplus::db::detail {
namespace {

// Type OIDs from PostgreSQL's pg_type.dat; they are fixed for built-in types.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

// Bounds the per-connection prepared statement cache, as in the SQLite driver.
constexpr std::size_t kMaxCachedStatements = 256;

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

ResultPtr wrap(PGresult* result) {
  return ResultPtr(result, &PQclear);
}

// Declares integer, real, boolean and bytea parameters with their types, so that
// `SELECT $1` and `$1 + $2` work as in SQLite. Text and NULL are left for the server to
// infer from the context, which lets a string bind to uuid, json or timestamptz.
Oid parameter_type(const Value& value) {
  switch (value.index()) {
    case 1:
      return kInt8Oid;
    case 2:
      return kFloat8Oid;
    case 4:
      return kBoolOid;
    case 5:
      return kByteaOid;
    default:
      return 0;
  }
}

std::string format_double(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "Infinity" : "-Infinity";
  }
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, end);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// bytea arrives in the hex output format, "\x" followed by two digits per byte (the
// default since PostgreSQL 9.0).
Blob decode_bytea(std::string_view text) {
  Blob blob;
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
    throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                        "bytea value is not in hex format; set bytea_output = 'hex'");
  }
  blob.bytes.reserve((text.size() - 2) / 2);
  for (std::size_t i = 2; i < text.size(); i += 2) {
    int high = hex_digit(text[i]);
    int low = hex_digit(text[i + 1]);
    if (high < 0 || low < 0) {
      throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                          "bytea value contains a character that is not a hex digit");
    }
    blob.bytes.push_back(static_cast<std::uint8_t>(high * 16 + low));
  }
  return blob;
}

[[noreturn]] void throw_unparsable(std::string_view type, std::string_view column) {
  throw DatabaseError(
      core::ErrorCode::kInternal, "an internal error occurred",
      fmt::format("column \"{}\" returned a {} that could not be parsed", column, type));
}

Value decode(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column) != 0) {
    return nullptr;
  }
  std::string_view text(PQgetvalue(result, row, column),
                        static_cast<std::size_t>(PQgetlength(result, row, column)));
  switch (PQftype(result, column)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      std::int64_t integer = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), integer);
      if (error != std::errc() || end != text.data() + text.size()) {
        throw_unparsable("integer", PQfname(result, column));
      }
      return integer;
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      // from_chars accepts "NaN", "Infinity" and "-Infinity" as PostgreSQL prints them.
      double real = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), real);
      if (error != std::errc() || end != text.data() + text.size()) {
        throw_unparsable("real number", PQfname(result, column));
      }
      return real;
    }
    case kBoolOid:
      return text == "t";
    case kByteaOid:
      return decode_bytea(text);
    default:
      return std::string(text);
  }
}

ConstraintKind constraint_kind(std::string_view sql_state) {
  if (sql_state == "23505") {
    return ConstraintKind::kUnique;
  }
  if (sql_state == "23503") {
    return ConstraintKind::kForeignKey;
  }
  if (sql_state == "23514") {
    return ConstraintKind::kCheck;
  }
  if (sql_state == "23502") {
    return ConstraintKind::kNotNull;
  }
  return ConstraintKind::kOther;
}

std::string field(const PGresult* result, int code) {
  const char* value = PQresultErrorField(result, code);
  return value != nullptr ? value : "";
}

void log_notice(void* /*argument*/, const char* message) {
  std::string_view text(message);
  while (!text.empty() && text.back() == '\n') {
    text.remove_suffix(1);
  }
  spdlog::debug("PostgreSQL: {}", text);
}

std::string trim_message(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  return message;
}

}  // namespace

PostgresConnection::PostgresConnection(const std::string& uri, const Options& options) {
  auto timeout_seconds = std::max<std::int64_t>(
      2, (options.connect_timeout.count() + 999) / 1000);  // libpq uses whole seconds
  std::string connect_timeout = std::to_string(timeout_seconds);
  std::string server_options;
  if (options.statement_timeout.count() > 0) {
    server_options = fmt::format("-c statement_timeout={}", options.statement_timeout.count());
  }

  // Later keywords override earlier ones, so these are defaults that the URL can change.
  std::vector<const char*> keywords{"connect_timeout", "client_encoding", "application_name"};
  std::vector<const char*> values{connect_timeout.c_str(), "UTF8", "surplus"};
  if (!server_options.empty()) {
    keywords.push_back("options");
    values.push_back(server_options.c_str());
  }
  keywords.push_back("dbname");
  values.push_back(uri.c_str());
  keywords.push_back(nullptr);
  values.push_back(nullptr);

  connection_ = PQconnectdbParams(keywords.data(), values.data(), 1);
  if (connection_ == nullptr || PQstatus(connection_) != CONNECTION_OK) {
    std::string reason = connection_ != nullptr ? trim_message(PQerrorMessage(connection_))
                                                : "libpq could not allocate a connection";
    PQfinish(connection_);
    connection_ = nullptr;
    throw DatabaseError(core::ErrorCode::kUnavailable, "the database is unavailable",
                        fmt::format("cannot connect to {}: {}", core::redact_url(uri), reason),
                        "08001");
  }
  PQsetNoticeProcessor(connection_, &log_notice, nullptr);
}

PostgresConnection::~PostgresConnection() {
  PQfinish(connection_);
}

bool PostgresConnection::healthy() const {
  return !broken_ && PQstatus(connection_) == CONNECTION_OK;
}

void PostgresConnection::check(PGresult* result, std::string_view sql) {
  ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    return;
  }

  if (result == nullptr || PQstatus(connection_) != CONNECTION_OK) {
    broken_ = true;
    throw DatabaseError(core::ErrorCode::kUnavailable, "the database is unavailable",
                        fmt::format("PostgreSQL connection lost: {}; SQL: {}",
                                    trim_message(PQerrorMessage(connection_)), sql_excerpt(sql)),
                        "08006");
  }

  std::string sql_state = field(result, PG_DIAG_SQLSTATE);
  std::string message = field(result, PG_DIAG_MESSAGE_PRIMARY);
  // Data exceptions (class 22) quote the offending input after a colon, e.g.
  // 'invalid input syntax for type integer: "abc"', and that input may be a parameter.
  if (sql_state.starts_with("22")) {
    message = message.substr(0, message.find(':'));
  }
  std::string detail =
      fmt::format("PostgreSQL error {}: {}; SQL: {}", sql_state, message, sql_excerpt(sql));

  if (sql_state.starts_with("23")) {
    throw ConstraintViolation(constraint_kind(sql_state), field(result, PG_DIAG_CONSTRAINT_NAME),
                              std::move(detail), sql_state, 0);
  }
  if (sql_state == "40001" || sql_state == "40P01") {
    throw DatabaseError(core::ErrorCode::kUnavailable, "the database is busy, try again",
                        std::move(detail), sql_state, 0, true);
  }
  if (sql_state.starts_with("08") || sql_state.starts_with("53") || sql_state.starts_with("57")) {
    // Connection failures, insufficient resources, and operator intervention (which
    // includes statement_timeout cancelling a query, 57014).
    throw DatabaseError(core::ErrorCode::kUnavailable, "the database is unavailable",
                        std::move(detail), sql_state);
  }
  throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred", std::move(detail),
                      sql_state);
}

void PostgresConnection::run_simple(const char* command) {
  ResultPtr result = wrap(PQexec(connection_, command));
  check(result.get(), command);
}

const std::string& PostgresConnection::prepare_cached(std::string_view sql, const Params& params) {
  std::vector<Oid> types;
  types.reserve(params.size());
  std::string key(sql);
  key.push_back('\0');
  for (const Value& value : params) {
    types.push_back(parameter_type(value));
    key += std::to_string(types.back());
    key.push_back(',');
  }
  if (auto found = statements_.find(key); found != statements_.end()) {
    return found->second;
  }

  if (statements_.size() >= kMaxCachedStatements &&
      PQtransactionStatus(connection_) != PQTRANS_INERROR) {
    run_simple("DEALLOCATE ALL");
    statements_.clear();
  }
  std::string name = fmt::format("surplus_{}", ++next_statement_);
  std::string text(sql);
  ResultPtr result = wrap(PQprepare(connection_, name.c_str(), text.c_str(),
                                    static_cast<int>(types.size()), types.data()));
  check(result.get(), sql);
  return statements_.emplace(std::move(key), std::move(name)).first->second;
}

Result PostgresConnection::execute(std::string_view sql, const Params& params) {
  const std::string& name = prepare_cached(sql, params);

  std::vector<std::string> texts(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  std::vector<int> lengths(params.size(), 0);
  std::vector<int> formats(params.size(), 0);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Value& value = params[i];
    if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      texts[i] = std::to_string(*integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      texts[i] = format_double(*real);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      // Text parameters travel NUL-terminated, so an embedded NUL would cut the value.
      if (text->find('\0') != std::string::npos) {
        throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                            fmt::format("text parameter ${} contains a NUL byte, which "
                                        "PostgreSQL cannot store; pass binary data as Blob",
                                        i + 1));
      }
      values[i] = text->c_str();
      continue;
    } else if (const auto* boolean = std::get_if<bool>(&value)) {
      texts[i].assign(1, *boolean ? 't' : 'f');
    } else if (const auto* blob = std::get_if<Blob>(&value)) {
      // The binary format of bytea is the bytes themselves.
      static const std::uint8_t kEmpty = 0;
      const std::uint8_t* data = blob->bytes.empty() ? &kEmpty : blob->bytes.data();
      values[i] = reinterpret_cast<const char*>(data);
      lengths[i] = static_cast<int>(blob->bytes.size());
      formats[i] = 1;
      continue;
    } else {
      continue;  // NULL: a null pointer
    }
    values[i] = texts[i].c_str();
  }

  ResultPtr result = wrap(PQexecPrepared(connection_, name.c_str(), static_cast<int>(params.size()),
                                         values.data(), lengths.data(), formats.data(), 0));
  try {
    check(result.get(), sql);
  } catch (const DatabaseError& error) {
    // "cached plan must not change result type": a column was added to or dropped from a
    // table behind a prepared SELECT *. Forgetting the statement makes the next call
    // prepare it again; the server-side copy stays until the connection closes.
    if (error.sql_state() == "0A000") {
      std::string stale = name;  // `name` refers into statements_
      std::erase_if(statements_, [&](const auto& entry) { return entry.second == stale; });
    }
    throw;
  }

  int column_count = PQnfields(result.get());
  auto columns = std::make_shared<std::vector<std::string>>();
  columns->reserve(static_cast<std::size_t>(column_count));
  for (int column = 0; column < column_count; ++column) {
    columns->emplace_back(PQfname(result.get(), column));
  }

  int row_count = PQntuples(result.get());
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(row_count));
  for (int row = 0; row < row_count; ++row) {
    std::vector<Value> row_values;
    row_values.reserve(static_cast<std::size_t>(column_count));
    for (int column = 0; column < column_count; ++column) {
      row_values.push_back(decode(result.get(), row, column));
    }
    rows.emplace_back(columns, std::move(row_values));
  }

  // PQcmdTuples also counts the rows of a SELECT; only changes count as affected.
  std::string_view status = PQcmdStatus(result.get());
  std::int64_t affected = 0;
  if (status.starts_with("INSERT") || status.starts_with("UPDATE") ||
      status.starts_with("DELETE") || status.starts_with("MERGE")) {
    std::string_view count = PQcmdTuples(result.get());
    std::from_chars(count.data(), count.data() + count.size(), affected);
  }
  return Result(std::move(columns), std::move(rows), affected);
}

void PostgresConnection::execute_script(std::string_view sql) {
  // The simple query protocol runs several semicolon-separated statements in one call.
  std::string script(sql);
  ResultPtr result = wrap(PQexec(connection_, script.c_str()));
  check(result.get(), sql);
}

void PostgresConnection::begin(const TxOptions& options) {
  const char* isolation = "READ COMMITTED";
  if (options.isolation == Isolation::kRepeatableRead) {
    isolation = "REPEATABLE READ";
  } else if (options.isolation == Isolation::kSerializable) {
    isolation = "SERIALIZABLE";
  }
  std::string command =
      fmt::format("BEGIN ISOLATION LEVEL {}{}", isolation, options.read_only ? " READ ONLY" : "");
  run_simple(command.c_str());
}

void PostgresConnection::commit() {
  // COMMIT of a failed transaction reports success and rolls back, so a body that caught
  // a database error and carried on must not look committed.
  if (PQtransactionStatus(connection_) == PQTRANS_INERROR) {
    throw DatabaseError(core::ErrorCode::kInternal, "an internal error occurred",
                        "the transaction was aborted by an earlier statement error that the "
                        "transaction body caught; nothing was committed");
  }
  run_simple("COMMIT");
}

void PostgresConnection::rollback() noexcept {
  PGTransactionStatusType status = PQtransactionStatus(connection_);
  if (status == PQTRANS_IDLE) {
    return;
  }
  if (status == PQTRANS_UNKNOWN || status == PQTRANS_ACTIVE) {
    broken_ = true;
    return;
  }
  ResultPtr result = wrap(PQexec(connection_, "ROLLBACK"));
  if (result == nullptr || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    spdlog::error("PostgreSQL ROLLBACK failed ({}); closing the connection",
                  trim_message(PQerrorMessage(connection_)));
    broken_ = true;
  }
}

}  // namespace surplus::db::detail
