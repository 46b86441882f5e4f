#pragma once

#include <string_view>

namespace surplus::gateway {

// The text of schema.graphql, compiled in so the binary serves the committed schema.
std::string_view schema_document();

}  // namespace surplus::gateway
