#pragma once

#include <string>
#include <string_view>

#include <surplus/graphql/resolver.hpp>

// Conversions between the services' JSON and the shapes of schema.graphql, where the two
// differ. Fields with the same name and form pass through untouched.
namespace surplus::gateway {

using graphql::Json;

// A restaurant of the orders service: `latitude`/`longitude` become `location`, the
// lowercase category becomes the enum value, and `staffUserIds` of the internal endpoint is
// dropped.
Json restaurant_node(Json restaurant);
// An order of the orders service: the delivery address's `latitude`/`longitude` become
// `location`.
Json order_node(Json order);

// "pickupTime" -> "PICKUP_TIME", "bakery" -> "BAKERY".
std::string to_enum_value(std::string_view text);
// "PICKUP_TIME" -> "pickupTime", for query parameters in camelCase.
std::string enum_to_camel(std::string_view value);
// "BAKERY" -> "bakery".
std::string enum_to_lower(std::string_view value);

}  // namespace surplus::gateway
