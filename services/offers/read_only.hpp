#pragma once

#include <surplus/db/database.hpp>

namespace surplus::offers {

// Options of a transaction that only reads.
inline db::TxOptions read_only() {
  db::TxOptions options;
  options.read_only = true;
  return options;
}

}  // namespace surplus::offers
