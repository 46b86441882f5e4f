#pragma once

#include <string>
#include <string_view>

namespace surplus::db::detail {

// The SQL text shortened for error details: statements carry no values (parameters are
// bound), but a long migration script would swamp a log line.
std::string sql_excerpt(std::string_view sql);

// Parses "$N" into N; returns 0 for anything else.
std::size_t placeholder_number(std::string_view name);

}  // namespace surplus::db::detail
