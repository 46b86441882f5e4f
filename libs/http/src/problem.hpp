#pragma once

#include <string_view>

#include <surplus/http/response.hpp>

namespace surplus::http {

// A problem+json response for statuses that have no core::ErrorCode, such as 431 and 426;
// `code` follows the same UPPER_SNAKE convention as error_code_name().
Response problem_response(int status, std::string_view code, std::string_view detail,
                          std::string_view instance);

}  // namespace surplus::http
