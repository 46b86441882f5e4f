#pragma once

#include <vector>

#include <surplus/db/migrate.hpp>

namespace surplus::offers {

// The SQL files in migrations/, embedded at build time.
std::vector<db::Migration> migrations();

}  // namespace surplus::offers
