#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <surplus/core/metrics.hpp>
#include <surplus/http/server.hpp>

#include "net.hpp"

namespace surplus::http {

// An open client connection (HTTP or WebSocket), tracked so that stop() can reach it.
// Both functions are thread-safe: they post to the connection's strand.
class Connection {
 public:
  virtual ~Connection() = default;
  // Closes the connection at the next safe point: at once when it waits for a request,
  // after the response when a request is in flight, with close 1001 for a WebSocket.
  virtual void shut_down() = 0;
  // Closes the socket now; pending operations fail.
  virtual void abort() = 0;
};

// State shared by the listener and every session of one Server.
class ServerContext {
 public:
  ServerContext(ServerOptions options, Router router);

  const ServerOptions& options() const { return options_; }
  const Router& router() const { return router_; }
  asio::thread_pool::executor_type workers() { return workers_.get_executor(); }
  void join_workers() { workers_.join(); }

  bool stopping() const { return stopping_.load(); }
  void set_stopping() { stopping_.store(true); }

  // Registers a connection; returns false when max_connections are already open.
  bool add_connection(const std::shared_ptr<Connection>& connection);
  void remove_connection(const Connection* connection);
  std::vector<std::shared_ptr<Connection>> connections();
  // Waits until no connection is registered or `deadline` passes; returns whether none is.
  bool wait_until_drained(std::chrono::steady_clock::time_point deadline);

  // Records one finished request in the metrics.
  void record_request(std::string_view method, int status, double seconds);
  core::Gauge& open_websockets() { return open_websockets_; }
  // Logs a connection closed for exceeding max_connections, at most once per 10 s.
  void log_rejected_connection(const std::string& remote_address);

 private:
  ServerOptions options_;
  Router router_;
  std::atomic<bool> stopping_{false};

  std::mutex mutex_;
  std::condition_variable drained_;
  std::map<const Connection*, std::weak_ptr<Connection>> connections_;

  core::Gauge& open_connections_;
  core::Gauge& open_websockets_;
  core::Histogram& latency_;

  std::mutex rejected_mutex_;
  std::chrono::steady_clock::time_point rejected_logged_at_;
  std::uint64_t rejected_unlogged_ = 0;

  // Declared last so it is destroyed first: handlers still queued when the pool is
  // destroyed hold sessions, whose destructors use the members above.
  asio::thread_pool workers_;
};

// Serves HTTP on an accepted socket until the peer or the server closes it; hands the
// socket to a WebSocket session on an upgrade request. The socket's executor must be a
// strand.
void start_http_session(ServerContext& context, tcp::socket socket);

}  // namespace surplus::http
