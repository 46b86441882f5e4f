#include "sql_lists.hpp"

namespace surplus::orders {

std::string placeholders(std::size_t first, std::size_t count) {
  std::string list;
  for (std::size_t i = 0; i < count; ++i) {
    list += i == 0 ? "$" : ", $";
    list += std::to_string(first + i);
  }
  return list;
}

}  // namespace surplus::orders
