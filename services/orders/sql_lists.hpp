#pragma once

#include <cstddef>
#include <string>

namespace surplus::orders {

// "$first, $first+1, ..." with `count` placeholders, for IN lists of bound parameters.
std::string placeholders(std::size_t first, std::size_t count);

}  // namespace surplus::orders
