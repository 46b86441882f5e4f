#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace surplus::tool {

// Sends `GET path` over HTTP/1.1 to 127.0.0.1:port and returns the response status code,
// or nullopt when the connection fails, times out or the reply is not HTTP. `timeout`
// bounds the whole exchange. Blocking and independent of libs/http on purpose, so the tool
// does not depend on the code that it supervises.
std::optional<int> http_get_status(std::uint16_t port, const std::string& path,
                                   std::chrono::milliseconds timeout);

}  // namespace surplus::tool
