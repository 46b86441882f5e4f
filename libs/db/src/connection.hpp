#pragma once

#include <string>
#include <string_view>

#include <surplus/db/database.hpp>

namespace surplus::db::detail {

// One open connection of either driver. A connection is used by one thread at a time;
// the pool guarantees that.
class Connection {
 public:
  virtual ~Connection() = default;

  virtual Result execute(std::string_view sql, const Params& params) = 0;
  virtual void execute_script(std::string_view sql) = 0;

  virtual void begin(const TxOptions& options) = 0;
  virtual void commit() = 0;
  // Rolls back if a transaction is open; never throws, and marks the connection broken
  // when the rollback itself fails.
  virtual void rollback() noexcept = 0;

  // False once the connection is unusable (lost socket, failed rollback); the pool then
  // closes it instead of handing it out again.
  virtual bool healthy() const = 0;
};

}  // namespace surplus::db::detail
