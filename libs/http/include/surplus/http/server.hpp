#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <surplus/http/router.hpp>

namespace surplus::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                    // 0 picks a free port; see Server::port()
  int io_threads = 1;                        // threads doing socket I/O; they never run handlers
  int worker_threads = 8;                    // threads running handlers, which may block
  std::size_t max_body_bytes = 1024 * 1024;  // larger body: 413, connection closed
  std::size_t max_header_bytes = 16 * 1024;  // larger request line + headers: 431
  std::chrono::milliseconds read_timeout{30000};    // whole request, headers and body
  std::chrono::milliseconds write_timeout{30000};   // whole response
  std::chrono::milliseconds idle_timeout{60000};    // keep-alive wait for the next request
  std::size_t max_connections = 10000;              // further connections are closed on accept
  std::chrono::milliseconds shutdown_grace{10000};  // for in-flight requests on stop()
  std::string service_name = "surplus";             // for log lines
};

// Returns nullopt when the service is ready, or the reason it is not; throwing also means
// not ready. /readyz returns 200 {"status":"ready"}, or 503 UNAVAILABLE whose detail is the
// returned string or a thrown core::Error's message. Other exceptions are only logged.
using ReadinessCheck = std::function<std::optional<std::string>()>;

// An HTTP/1.1 server with keep-alive and WebSocket upgrades. Besides the router's routes it
// serves GET /healthz, GET /readyz and GET /metrics (Prometheus text of
// core::default_metrics()), and records http_requests_total{method,status},
// http_request_duration_seconds, http_open_connections and http_open_websockets there.
//
// Each request is logged once at info (method, path, status, latency, request id), except
// the three probe routes, which log at debug. Bodies, headers and the query string are
// never logged. Handlers run with core::ScopedRequestId set.
class Server {
 public:
  Server(ServerOptions options, Router router, ReadinessCheck readiness = {});
  // Stops the server if it is running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads; returns once connections are accepted. Throws
  // core::Error UNAVAILABLE naming the address when it cannot bind.
  void start();
  // The bound port (the chosen one when ServerOptions::port is 0); valid after start().
  std::uint16_t port() const;
  // Starts if needed and blocks until SIGINT or SIGTERM arrives or stop() is called from
  // another thread, then stops gracefully and returns.
  void run();
  // Stops accepting, lets in-flight requests finish within shutdown_grace (idle keep-alive
  // connections are closed at once, WebSockets get close 1001), then closes whatever is
  // left and joins the threads. Blocks until done; safe to call twice and from any thread
  // that is not one of the server's own.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace surplus::http
