#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "connection.hpp"

struct pg_conn;
struct pg_result;

namespace surplus::db::detail {

class PostgresConnection final : public Connection {
 public:
  // Connects with libpq to `uri`; throws DatabaseError (UNAVAILABLE) on failure.
  PostgresConnection(const std::string& uri, const Options& options);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Result execute(std::string_view sql, const Params& params) override;
  void execute_script(std::string_view sql) override;
  void begin(const TxOptions& options) override;
  void commit() override;
  void rollback() noexcept override;
  bool healthy() const override;

 private:
  const std::string& prepare_cached(std::string_view sql, const Params& params);
  // Checks a result's status and throws the matching DatabaseError; frees nothing.
  void check(pg_result* result, std::string_view sql);
  void run_simple(const char* command);

  pg_conn* connection_ = nullptr;
  std::unordered_map<std::string, std::string> statements_;  // SQL and types -> name
  std::uint64_t next_statement_ = 0;
  bool broken_ = false;
};

}  // namespace surplus::db::detail
