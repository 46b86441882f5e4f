#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <surplus/db/error.hpp>
#include <surplus/db/result.hpp>
#include <surplus/db/value.hpp>

namespace surplus::db {

namespace detail {
class Connection;
}

struct Options {
  // Connections kept open at most. A SQLite :memory: database always uses one, because
  // every connection to :memory: is a database of its own.
  std::size_t pool_size = 8;
  // How long a SQLite statement waits for another connection's write lock before it
  // fails with SQLITE_BUSY.
  std::chrono::milliseconds busy_timeout{5000};
  // How long opening a PostgreSQL connection may take (libpq rounds up to whole seconds,
  // at least 2).
  std::chrono::milliseconds connect_timeout{5000};
  // PostgreSQL statement_timeout for every statement; zero means none. SQLite ignores it.
  std::chrono::milliseconds statement_timeout{0};
  // How long execute() or transaction() waits for a free pooled connection before it
  // throws DatabaseError with code UNAVAILABLE.
  std::chrono::milliseconds acquire_timeout{5000};
  // Attempts of one transaction body when it keeps failing with a retryable error.
  int max_transaction_attempts = 8;
};

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

// SQLite transactions are always serializable, so it ignores `isolation`; a write
// transaction there starts with BEGIN IMMEDIATE and a read-only one with BEGIN DEFERRED.
struct TxOptions {
  Isolation isolation = Isolation::kReadCommitted;
  bool read_only = false;
  // Overrides Options::max_transaction_attempts when set.
  std::optional<int> max_attempts;
};

struct PoolStats {
  std::size_t max_size = 0;          // Options::pool_size after the :memory: rule
  std::size_t open = 0;              // connections currently open
  std::size_t idle = 0;              // open and not checked out
  std::size_t waiting = 0;           // callers blocked waiting for a connection
  std::uint64_t acquired_total = 0;  // check-outs since open()
  std::uint64_t retries_total = 0;   // transaction attempts repeated after a retryable error
};

// One pooled connection, checked out for a transaction body. Use it only on the thread
// that received it and only inside the body. Do not call Database::execute from inside a
// body: that needs a second connection, and with a pool of one it waits until
// acquire_timeout and fails.
class Session {
 public:
  Session(detail::Connection& connection, Dialect dialect);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs one statement with `params` bound to $1, $2, ... (never spliced into the text).
  // The statement is prepared once per connection and cached by its text.
  Result execute(std::string_view sql, const Params& params = {});
  // Runs several semicolon-separated statements without parameters and without
  // preparing them, for schema scripts.
  void execute_script(std::string_view sql);

  Dialect dialect() const { return dialect_; }

 private:
  detail::Connection& connection_;
  Dialect dialect_;
};

// A pool of connections to one SQLite file or PostgreSQL database. Thread-safe.
class Database {
 public:
  // Opens a database from a URL:
  //   sqlite:///absolute/path/file.db   an absolute path
  //   sqlite://relative/path/file.db    a path relative to the working directory
  //   sqlite::memory:                   a private in-memory database (one connection)
  //   postgres://user:password@host:port/dbname?param=value
  //   postgresql://...                  the same; any libpq URI parameter is accepted,
  //                                     e.g. ?host=/run/postgresql for a unix socket
  // A SQLite file's folder is created when missing. Throws core::ConfigError naming
  // DATABASE_URL for a malformed URL, and DatabaseError (UNAVAILABLE) when the first
  // connection cannot be opened.
  static std::unique_ptr<Database> open(const std::string& url, const Options& options = {});

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Dialect dialect() const;
  // The URL with any password replaced by "***", for logs.
  const std::string& redacted_url() const;

  // Runs one statement in its own transaction (autocommit). It is not retried, so it
  // fails once on a pooled PostgreSQL connection that the server closed while it was
  // idle (the pool then drops that connection).
  Result execute(std::string_view sql, const Params& params = {});

  // Runs `body(Session&)` inside a transaction and commits it, returning what `body`
  // returns. When the body or the commit fails with a retryable error (see
  // DatabaseError::retryable), the transaction is rolled back and the whole body runs
  // again after a jittered backoff, up to the configured number of attempts. A connection
  // lost before COMMIT is retried the same way on another connection. The body must
  // therefore have no effects outside the database. Any other exception rolls back and
  // propagates unchanged. A read-only transaction rejects writes on both drivers.
  template <class F>
  auto transaction(F&& body, TxOptions options = {}) -> std::invoke_result_t<F&, Session&> {
    using R = std::invoke_result_t<F&, Session&>;
    if constexpr (std::is_void_v<R>) {
      run_transaction([&body](Session& session) { body(session); }, options);
    } else {
      std::optional<R> result;
      run_transaction([&](Session& session) { result.emplace(body(session)); }, options);
      return std::move(*result);
    }
  }

  // Returns true when SELECT 1 succeeds on a pooled connection.
  bool ping() noexcept;
  // Throws DatabaseError (UNAVAILABLE) when ping() would return false, with the reason.
  void check_ready();

  PoolStats pool_stats() const;

  class Impl;

 private:
  explicit Database(std::unique_ptr<Impl> impl);
  void run_transaction(const std::function<void(Session&)>& body, const TxOptions& options);

  std::unique_ptr<Impl> impl_;
};

}  // namespace surplus::db
