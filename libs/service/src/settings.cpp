#include <surplus/service/settings.hpp>

namespace surplus::service {

Settings load_settings(const core::EnvReader& env, const std::string& service_name,
                       std::uint16_t default_port) {
  using namespace std::chrono_literals;
  Settings settings;
  settings.log_level = env.string("LOG_LEVEL", "info");
  settings.database_url = env.string("DATABASE_URL", "sqlite://var/" + service_name + ".db");
  settings.database.pool_size =
      static_cast<std::size_t>(env.integer("DATABASE_POOL_SIZE", 8, 1, 256));

  auto& server = settings.server;
  server.service_name = service_name;
  server.host = env.string("HOST", "127.0.0.1");
  server.port = env.port("PORT", default_port);
  server.io_threads = static_cast<int>(env.integer("HTTP_IO_THREADS", 1, 1, 64));
  server.worker_threads = static_cast<int>(env.integer("HTTP_WORKER_THREADS", 16, 1, 1024));
  server.max_body_bytes =
      static_cast<std::size_t>(env.byte_size("HTTP_MAX_BODY_BYTES", std::int64_t{1} << 20));
  server.max_header_bytes =
      static_cast<std::size_t>(env.byte_size("HTTP_MAX_HEADER_BYTES", std::int64_t{16} << 10));
  server.read_timeout = env.duration("HTTP_READ_TIMEOUT", 30s);
  server.idle_timeout = env.duration("HTTP_IDLE_TIMEOUT", 60s);
  server.max_connections =
      static_cast<std::size_t>(env.integer("HTTP_MAX_CONNECTIONS", 10000, 1, 1'000'000));
  server.shutdown_grace = env.duration("SHUTDOWN_GRACE", 10s);
  return settings;
}

}  // namespace surplus::service
