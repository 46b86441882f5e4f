#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace surplus::tool {

struct ListenOptions {
  std::string url = "ws://127.0.0.1:4003/ws";
  std::vector<std::string> channels;
  std::string token;
  std::string since;  // "epoch:offset"
  std::int64_t count = 0;
};

// Adds `surplus listen`, which subscribes to notification channels and prints events.
CLI::App* add_listen_command(CLI::App& app, ListenOptions& options);

// Connects, subscribes and prints every `event` message as one JSON line on stdout, and
// everything else (subscribed, errors, the close) as text on stderr. Returns 0 after
// `count` events or a normal close by the server, 1 on an error or another close code.
int run_listen(const ListenOptions& options);

}  // namespace surplus::tool
