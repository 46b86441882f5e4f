#include "server_context.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace surplus::http {
namespace {

// Limits the method label to the standard methods so that junk methods sent by scanners
// cannot create unbounded metric series.
std::string_view method_label(std::string_view method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) {
      return known;
    }
  }
  return "OTHER";
}

}  // namespace

ServerContext::ServerContext(ServerOptions options, Router router)
    : options_(std::move(options)),
      router_(std::move(router)),
      open_connections_(core::default_metrics().gauge(
          "http_open_connections", "Open client connections, HTTP and WebSocket")),
      open_websockets_(
          core::default_metrics().gauge("http_open_websockets", "Open WebSocket connections")),
      latency_(core::default_metrics().histogram("http_request_duration_seconds",
                                                 "Time from request read to response written")),
      workers_(static_cast<std::size_t>(std::max(1, options_.worker_threads))) {}

bool ServerContext::add_connection(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mutex_);
  if (connections_.size() >= options_.max_connections) {
    return false;
  }
  connections_.emplace(connection.get(), connection);
  open_connections_.add(1);
  return true;
}

void ServerContext::remove_connection(const Connection* connection) {
  std::lock_guard lock(mutex_);
  if (connections_.erase(connection) != 0) {
    open_connections_.add(-1);
  }
  if (connections_.empty()) {
    drained_.notify_all();
  }
}

std::vector<std::shared_ptr<Connection>> ServerContext::connections() {
  std::vector<std::shared_ptr<Connection>> result;
  std::lock_guard lock(mutex_);
  for (const auto& [key, weak] : connections_) {
    if (auto connection = weak.lock()) {
      result.push_back(std::move(connection));
    }
  }
  return result;
}

bool ServerContext::wait_until_drained(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return drained_.wait_until(lock, deadline, [this] { return connections_.empty(); });
}

void ServerContext::record_request(std::string_view method, int status, double seconds) {
  core::default_metrics()
      .counter("http_requests_total", "HTTP requests answered, by method and status",
               fmt::format("method=\"{}\",status=\"{}\"", method_label(method), status))
      .increment();
  latency_.observe(seconds);
}

void ServerContext::log_rejected_connection(const std::string& remote_address) {
  std::lock_guard lock(rejected_mutex_);
  auto now = std::chrono::steady_clock::now();
  if (now - rejected_logged_at_ < std::chrono::seconds(10)) {
    ++rejected_unlogged_;
    return;
  }
  spdlog::warn(
      "closed connection from {}: max_connections={} reached ({} more closed since "
      "the last message)",
      remote_address, options_.max_connections, rejected_unlogged_);
  rejected_logged_at_ = now;
  rejected_unlogged_ = 0;
}

}  // namespace surplus::http
