#pragma once

#include <string>
#include <string_view>

namespace surplus::graphql::detail {

// BlockStringValue(rawValue) of section 2.9.4: removes the common indentation of all lines
// but the first, drops leading and trailing blank lines and joins lines with "\n".
std::string block_string_value(std::string_view raw);

}  // namespace surplus::graphql::detail
