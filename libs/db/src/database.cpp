#include <filesystem>
#include <random>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <surplus/core/log.hpp>
#include <surplus/db/database.hpp>

#include "connection.hpp"
#include "pool.hpp"
#include "postgres_connection.hpp"
#include "sqlite_connection.hpp"
#include "url.hpp"

namespace surplus::db {
namespace {

// Exponential backoff from 20 ms after the first failure, doubling up to 500 ms, each
// delay cut randomly by up to half so that colliding transactions do not retry in step.
std::chrono::milliseconds retry_delay(int attempt) {
  thread_local std::mt19937 generator{std::random_device{}()};
  std::int64_t ceiling = std::min<std::int64_t>(500, std::int64_t{10} << std::min(attempt, 6));
  std::uniform_int_distribution<std::int64_t> distribution(ceiling / 2, ceiling);
  return std::chrono::milliseconds(distribution(generator));
}

void create_parent_directory(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) {
    return;
  }
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    throw DatabaseError(core::ErrorCode::kUnavailable, "the database is unavailable",
                        fmt::format("cannot create the folder {} for the SQLite database: {}",
                                    parent.string(), error.message()));
  }
}

}  // namespace

class Database::Impl {
 public:
  Impl(Dialect dialect, std::string redacted_url, const Options& options,
       detail::Pool::Factory factory, std::size_t pool_size)
      : dialect_(dialect),
        redacted_url_(std::move(redacted_url)),
        options_(options),
        pool_(std::move(factory), pool_size, options.acquire_timeout) {}

  Dialect dialect_;
  std::string redacted_url_;
  Options options_;
  detail::Pool pool_;
};

Session::Session(detail::Connection& connection, Dialect dialect)
    : connection_(connection), dialect_(dialect) {}

Result Session::execute(std::string_view sql, const Params& params) {
  return connection_.execute(sql, params);
}

void Session::execute_script(std::string_view sql) {
  connection_.execute_script(sql);
}

std::unique_ptr<Database> Database::open(const std::string& url, const Options& options) {
  detail::DatabaseUrl parsed = detail::parse_database_url(url);
  std::string redacted = core::redact_url(url);
  std::size_t pool_size = options.pool_size;
  detail::Pool::Factory factory;

  if (parsed.dialect == Dialect::kSqlite) {
    std::string path = parsed.memory ? ":memory:" : parsed.sqlite_path;
    if (parsed.memory) {
      pool_size = 1;  // each connection to :memory: would be a separate, empty database
    } else {
      create_parent_directory(path);
    }
    factory = [path, options] { return std::make_unique<detail::SqliteConnection>(path, options); };
  } else {
    std::string uri = parsed.postgres_uri;
    factory = [uri, options] { return std::make_unique<detail::PostgresConnection>(uri, options); };
  }

  auto database = std::unique_ptr<Database>(new Database(
      std::make_unique<Impl>(parsed.dialect, redacted, options, std::move(factory), pool_size)));
  // Opening one connection now turns a wrong URL or a down server into a start-up error,
  // and for :memory: it creates the only connection, which keeps the data.
  database->impl_->pool_.acquire();
  spdlog::info("opened {} database {} (pool of {})", dialect_name(parsed.dialect), redacted,
               database->pool_stats().max_size);
  return database;
}

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

Dialect Database::dialect() const {
  return impl_->dialect_;
}

const std::string& Database::redacted_url() const {
  return impl_->redacted_url_;
}

Result Database::execute(std::string_view sql, const Params& params) {
  detail::Pool::Lease lease = impl_->pool_.acquire();
  return lease->execute(sql, params);
}

void Database::run_transaction(const std::function<void(Session&)>& body,
                               const TxOptions& options) {
  int max_attempts =
      std::max(1, options.max_attempts.value_or(impl_->options_.max_transaction_attempts));
  for (int attempt = 1;; ++attempt) {
    {
      detail::Pool::Lease lease = impl_->pool_.acquire();
      bool committing = false;
      try {
        lease->begin(options);
        Session session(*lease, impl_->dialect_);
        body(session);
        committing = true;
        lease->commit();
        return;
      } catch (const DatabaseError& error) {
        lease->rollback();
        // A connection lost before COMMIT was sent leaves nothing committed, so the body
        // can run again on another connection. That also replaces pooled connections that
        // a server restart closed while they were idle. A loss during COMMIT leaves the
        // outcome unknown, so it is not retried.
        bool lost_before_commit = !lease->healthy() && !committing;
        if (!(error.retryable() || lost_before_commit) || attempt >= max_attempts) {
          throw;
        }
        spdlog::warn("transaction attempt {} of {} failed and will be retried: {}", attempt,
                     max_attempts, error.detail());
      } catch (...) {
        lease->rollback();
        throw;
      }
    }
    // The connection is back in the pool while this thread waits.
    impl_->pool_.count_retry();
    std::this_thread::sleep_for(retry_delay(attempt));
  }
}

bool Database::ping() noexcept {
  try {
    check_ready();
    return true;
  } catch (...) {
    return false;
  }
}

void Database::check_ready() {
  try {
    detail::Pool::Lease lease = impl_->pool_.acquire();
    lease->execute("SELECT 1", {});
  } catch (const DatabaseError& error) {
    throw DatabaseError(
        core::ErrorCode::kUnavailable, "the database is unavailable",
        fmt::format("{} did not answer SELECT 1: {}", impl_->redacted_url_, error.detail()),
        error.sql_state(), error.native_code());
  }
}

PoolStats Database::pool_stats() const {
  return impl_->pool_.stats();
}

}  // namespace surplus::db
