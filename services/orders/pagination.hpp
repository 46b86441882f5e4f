#pragma once

// The list endpoints of this service page with the shared cursor pagination.
#include <surplus/service/pagination.hpp>

namespace surplus::orders {

using service::encode_cursor;
using service::kDefaultPageSize;
using service::kMaxPageSize;
using service::page_json;
using service::PageRequest;
using service::read_page_request;

}  // namespace surplus::orders
