#include <cerrno>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <variant>

#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <surplus/http/client.hpp>
#include <surplus/http/url.hpp>

#include "net.hpp"

namespace surplus::http {
namespace {

namespace bhttp = beast::http;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kUnavailableMessage = "a service this request depends on is unavailable";
constexpr std::string_view kTimeoutMessage =
    "a service this request depends on did not respond in time";

struct PooledConnection {
  explicit PooledConnection(asio::io_context& io) : stream(io) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  Clock::time_point idle_since;
};

using ConnectionPtr = std::unique_ptr<PooledConnection>;

struct HostPool {
  std::deque<ConnectionPtr> idle;  // most recently used at the back
  std::size_t open = 0;            // idle, in use and connecting
  std::deque<std::shared_ptr<asio::steady_timer>> waiters;
};

// Why an attempt failed, which decides whether it may be retried.
enum class FailureKind {
  kNotSent,       // connect failed or no pooled connection in time: the peer saw nothing
  kMaybeHandled,  // failed after the request was (partly) written
  kTimeout,       // no complete response within the request timeout
};

struct Failure {
  FailureKind kind;
  bool timed_out = false;
  std::string description;
};

bool is_idempotent(const ClientRequest& request) {
  if (request.idempotent) {
    return true;
  }
  for (std::string_view method : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}) {
    if (request.method == method) {
      return true;
    }
  }
  return false;
}

// Whether a pooled connection still looks usable: no EOF and no unexpected bytes from
// the server since its last response. Catches the common case of a server that closed
// an idle keep-alive connection.
bool looks_alive(tcp::socket& socket) {
  char byte = 0;
  auto received = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

Response to_response(bhttp::response<bhttp::string_body>& message) {
  Response response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    response.headers.add(std::string(field.name_string()), std::string(field.value()));
  }
  response.body = std::move(message.body());
  return response;
}

// Kept out of the coroutines: g++ 12 miscompiles some of this inside a coroutine body.
// Rejects a header that would change the request's framing. A CR or LF in a value ends the
// header line, so a value from a caller could add headers or a whole second request on the
// pooled connection, whose response another caller would then read.
void check_headers(const ClientRequest& request) {
  const auto breaks_framing = [](std::string_view text) {
    return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
  };
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || breaks_framing(name) || breaks_framing(value) ||
        name.find_first_of(" :") != std::string::npos) {
      throw core::Error::validation(
          std::string(name.substr(0, 64)),
          "a header name or value contains a line break, a NUL, or in the name a space or "
          "':'; the request was not sent");
    }
  }
}

bhttp::request<bhttp::string_body> to_message(const Url& url, const ClientRequest& request) {
  bhttp::request<bhttp::string_body> message;
  message.version(11);
  message.method_string(request.method);
  message.target(url.target);
  message.set(bhttp::field::host, fmt::format("{}:{}", url.host, url.port));
  for (const auto& [name, value] : request.headers) {
    message.insert(name, value);
  }
  message.body() = request.body;
  message.prepare_payload();
  message.keep_alive(true);
  return message;
}

}  // namespace

struct Client::Impl {
  explicit Impl(ClientOptions client_options)
      : options(std::move(client_options)), io(1), work(io.get_executor()) {
    thread = std::thread([this] { io.run(); });
  }

  asio::awaitable<void> execute(ClientRequest request, std::function<void(ClientResult)> done);
  asio::awaitable<std::variant<Response, Failure>> attempt(const Url& url,
                                                           const ClientRequest& request,
                                                           Clock::time_point deadline);
  asio::awaitable<ConnectionPtr> acquire(HostPool& pool, const Url& url, Clock::time_point deadline,
                                         std::optional<Failure>& failure);
  asio::awaitable<ConnectionPtr> connect(const Url& url, Clock::time_point deadline,
                                         std::optional<Failure>& failure);
  void release(HostPool& pool, ConnectionPtr connection, bool reusable);
  void shut_down();

  ClientOptions options;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::thread thread;

  // Used only on the I/O thread.
  std::map<std::string, HostPool> pools;
  std::set<PooledConnection*> in_use;
  bool closing = false;

  std::atomic<std::uint64_t> connections_created{0};
  std::atomic<std::uint64_t> connections_reused{0};
  std::atomic<std::uint64_t> retries{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::size_t> idle_connections{0};

  std::mutex pending_mutex;
  std::condition_variable pending_done;
  std::size_t pending = 0;
};

asio::awaitable<void> Client::Impl::execute(ClientRequest request,
                                            std::function<void(ClientResult)> done) {
  ClientResult result;
  std::string peer;
  try {
    auto url = Url::parse(request.url);
    check_headers(request);
    peer = fmt::format("{}:{}", url.host, url.port);
    bool retryable = is_idempotent(request);
    auto timeout = request.timeout.value_or(options.request_timeout);
    auto backoff = options.retry_backoff;
    for (int attempt_number = 1;; ++attempt_number) {
      bool last = attempt_number >= std::max(1, options.max_attempts) || closing;
      auto outcome = co_await attempt(url, request, Clock::now() + timeout);
      if (auto* response = std::get_if<Response>(&outcome)) {
        bool gateway_error =
            response->status == 502 || response->status == 503 || response->status == 504;
        if (!(gateway_error && retryable && !last)) {
          result.response = std::move(*response);
          break;
        }
        spdlog::warn("{} {} returned status {}; retrying (attempt {} of {})", request.method,
                     request.url, response->status, attempt_number + 1, options.max_attempts);
      } else {
        auto& failure = std::get<Failure>(outcome);
        bool may_retry = failure.kind == FailureKind::kNotSent ||
                         (failure.kind == FailureKind::kMaybeHandled && retryable);
        if (last || !may_retry) {
          auto detail = fmt::format("{} {}: {} (attempt {})", request.method, request.url,
                                    failure.description, attempt_number);
          result.error =
              failure.timed_out
                  ? core::Error(core::ErrorCode::kTimeout, std::string(kTimeoutMessage), detail)
                  : core::Error::unavailable(std::string(kUnavailableMessage), detail);
          break;
        }
        spdlog::warn("{} {} failed: {}; retrying (attempt {} of {})", request.method, request.url,
                     failure.description, attempt_number + 1, options.max_attempts);
      }
      retries.fetch_add(1);
      asio::steady_timer pause(io);
      pause.expires_after(backoff);
      boost::system::error_code ignored;
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      backoff *= 2;
    }
  } catch (const core::Error& error) {
    result.error = error;
  } catch (const std::exception& error) {
    result.error =
        core::Error::internal(fmt::format("{} {}: {}", request.method, request.url, error.what()));
  }
  try {
    done(std::move(result));
  } catch (const std::exception& error) {
    spdlog::error("HTTP client callback for {} {} threw: {}", request.method, request.url,
                  error.what());
  }
  std::lock_guard lock(pending_mutex);
  --pending;
  pending_done.notify_all();
}

asio::awaitable<std::variant<Response, Failure>> Client::Impl::attempt(const Url& url,
                                                                       const ClientRequest& request,
                                                                       Clock::time_point deadline) {
  auto& pool = pools[fmt::format("{}:{}", url.host, url.port)];
  std::optional<Failure> failure;
  auto connection = co_await acquire(pool, url, deadline, failure);
  if (!connection) {
    co_return std::move(*failure);
  }
  requests.fetch_add(1);
  in_use.insert(connection.get());
  auto message = to_message(url, request);
  auto& stream = connection->stream;
  stream.expires_at(deadline);
  boost::system::error_code ec;
  co_await bhttp::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(options.max_response_bytes);
  if (request.method == "HEAD") {
    parser.skip(true);
  }
  if (!ec) {
    co_await bhttp::async_read(stream, connection->buffer, parser,
                               asio::redirect_error(asio::use_awaitable, ec));
  }
  in_use.erase(connection.get());
  if (ec) {
    release(pool, std::move(connection), false);
    if (ec == beast::error::timeout) {
      co_return Failure{FailureKind::kTimeout, true, "no response within the request timeout"};
    }
    co_return Failure{FailureKind::kMaybeHandled, false, "connection failed: " + ec.message()};
  }
  bool reusable = parser.get().keep_alive();
  auto response = to_response(parser.get());
  release(pool, std::move(connection), reusable);
  co_return response;
}

asio::awaitable<ConnectionPtr> Client::Impl::acquire(HostPool& pool, const Url& url,
                                                     Clock::time_point deadline,
                                                     std::optional<Failure>& failure) {
  while (!closing) {
    while (!pool.idle.empty()) {
      auto connection = std::move(pool.idle.back());
      pool.idle.pop_back();
      idle_connections.fetch_sub(1);
      bool fresh = Clock::now() - connection->idle_since < options.pool_idle_timeout;
      if (fresh && looks_alive(connection->stream.socket())) {
        connections_reused.fetch_add(1);
        co_return connection;
      }
      --pool.open;
    }
    if (pool.open < options.max_connections_per_host) {
      ++pool.open;
      auto connection = co_await connect(url, deadline, failure);
      if (!connection) {
        release(pool, nullptr, false);
      }
      co_return connection;
    }
    auto waiter = std::make_shared<asio::steady_timer>(io, deadline);
    pool.waiters.push_back(waiter);
    boost::system::error_code ec;
    co_await waiter->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    std::erase(pool.waiters, waiter);
    if (!ec) {
      failure = Failure{FailureKind::kNotSent, true,
                        fmt::format("no free connection among {} within the request timeout",
                                    options.max_connections_per_host)};
      co_return nullptr;
    }
  }
  failure = Failure{FailureKind::kNotSent, false, "the client is shutting down"};
  co_return nullptr;
}

asio::awaitable<ConnectionPtr> Client::Impl::connect(const Url& url, Clock::time_point deadline,
                                                     std::optional<Failure>& failure) {
  auto connection = std::make_unique<PooledConnection>(io);
  auto connect_deadline = std::min(deadline, Clock::now() + options.connect_timeout);
  boost::system::error_code ec;
  tcp::resolver resolver(io);
  auto endpoints = co_await resolver.async_resolve(url.host, std::to_string(url.port),
                                                   asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    failure = Failure{FailureKind::kNotSent, false,
                      fmt::format("cannot resolve {}: {}", url.host, ec.message())};
    co_return nullptr;
  }
  connection->stream.expires_at(connect_deadline);
  co_await connection->stream.async_connect(endpoints,
                                            asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    bool timed_out = ec == beast::error::timeout;
    failure = Failure{FailureKind::kNotSent, timed_out,
                      fmt::format("connect to {}:{} failed: {}", url.host, url.port,
                                  timed_out ? "timed out" : ec.message())};
    co_return nullptr;
  }
  boost::system::error_code ignored;
  connection->stream.socket().set_option(tcp::no_delay(true), ignored);
  connections_created.fetch_add(1);
  co_return connection;
}

void Client::Impl::release(HostPool& pool, ConnectionPtr connection, bool reusable) {
  if (connection && reusable && !closing && connection->buffer.size() == 0) {
    connection->stream.expires_never();
    connection->idle_since = Clock::now();
    pool.idle.push_back(std::move(connection));
    idle_connections.fetch_add(1);
  } else {
    --pool.open;
  }
  if (!pool.waiters.empty()) {
    pool.waiters.front()->cancel();
    pool.waiters.pop_front();
  }
}

// Runs on the I/O thread: fails what is in progress so that every callback runs.
void Client::Impl::shut_down() {
  closing = true;
  for (auto& [key, pool] : pools) {
    idle_connections.fetch_sub(pool.idle.size());
    pool.open -= pool.idle.size();
    pool.idle.clear();
    for (auto& waiter : pool.waiters) {
      waiter->cancel();
    }
  }
  for (auto* connection : in_use) {
    connection->stream.close();
  }
}

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Client::~Client() {
  asio::post(impl_->io, [impl = impl_.get()] { impl->shut_down(); });
  {
    std::unique_lock lock(impl_->pending_mutex);
    impl_->pending_done.wait_for(lock, std::chrono::seconds(5),
                                 [this] { return impl_->pending == 0; });
  }
  impl_->work.reset();
  impl_->io.stop();
  impl_->thread.join();
}

void Client::send_async(ClientRequest request, std::function<void(ClientResult)> done) {
  {
    std::lock_guard lock(impl_->pending_mutex);
    ++impl_->pending;
  }
  asio::co_spawn(impl_->io, impl_->execute(std::move(request), std::move(done)), asio::detached);
}

Response Client::send(ClientRequest request) {
  if (impl_->io.get_executor().running_in_this_thread()) {
    throw std::logic_error("Client::send called from a send_async callback; it would deadlock");
  }
  std::promise<ClientResult> promise;
  auto future = promise.get_future();
  send_async(std::move(request),
             [&promise](ClientResult result) { promise.set_value(std::move(result)); });
  auto result = future.get();
  return std::move(result.value());
}

Response Client::get(std::string url, Headers headers) {
  ClientRequest request;
  request.url = std::move(url);
  request.headers = std::move(headers);
  return send(std::move(request));
}

Response Client::post_json(std::string url, const nlohmann::json& body, Headers headers) {
  auto request = ClientRequest::json("POST", std::move(url), body);
  for (const auto& [name, value] : headers) {
    request.headers.set(name, value);
  }
  return send(std::move(request));
}

ClientStats Client::stats() const {
  ClientStats stats;
  stats.connections_created = impl_->connections_created.load();
  stats.connections_reused = impl_->connections_reused.load();
  stats.retries = impl_->retries.load();
  stats.requests = impl_->requests.load();
  stats.idle_connections = impl_->idle_connections.load();
  return stats;
}

}  // namespace surplus::http
