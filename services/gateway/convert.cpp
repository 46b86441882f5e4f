#include "convert.hpp"

#include <cctype>

namespace surplus::gateway {

Json restaurant_node(Json restaurant) {
  if (!restaurant.is_object()) {
    return restaurant;
  }
  restaurant.erase("staffUserIds");
  restaurant["location"] = {{"latitude", restaurant.value("latitude", 0.0)},
                            {"longitude", restaurant.value("longitude", 0.0)}};
  const auto category = restaurant.find("category");
  if (category != restaurant.end() && category->is_string()) {
    *category = to_enum_value(category->get_ref<const std::string&>());
  }
  return restaurant;
}

Json order_node(Json order) {
  return order;
}

std::string to_enum_value(std::string_view text) {
  std::string value;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (std::isupper(c) && i > 0 && std::islower(static_cast<unsigned char>(text[i - 1]))) {
      value += '_';
    }
    value += c == '-' ? '_' : static_cast<char>(std::toupper(c));
  }
  return value;
}

std::string enum_to_camel(std::string_view value) {
  std::string text;
  bool upper_next = false;
  for (const char c : value) {
    if (c == '_') {
      upper_next = true;
      continue;
    }
    const unsigned char byte = static_cast<unsigned char>(c);
    text += static_cast<char>(upper_next ? std::toupper(byte) : std::tolower(byte));
    upper_next = false;
  }
  return text;
}

std::string enum_to_lower(std::string_view value) {
  std::string text;
  for (const char c : value) {
    text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

}  // namespace surplus::gateway
