#pragma once

#include <cstddef>
#include <string_view>

namespace surplus::core {

// The maximum nesting of arrays and objects in a JSON document from a client.
// nlohmann::json parses any depth without recursion. But copying, dumping and comparing a
// value recurse once per level, as do the GraphQL coercion and the services' readers, so a
// few hundred thousand brackets in a 1 MiB body would overflow the stack. No request of the
// API needs more than a few levels.
inline constexpr std::size_t kMaxJsonNesting = 128;

// Whether `text` opens at most `limit` arrays or objects inside one another. Brackets
// inside strings do not count. It does not check that `text` is valid JSON, because the
// parser does that afterwards; a document that fails here is rejected before parsing.
bool json_nesting_within(std::string_view text, std::size_t limit = kMaxJsonNesting);

}  // namespace surplus::core
