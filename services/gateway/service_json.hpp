#pragma once

#include <string_view>

#include <surplus/graphql/async.hpp>

namespace surplus::gateway {

using graphql::Json;

// Parses the JSON body of a service response into the tree Json::parse builds, with
// less work: each object and array is allocated once at its final size, strings are
// copied in runs, and member names are not looked up. nlohmann's own parser searches an
// `ordered_json` object's members for every name it reads, which costs time quadratic in
// the number of members.
// A name that repeats inside one object is kept twice, and lookups find the first. The
// services never send such objects, and RFC 8259 leaves the meaning of repeated names
// open. Arrays and objects may nest core::kMaxJsonNesting deep.
// Throws std::invalid_argument, naming the byte offset and the fault, when `text` is not
// JSON or not UTF-8.
Json parse_service_json(std::string_view text);

}  // namespace surplus::gateway
