#include <csignal>
#include <future>
#include <thread>

#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <surplus/core/error.hpp>
#include <surplus/core/metrics.hpp>
#include <surplus/http/server.hpp>

#include "server_context.hpp"

namespace surplus::http {
namespace {

Response check_readiness(const ReadinessCheck& readiness) {
  std::optional<std::string> reason;
  try {
    reason = readiness ? readiness() : std::nullopt;
  } catch (const core::Error& error) {
    spdlog::warn("readiness check failed: {} ({})", error.message(), error.detail());
    throw core::Error(core::ErrorCode::kUnavailable, error.message(), error.detail());
  } catch (const std::exception& error) {
    spdlog::warn("readiness check failed: {}", error.what());
    throw core::Error(core::ErrorCode::kUnavailable, "the service is not ready", error.what());
  }
  if (reason) {
    throw core::Error(core::ErrorCode::kUnavailable, *reason);
  }
  return Response::json({{"status", "ready"}});
}

// Adds GET /healthz, /readyz and /metrics; a service that registered one of these paths
// itself gets std::invalid_argument from Router::add.
Router with_builtin_routes(Router router, ReadinessCheck readiness) {
  // The liveness probe and the metrics answer on the I/O thread, so that they still answer
  // while every worker waits, for example on a stalled downstream service.
  router.get(
      "/healthz",
      [](Request&) {
        return Response::json({{"status", "ok"}});
      },
      Dispatch::kInline);
  router.get("/readyz",
             [readiness = std::move(readiness)](Request&) { return check_readiness(readiness); });
  router.get(
      "/metrics",
      [](Request&) {
        return Response::text(core::default_metrics().render(), 200,
                              "text/plain; version=0.0.4; charset=utf-8");
      },
      Dispatch::kInline);
  return router;
}

tcp::endpoint resolve_listen_endpoint(asio::io_context& io, const ServerOptions& options) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (!ec) {
    return {address, options.port};
  }
  tcp::resolver resolver(io);
  auto results =
      resolver.resolve(options.host, std::to_string(options.port), tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    throw core::Error::unavailable(
        "the server cannot start",
        fmt::format("cannot resolve listen host '{}': {}", options.host, ec.message()));
  }
  return results.begin()->endpoint();
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, Router router)
      : context(std::move(options), std::move(router)),
        io(std::max(1, context.options().io_threads)),
        acceptor(asio::make_strand(io)) {}

  void start();
  void stop();
  asio::awaitable<void> accept_loop();

  ServerContext context;
  // Declared after `context`, so sessions destroyed with the io_context can still
  // deregister from it.
  asio::io_context io;
  tcp::acceptor acceptor;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> io_threads;
  std::uint16_t port = 0;

  std::mutex state_mutex;  // serialises start() and stop()
  bool started = false;
  bool stopped = false;

  // Wakes run(); separate from state_mutex because the signal handler runs on an I/O
  // thread, which stop() joins while holding state_mutex.
  std::mutex wake_mutex;
  std::condition_variable wake_changed;
  bool wake = false;

  void request_stop() {
    std::lock_guard wake_lock(wake_mutex);
    wake = true;
    wake_changed.notify_all();
  }
};

void Server::Impl::start() {
  std::lock_guard lock(state_mutex);
  if (started) {
    return;
  }
  const auto& options = context.options();
  auto endpoint = resolve_listen_endpoint(io, options);
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec)
    acceptor.bind(endpoint, ec);
  if (!ec)
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw core::Error::unavailable(
        "the server cannot start",
        fmt::format("cannot listen on {}:{}: {}", options.host, options.port, ec.message()));
  }
  port = acceptor.local_endpoint().port();

  work.emplace(io.get_executor());
  asio::co_spawn(acceptor.get_executor(), accept_loop(), asio::detached);
  for (int i = 0; i < std::max(1, options.io_threads); ++i) {
    io_threads.emplace_back([this] { io.run(); });
  }
  started = true;
  spdlog::info(
      "{} listening on {}:{} (io_threads={}, worker_threads={}, max_connections={}, "
      "max_body_bytes={}, max_header_bytes={}, read_timeout={}ms, idle_timeout={}ms)",
      options.service_name, options.host, port, options.io_threads, options.worker_threads,
      options.max_connections, options.max_body_bytes, options.max_header_bytes,
      options.read_timeout.count(), options.idle_timeout.count());
}

asio::awaitable<void> Server::Impl::accept_loop() {
  asio::steady_timer backoff(acceptor.get_executor());
  while (!context.stopping()) {
    tcp::socket socket(asio::make_strand(io));
    boost::system::error_code ec;
    co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
      break;
    }
    if (ec) {
      // Typically EMFILE: pause briefly instead of spinning on the error.
      spdlog::warn("accept failed on port {}: {}; retrying in 100 ms", port, ec.message());
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    start_http_session(context, std::move(socket));
  }
}

void Server::Impl::stop() {
  std::unique_lock lock(state_mutex);
  if (!started || stopped) {
    return;
  }
  const auto& options = context.options();
  auto open = context.connections();
  spdlog::info("{} stopping: {} open connections, shutdown_grace={}ms", options.service_name,
               open.size(), options.shutdown_grace.count());
  context.set_stopping();
  // Closed on its strand, and waited for, so that the port rejects connections once stop()
  // returns even when nothing else keeps the I/O threads busy.
  std::promise<void> acceptor_closed;
  asio::post(acceptor.get_executor(), [this, &acceptor_closed] {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    acceptor_closed.set_value();
  });
  acceptor_closed.get_future().wait();
  for (const auto& connection : open) {
    connection->shut_down();
  }
  open.clear();

  auto deadline = std::chrono::steady_clock::now() + options.shutdown_grace;
  if (!context.wait_until_drained(deadline)) {
    auto remaining = context.connections();
    spdlog::warn("{} closing {} connections still open after the shutdown grace period",
                 options.service_name, remaining.size());
    for (const auto& connection : remaining) {
      connection->abort();
    }
    // Aborted WebSockets still run on_close on a worker, so the pool must stay up for it.
    context.wait_until_drained(std::chrono::steady_clock::now() + std::chrono::seconds(1));
  }
  // Handlers still running finish before the I/O threads go, so their sessions can end.
  context.join_workers();

  work.reset();
  io.stop();
  for (auto& thread : io_threads) {
    thread.join();
  }
  io_threads.clear();
  stopped = true;
  spdlog::info("{} stopped", options.service_name);
}

Server::Server(ServerOptions options, Router router, ReadinessCheck readiness)
    : impl_(std::make_unique<Impl>(std::move(options),
                                   with_builtin_routes(std::move(router), std::move(readiness)))) {}

Server::~Server() {
  stop();
}

void Server::start() {
  impl_->start();
}

std::uint16_t Server::port() const {
  return impl_->port;
}

void Server::run() {
  start();
  asio::signal_set signals(impl_->io, SIGINT, SIGTERM);
  signals.async_wait([this](const boost::system::error_code& ec, int signal_number) {
    if (ec) {
      return;
    }
    spdlog::info("received signal {}", signal_number);
    impl_->request_stop();
  });
  {
    std::unique_lock lock(impl_->wake_mutex);
    impl_->wake_changed.wait(lock, [this] { return impl_->wake; });
  }
  boost::system::error_code ignored;
  signals.cancel(ignored);
  stop();
}

void Server::stop() {
  impl_->request_stop();
  impl_->stop();
}

}  // namespace surplus::http
