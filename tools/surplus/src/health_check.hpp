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

// Returns true when a TCP socket can bind 127.0.0.1:port now, i.e. no other process
// listens there. SO_REUSEADDR is set as servers set it, so connections in TIME_WAIT from
// an earlier run do not count.
bool loopback_port_available(std::uint16_t port);

}  // namespace surplus::tool
