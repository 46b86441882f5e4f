#pragma once

#include <string>
#include <string_view>

namespace surplus::core {

// Returns a new UUIDv7 (RFC 9562) in lower-case canonical form. The first 48 bits are the
// Unix time in milliseconds, so ids sort by creation time and index well; the rest is
// random from libsodium. Within one process, ids created in the same millisecond still
// increase, because the 12-bit rand_a field is used as a counter.
std::string new_uuid_v7();

// Whether `text` is a UUID in canonical 8-4-4-4-12 hexadecimal form (either case).
bool is_uuid(std::string_view text);

}  // namespace surplus::core
