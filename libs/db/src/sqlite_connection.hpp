#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "connection.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace surplus::db::detail {

class SqliteConnection final : public Connection {
 public:
  // Opens `path` (":memory:" for a private in-memory database) in WAL mode with the
  // busy timeout and foreign keys on; throws DatabaseError (UNAVAILABLE) on failure.
  SqliteConnection(const std::string& path, const Options& options);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Result execute(std::string_view sql, const Params& params) override;
  void execute_script(std::string_view sql) override;
  void begin(const TxOptions& options) override;
  void commit() override;
  void rollback() noexcept override;
  bool healthy() const override { return !broken_; }

 private:
  sqlite3_stmt* prepare_cached(std::string_view sql);
  void bind(sqlite3_stmt* statement, const Params& params, std::string_view sql);
  [[noreturn]] void throw_error(int code, std::string_view sql) const;
  void clear_cache() noexcept;
  void execute_script_read_only(const std::string& script);
  [[noreturn]] void throw_read_only_violation(std::string_view sql) const;

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  bool broken_ = false;
  bool read_only_ = false;  // the current transaction was begun with TxOptions::read_only
};

}  // namespace surplus::db::detail
