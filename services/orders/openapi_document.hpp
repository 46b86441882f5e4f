#pragma once

#include <string_view>

namespace surplus::orders {

// The text of services/orders/openapi.json, embedded at build time.
std::string_view openapi_document();

}  // namespace surplus::orders
