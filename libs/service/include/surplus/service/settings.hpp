#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <surplus/core/config.hpp>
#include <surplus/db/database.hpp>
#include <surplus/http/server.hpp>

namespace surplus::service {

// Settings every service reads from its environment. Each variable has a default, so a
// service starts with none set; a malformed value throws core::ConfigError naming it.
//
//   HOST                  address to listen on               127.0.0.1
//   PORT                  port to listen on                  the service's own (4000-4003)
//   DATABASE_URL          sqlite://..., sqlite::memory: or postgres://...
//                                                            sqlite://var/<service>.db
//   DATABASE_POOL_SIZE    pooled database connections        8
//   LOG_LEVEL             trace, debug, info, warn, error    info
//   HTTP_IO_THREADS       socket I/O threads                 1
//   HTTP_WORKER_THREADS   threads running handlers           16
//   HTTP_MAX_BODY_BYTES   request body limit (e.g. 1MiB)     1MiB
//   HTTP_MAX_HEADER_BYTES request line and headers limit     16KiB
//   HTTP_READ_TIMEOUT     time to receive one request        30s
//   HTTP_IDLE_TIMEOUT     keep-alive wait between requests   60s
//   HTTP_MAX_CONNECTIONS  open connections at most           10000
//   SHUTDOWN_GRACE        time for in-flight requests        10s
struct Settings {
  std::string log_level = "info";
  std::string database_url;
  db::Options database;
  http::ServerOptions server;
};

Settings load_settings(const core::EnvReader& env, const std::string& service_name,
                       std::uint16_t default_port);

}  // namespace surplus::service
