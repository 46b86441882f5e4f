#include <chrono>

#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>
#include <surplus/core/log.hpp>

#include "problem.hpp"
#include "server_context.hpp"
#include "websocket_session.hpp"

namespace surplus::http {
namespace {

namespace bhttp = beast::http;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxRequestIdLength = 64;
// After an error response on a connection that is then closed, unread request bytes are
// drained for this long, so the client sees the response instead of a reset.
constexpr auto kLingerTime = std::chrono::seconds(1);

bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) {
    return false;
  }
  for (char c : id) {
    bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '-';
    if (!allowed) {
      return false;
    }
  }
  return true;
}

// Fills everything but path_params; throws core::Error BAD_REQUEST for a target that
// cannot be decoded.
Request to_request(BeastRequest& message, const std::string& remote_address) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.remote_address = remote_address;
  request.received_at = std::chrono::steady_clock::now();
  for (const auto& field : message) {
    request.headers.add(std::string(field.name_string()), std::string(field.value()));
  }
  auto header_id = request.header("X-Request-Id");
  request.request_id =
      header_id && is_sane_request_id(*header_id) ? std::string(*header_id) : core::new_uuid_v7();
  request.body = std::move(message.body());

  std::string_view target = request.target;
  auto question = target.find('?');
  auto path = percent_decode(target.substr(0, question));
  if (!path || path->empty() || path->front() != '/') {
    throw core::Error(core::ErrorCode::kBadRequest,
                      "the request target must be an absolute path with valid % escapes");
  }
  request.path = std::move(*path);
  if (question != std::string_view::npos) {
    auto query = parse_query(target.substr(question + 1));
    if (!query) {
      throw core::Error(core::ErrorCode::kBadRequest,
                        "the query string contains an invalid % escape");
    }
    request.query = std::move(*query);
  }
  return request;
}

BeastResponse to_beast(Response& response, unsigned version, bool head_request) {
  BeastResponse message;
  message.version(version);
  message.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers) {
    message.insert(name, value);
  }
  if (head_request) {
    message.content_length(response.body.size());
  } else {
    message.body() = std::move(response.body);
    message.prepare_payload();
  }
  return message;
}

class HttpSession : public Connection, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(ServerContext& context, tcp::socket socket, std::string remote_address)
      : context_(context),
        stream_(std::move(socket)),
        executor_(stream_.get_executor()),
        remote_address_(std::move(remote_address)) {}

  ~HttpSession() override { context_.remove_connection(this); }

  void start() {
    asio::co_spawn(
        stream_.get_executor(), [self = shared_from_this()] { return self->run(); },
        asio::detached);
  }

  void shut_down() override {
    asio::post(executor_, [self = shared_from_this()] {
      if (self->waiting_for_request_ && !self->handed_over_) {
        self->stream_.close();
      }
    });
  }

  void abort() override {
    asio::post(executor_, [self = shared_from_this()] {
      if (!self->handed_over_) {
        self->stream_.close();
      }
    });
  }

 private:
  asio::awaitable<void> run();
  asio::awaitable<bool> wait_for_request();
  asio::awaitable<bool> serve_request();
  asio::awaitable<bool> upgrade(BeastRequest& message, Request& request,
                                const Router::WebSocketRoute& route);
  asio::awaitable<bool> write(Response response, const BeastRequest& message, bool keep_alive);
  asio::awaitable<void> reject(Response response, unsigned version);
  asio::awaitable<void> linger_close();
  void log_request(const Request& request, int status, Clock::time_point started) const;

  ServerContext& context_;
  beast::tcp_stream stream_;
  asio::any_io_executor executor_;  // the connection's strand; stays valid after a hand-over
  beast::flat_buffer buffer_;
  std::string remote_address_;
  bool waiting_for_request_ = false;
  bool handed_over_ = false;  // the socket now belongs to a WebSocket session
};

asio::awaitable<void> HttpSession::run() {
  // Two statements, not `a && b`: g++ 12 mishandles co_await in a short-circuit operand.
  while (true) {
    if (!co_await wait_for_request()) {
      break;
    }
    if (!co_await serve_request()) {
      break;
    }
  }
  if (!handed_over_) {
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }
}

// Waits up to idle_timeout for the first byte of the next request. Returns false when the
// connection should close (timeout, end of stream, server stopping).
asio::awaitable<bool> HttpSession::wait_for_request() {
  if (buffer_.size() > 0) {
    co_return true;
  }
  if (context_.stopping()) {
    co_return false;
  }
  waiting_for_request_ = true;
  stream_.expires_after(context_.options().idle_timeout);
  boost::system::error_code ec;
  auto bytes = co_await stream_.async_read_some(buffer_.prepare(1024),
                                                asio::redirect_error(asio::use_awaitable, ec));
  waiting_for_request_ = false;
  if (ec) {
    co_return false;
  }
  buffer_.commit(bytes);
  co_return true;
}

// Reads one request, runs it and writes the response. Returns whether to keep the
// connection open for another request.
asio::awaitable<bool> HttpSession::serve_request() {
  const auto& options = context_.options();
  auto started = Clock::now();
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);
  stream_.expires_after(options.read_timeout);

  boost::system::error_code ec;
  co_await bhttp::async_read_header(stream_, buffer_, parser,
                                    asio::redirect_error(asio::use_awaitable, ec));
  if (!ec && !parser.chunked() && parser.get().count(bhttp::field::transfer_encoding) != 0) {
    // RFC 9112, section 6.3: without chunked as the final coding the body length is
    // unknown, so the request is rejected with 400 and the connection closed.
    const std::string coding(parser.get()[bhttp::field::transfer_encoding].substr(0, 64));
    co_await reject(problem_response(400, "BAD_REQUEST",
                                     fmt::format("Transfer-Encoding '{}' is not supported; send "
                                                 "the body with Content-Length or as chunked",
                                                 coding),
                                     std::string(parser.get().target())),
                    parser.get().version());
    co_return false;
  }
  if (!ec && parser.get()[bhttp::field::expect] == "100-continue") {
    BeastResponse go_on{bhttp::status::continue_, parser.get().version()};
    co_await bhttp::async_write(stream_, go_on, asio::redirect_error(asio::use_awaitable, ec));
  }
  if (!ec) {
    co_await bhttp::async_read(stream_, buffer_, parser,
                               asio::redirect_error(asio::use_awaitable, ec));
  }
  unsigned version = parser.is_header_done() ? parser.get().version() : 11;
  std::string instance = parser.is_header_done() ? std::string(parser.get().target()) : "";
  if (ec == bhttp::error::body_limit) {
    co_await reject(problem_response(413, "PAYLOAD_TOO_LARGE",
                                     fmt::format("the request body exceeds the limit of {} bytes",
                                                 options.max_body_bytes),
                                     instance),
                    version);
    co_return false;
  }
  if (ec == bhttp::error::header_limit) {
    co_await reject(problem_response(431, "HEADERS_TOO_LARGE",
                                     fmt::format("the request line and headers exceed the limit "
                                                 "of {} bytes",
                                                 options.max_header_bytes),
                                     instance),
                    version);
    co_return false;
  }
  if (ec == beast::error::timeout) {
    spdlog::debug("closed connection from {}: request not complete within {} ms", remote_address_,
                  options.read_timeout.count());
    co_return false;
  }
  if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
    co_return false;
  }
  if (ec) {
    co_await reject(
        problem_response(400, "BAD_REQUEST", "the request is not valid HTTP/1.1: " + ec.message(),
                         instance),
        version);
    co_return false;
  }

  BeastRequest& message = parser.get();
  Request request;
  std::optional<Response> invalid_target;
  try {
    request = to_request(message, remote_address_);
  } catch (const core::Error& error) {
    invalid_target = Response::problem(error, instance);
  }
  if (invalid_target) {
    co_await reject(std::move(*invalid_target), version);
    co_return false;
  }

  if (beast::websocket::is_upgrade(message)) {
    auto route = context_.router().find_websocket(request);
    if (route.factory != nullptr) {
      co_return co_await upgrade(message, request, route);
    }
  }

  const auto handle = [this, &request] {
    core::ScopedRequestId scope(request.request_id);
    return context_.router().handle(request);
  };
  Response response;
  if (context_.router().runs_inline(request)) {
    response = handle();
  } else {
    response = co_await offload(context_.workers(), handle);
  }
  response.headers.set("X-Request-Id", request.request_id);
  int status = response.status;
  bool keep_alive = message.keep_alive() && !context_.stopping();
  bool written = co_await write(std::move(response), message, keep_alive);
  log_request(request, status, started);
  co_return written&& keep_alive;
}

// Calls the route's factory; on success the socket moves to a WebSocket session and this
// session ends. A factory that throws gets its problem response instead.
asio::awaitable<bool> HttpSession::upgrade(BeastRequest& message, Request& request,
                                           const Router::WebSocketRoute& route) {
  auto started = Clock::now();
  std::optional<Response> refusal;
  auto handler = co_await offload(context_.workers(), [&]() -> std::shared_ptr<WebSocketHandler> {
    core::ScopedRequestId scope(request.request_id);
    try {
      auto created = (*route.factory)(request);
      if (!created) {
        throw core::Error::internal("WebSocket factory returned no handler");
      }
      return created;
    } catch (const core::Error& error) {
      if (error.http_status() >= 500) {
        spdlog::warn("WebSocket upgrade for {} failed: {} ({})", request.path, error.message(),
                     error.detail());
      }
      refusal = Response::problem(error, request.path);
    } catch (const std::exception& error) {
      spdlog::error("WebSocket upgrade for {} failed with an unexpected exception: {}",
                    request.path, error.what());
      refusal = Response::problem(
          core::Error(core::ErrorCode::kInternal, "an internal error occurred"), request.path);
    }
    return nullptr;
  });
  if (!handler) {
    refusal->headers.set("X-Request-Id", request.request_id);
    int status = refusal->status;
    bool keep_alive = message.keep_alive() && !context_.stopping();
    bool written = co_await write(std::move(*refusal), message, keep_alive);
    log_request(request, status, started);
    co_return written&& keep_alive;
  }
  log_request(request, 101, started);
  handed_over_ = true;
  // The WebSocket session registers the socket anew, so it counts once against
  // max_connections.
  context_.remove_connection(this);
  stream_.expires_never();
  start_websocket_session(context_, std::move(stream_), std::move(message), std::move(handler),
                          *route.options, remote_address_, request.request_id);
  co_return false;
}

asio::awaitable<bool> HttpSession::write(Response response, const BeastRequest& message,
                                         bool keep_alive) {
  if (response.status < 100 || response.status > 999) {
    spdlog::error("handler for {} returned invalid status {}; sending 500",
                  std::string(message.target()), response.status);
    response = Response::problem(
        core::Error(core::ErrorCode::kInternal, "an internal error occurred"), "");
  }
  auto reply = to_beast(response, message.version(), message.method() == bhttp::verb::head);
  reply.keep_alive(keep_alive);
  stream_.expires_after(context_.options().write_timeout);
  boost::system::error_code ec;
  co_await bhttp::async_write(stream_, reply, asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

// Sends an error response for a request that could not be read, then closes.
asio::awaitable<void> HttpSession::reject(Response response, unsigned version) {
  response.headers.set("X-Request-Id", core::new_uuid_v7());
  spdlog::info("rejected request from {} with status {}", remote_address_, response.status);
  context_.record_request("OTHER", response.status, 0);
  auto reply = to_beast(response, version, false);
  reply.keep_alive(false);
  stream_.expires_after(context_.options().write_timeout);
  boost::system::error_code ec;
  co_await bhttp::async_write(stream_, reply, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) {
    co_await linger_close();
  }
}

asio::awaitable<void> HttpSession::linger_close() {
  boost::system::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.expires_after(kLingerTime);
  std::array<char, 4096> scratch{};
  while (!ec) {
    co_await stream_.async_read_some(asio::buffer(scratch),
                                     asio::redirect_error(asio::use_awaitable, ec));
  }
}

void HttpSession::log_request(const Request& request, int status, Clock::time_point started) const {
  double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  context_.record_request(request.method, status, seconds);
  core::ScopedRequestId scope(request.request_id);
  bool probe =
      request.path == "/healthz" || request.path == "/readyz" || request.path == "/metrics";
  spdlog::log(probe ? spdlog::level::debug : spdlog::level::info, "{} {} {} {:.1f}ms",
              request.method, request.path, status, seconds * 1000);
}

}  // namespace

void start_http_session(ServerContext& context, tcp::socket socket) {
  boost::system::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  std::string remote_address = "unknown";
  if (!ec) {
    // Brackets keep the port apart from an IPv6 address, as in a URL.
    const std::string ip = peer.address().to_string();
    remote_address = peer.address().is_v6() ? fmt::format("[{}]:{}", ip, peer.port())
                                            : fmt::format("{}:{}", ip, peer.port());
  }
  auto session = std::make_shared<HttpSession>(context, std::move(socket), remote_address);
  if (!context.add_connection(session)) {
    context.log_rejected_connection(remote_address);
    return;  // the session's destructor closes the socket
  }
  session->start();
}

}  // namespace surplus::http
