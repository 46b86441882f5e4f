#include "websocket_session.hpp"

#include <array>
#include <list>
#include <optional>

#include <boost/beast/websocket/stream.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <surplus/core/error.hpp>
#include <surplus/core/log.hpp>

#include "compact_websocket_session.hpp"
#include "websocket_frame.hpp"
#include "websocket_handle.hpp"

namespace surplus::http {

void WebSocketHandler::on_binary(std::string_view) {
  throw core::Error(core::ErrorCode::kUnsupportedMedia, "binary messages are not accepted");
}

PreparedMessage::PreparedMessage(std::string text) {
  std::array<std::uint8_t, websocket_frame::kMaxServerHeader> header{};
  header_size_ =
      websocket_frame::write_server_header(header, websocket_frame::Opcode::kText, text.size());
  frame_.reserve(header_size_ + text.size());
  frame_.append(reinterpret_cast<const char*>(header.data()), header_size_);
  frame_ += text;
}

bool WebSocketConnection::send_prepared(std::span<const SharedMessage> messages) {
  for (const auto& message : messages) {
    if (!send(std::string(message->text()))) {
      return false;
    }
  }
  return true;
}

bool offers_subprotocol(std::string_view offered, std::string_view subprotocol) {
  if (subprotocol.empty()) {
    return false;
  }
  while (!offered.empty()) {
    const auto comma = offered.find(',');
    std::string_view token = offered.substr(0, comma);
    offered = comma == std::string_view::npos ? std::string_view() : offered.substr(comma + 1);
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) {
      token.remove_prefix(1);
    }
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) {
      token.remove_suffix(1);
    }
    if (token == subprotocol) {
      return true;
    }
  }
  return false;
}

namespace {

namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;

// A read buffer that grew beyond this for a large message is released afterwards, so an
// idle connection keeps only a small buffer.
constexpr std::size_t kRetainedReadBufferBytes = 2048;

// The session on Beast's websocket::stream, used when WebSocketOptions::compact_framing is
// off. An idle connection costs about 5.5 KB of heap: glibc mallinfo2 on a Release build
// with 3,000 idle loopback connections (a throwaway program, not in the repository). The
// coroutine frames of run() and read_loop() and Beast's fixed 1,536-byte read buffer are
// the largest parts, by estimate from their sizes.
class WebSocketSession : public Connection, public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(ServerContext& context, tcp::socket socket,
                   std::shared_ptr<WebSocketHandler> handler, const WebSocketOptions& options,
                   std::string remote_address, std::string request_id)
      : context_(context),
        ws_(std::move(socket)),
        callbacks_(asio::make_strand(context.workers())),
        handler_(std::move(handler)),
        options_(options),
        remote_address_(std::move(remote_address)),
        request_id_(std::move(request_id)),
        timer_(ws_.get_executor()) {}

  ~WebSocketSession() override { context_.remove_connection(this); }

  void start(beast::http::request<beast::http::string_body> upgrade);

  bool enqueue(std::string data, bool text);
  void close(std::uint16_t code, std::string reason);
  bool is_open() const;
  const std::string& remote_address() const { return remote_address_; }
  const std::string& request_id() const { return request_id_; }
  std::size_t queued_bytes() const;

  // Connection
  void shut_down() override { close(kCloseGoingAway, "server shutting down"); }
  void abort() override {
    asio::post(ws_.get_executor(),
               [self = shared_from_this()] { self->abort_socket("server stopped"); });
  }

 private:
  enum class State { kOpening, kOpen, kClosing, kClosed };
  struct Outgoing {
    std::string data;
    bool text = true;
  };

  asio::awaitable<void> run(beast::http::request<beast::http::string_body> upgrade);
  asio::awaitable<bool> accept(beast::http::request<beast::http::string_body>& upgrade);
  asio::awaitable<void> read_loop(boost::system::error_code& ec);
  // Runs a handler callback on the worker strand; an exception closes the connection.
  template <typename Callback>
  asio::awaitable<void> call_handler(const char* name, Callback callback);
  void finish(const boost::system::error_code& ec, std::uint16_t& code, std::string& reason);

  void write_next();
  void begin_close();
  void try_close();
  void abort_socket(std::string reason);
  void close_socket();
  void send_ping();
  void schedule_timer();
  void on_timer();

  ServerContext& context_;
  // On a plain socket, not beast::tcp_stream: the WebSocket layer has its own timer, and
  // tcp_stream's three timers would add several hundred bytes per connection.
  websocket::stream<tcp::socket> ws_;
  asio::strand<asio::thread_pool::executor_type> callbacks_;
  std::shared_ptr<WebSocketHandler> handler_;
  WebSocketOptions options_;
  std::string remote_address_;
  std::string request_id_;
  beast::flat_buffer read_buffer_;
  asio::steady_timer timer_;

  // Shared with send() and close() on other threads.
  mutable std::mutex mutex_;
  State state_ = State::kOpening;
  std::list<Outgoing> queue_;     // a list allocates nothing while empty, unlike std::deque
  std::size_t queued_bytes_ = 0;  // queued plus the message being written
  bool writer_active_ = false;
  std::uint16_t close_code_ = kCloseNormal;
  std::string close_reason_;

  // Used only on the stream's strand.
  Outgoing current_;
  bool ping_in_flight_ = false;
  bool awaiting_pong_ = false;
  bool close_started_ = false;
  std::optional<Clock::time_point> close_deadline_;
  Clock::time_point ping_sent_at_;
  Clock::time_point last_frame_at_;
  Clock::time_point last_message_at_;
  std::string abort_reason_;
};

void WebSocketSession::start(beast::http::request<beast::http::string_body> upgrade) {
  asio::co_spawn(
      ws_.get_executor(),
      [self = shared_from_this(), upgrade = std::move(upgrade)]() mutable {
        return self->run(std::move(upgrade));
      },
      asio::detached);
}

asio::awaitable<bool> WebSocketSession::accept(
    beast::http::request<beast::http::string_body>& upgrade) {
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = options_.close_timeout;
  timeouts.idle_timeout = websocket::stream_base::none();
  timeouts.keep_alive_pings = false;
  ws_.set_option(timeouts);
  std::string selected_subprotocol;
  const auto offered = upgrade[beast::http::field::sec_websocket_protocol];
  if (offers_subprotocol(std::string_view(offered.data(), offered.size()), options_.subprotocol)) {
    selected_subprotocol = options_.subprotocol;
  }
  ws_.set_option(websocket::stream_base::decorator(
      [id = request_id_, selected_subprotocol](websocket::response_type& response) {
        response.set("X-Request-Id", id);
        if (!selected_subprotocol.empty()) {
          response.set(beast::http::field::sec_websocket_protocol, selected_subprotocol);
        }
      }));
  ws_.read_message_max(options_.max_message_bytes);
  // Without fragmentation and compression Beast writes straight from our string and keeps
  // no write buffer per connection.
  ws_.auto_fragment(false);
  ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
    last_frame_at_ = Clock::now();
    if (kind == websocket::frame_type::pong) {
      awaiting_pong_ = false;
    }
  });

  boost::system::error_code ec;
  co_await ws_.async_accept(upgrade, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    spdlog::debug("WebSocket handshake with {} failed: {}", remote_address_, ec.message());
    co_return false;
  }
  std::lock_guard lock(mutex_);
  state_ = State::kOpen;
  co_return true;
}

asio::awaitable<void> WebSocketSession::run(
    beast::http::request<beast::http::string_body> upgrade) {
  if (!co_await accept(upgrade)) {
    co_return;
  }
  upgrade = {};
  context_.open_websockets().add(1);
  last_frame_at_ = last_message_at_ = Clock::now();

  co_await call_handler("on_open", [this] {
    handler_->on_open(std::make_shared<WebSocketHandle<WebSocketSession>>(shared_from_this()));
  });
  if (context_.stopping()) {
    // stop() ignored this session while its handshake was in progress.
    close(kCloseGoingAway, "server shutting down");
  }
  schedule_timer();
  boost::system::error_code ec;
  co_await read_loop(ec);

  std::uint16_t code = kCloseAbnormal;
  std::string reason;
  finish(ec, code, reason);
  context_.open_websockets().add(-1);
  spdlog::debug("WebSocket from {} closed with {} {}", remote_address_, code, reason);
  co_await call_handler("on_close", [this, code, &reason] { handler_->on_close(code, reason); });
  // Handlers usually keep their connection; dropping the handler here breaks that cycle.
  handler_.reset();
}

asio::awaitable<void> WebSocketSession::read_loop(boost::system::error_code& ec) {
  while (true) {
    co_await ws_.async_read(read_buffer_, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      co_return;
    }
    last_frame_at_ = last_message_at_ = Clock::now();
    awaiting_pong_ = false;
    std::string_view data(static_cast<const char*>(read_buffer_.data().data()),
                          read_buffer_.size());
    if (ws_.got_text()) {
      co_await call_handler("on_message", [this, data] { handler_->on_message(data); });
    } else {
      co_await call_handler("on_binary", [this, data] { handler_->on_binary(data); });
    }
    read_buffer_.consume(read_buffer_.size());
    if (read_buffer_.capacity() > kRetainedReadBufferBytes) {
      read_buffer_.shrink_to_fit();
    }
  }
}

template <typename Callback>
asio::awaitable<void> WebSocketSession::call_handler(const char* name, Callback callback) {
  std::optional<std::pair<std::uint16_t, std::string>> failure;
  co_await offload(callbacks_, [&] {
    core::ScopedRequestId scope(request_id_);
    try {
      callback();
    } catch (const core::Error& error) {
      if (error.code() == core::ErrorCode::kUnsupportedMedia) {
        failure.emplace(kCloseUnsupported, error.message());
        return;
      }
      spdlog::error("WebSocket {} from {} failed: {} ({})", name, remote_address_, error.message(),
                    error.detail());
      failure.emplace(kCloseInternal, "internal error");
    } catch (const std::exception& error) {
      spdlog::error("WebSocket {} from {} failed: {}", name, remote_address_, error.what());
      failure.emplace(kCloseInternal, "internal error");
    }
  });
  if (failure) {
    close(failure->first, std::move(failure->second));
  }
}

// Works out the code reported to on_close and releases what the connection holds.
void WebSocketSession::finish(const boost::system::error_code& ec, std::uint16_t& code,
                              std::string& reason) {
  {
    std::lock_guard lock(mutex_);
    if (state_ == State::kClosing) {
      code = close_code_;
      reason = close_reason_;
    } else if (ec == websocket::error::closed) {
      code = ws_.reason().code == websocket::close_code::none ? kCloseNormal : ws_.reason().code;
      reason = std::string(ws_.reason().reason.c_str());
    } else if (ec == websocket::error::message_too_big) {
      // NOTE: Beast sends close 1009 here. Its teardown in 1.74 may close the socket before
      // the rest of an oversized frame is read, so the client can get a TCP reset that
      // discards the close frame. Only on_close reliably reports 1009.
      code = kCloseTooBig;
      reason = "message too big";
    } else {
      code = kCloseAbnormal;
      reason = abort_reason_.empty() ? ec.message() : abort_reason_;
    }
    state_ = State::kClosed;
    queue_.clear();
    queued_bytes_ = 0;
  }
  timer_.cancel();
  close_socket();
  read_buffer_ = {};
}

bool WebSocketSession::enqueue(std::string data, bool text) {
  std::unique_lock lock(mutex_);
  if (state_ != State::kOpen) {
    return false;
  }
  if (queue_.size() + 1 > options_.max_queue_messages ||
      queued_bytes_ + data.size() > options_.max_queue_bytes) {
    spdlog::warn("closing WebSocket from {}: send queue full ({} messages, {} bytes)",
                 remote_address_, queue_.size(), queued_bytes_);
    state_ = State::kClosing;
    close_code_ = kCloseQueueOverflow;
    close_reason_ = "send queue overflow";
    for (const auto& message : queue_) {
      queued_bytes_ -= message.data.size();
    }
    queue_.clear();
    lock.unlock();
    asio::post(ws_.get_executor(), [self = shared_from_this()] { self->begin_close(); });
    return false;
  }
  queued_bytes_ += data.size();
  queue_.push_back({std::move(data), text});
  if (!writer_active_) {
    writer_active_ = true;
    lock.unlock();
    asio::post(ws_.get_executor(), [self = shared_from_this()] { self->write_next(); });
  }
  return true;
}

void WebSocketSession::write_next() {
  std::unique_lock lock(mutex_);
  if (queue_.empty() || state_ == State::kClosed) {
    writer_active_ = false;
    bool closing = state_ == State::kClosing;
    lock.unlock();
    if (closing) {
      try_close();
    }
    return;
  }
  current_ = std::move(queue_.front());
  queue_.pop_front();
  lock.unlock();

  ws_.text(current_.text);
  ws_.async_write(asio::buffer(current_.data), [self = shared_from_this()](
                                                   boost::system::error_code ec, std::size_t) {
    {
      std::lock_guard done_lock(self->mutex_);
      if (self->state_ != State::kClosed) {
        self->queued_bytes_ -= self->current_.data.size();
      }
    }
    self->current_ = {};
    if (ec) {
      std::lock_guard done_lock(self->mutex_);
      self->writer_active_ = false;
      return;  // the pending read fails on the broken connection and ends the session
    }
    self->write_next();
  });
}

void WebSocketSession::close(std::uint16_t code, std::string reason) {
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::kOpen) {
      return;
    }
    state_ = State::kClosing;
    close_code_ = code;
    close_reason_ = std::move(reason);
  }
  asio::post(ws_.get_executor(), [self = shared_from_this()] { self->begin_close(); });
}

bool WebSocketSession::is_open() const {
  std::lock_guard lock(mutex_);
  return state_ == State::kOpen;
}

std::size_t WebSocketSession::queued_bytes() const {
  std::lock_guard lock(mutex_);
  return queued_bytes_;
}

// Arms the close deadline, then sends the close frame once queued messages are written.
// A peer that stops reading never lets the pending write finish; the deadline drops it.
void WebSocketSession::begin_close() {
  if (!close_deadline_) {
    close_deadline_ = Clock::now() + options_.close_timeout;
    schedule_timer();
  }
  try_close();
}

void WebSocketSession::try_close() {
  if (close_started_ || ping_in_flight_) {
    return;
  }
  websocket::close_reason reason;
  {
    std::lock_guard lock(mutex_);
    if (writer_active_ || state_ != State::kClosing) {
      return;
    }
    // RFC 6455 allows 123 bytes of reason in a close frame.
    reason = websocket::close_reason(
        static_cast<websocket::close_code>(close_code_),
        beast::string_view(close_reason_.data(), std::min<std::size_t>(close_reason_.size(), 123)));
  }
  close_started_ = true;
  ws_.async_close(reason, [self = shared_from_this()](boost::system::error_code ec) {
    if (ec) {
      self->abort_socket("close handshake failed: " + ec.message());
    }
  });
}

void WebSocketSession::abort_socket(std::string reason) {
  if (abort_reason_.empty()) {
    abort_reason_ = std::move(reason);
  }
  timer_.cancel();
  close_socket();
}

void WebSocketSession::close_socket() {
  boost::system::error_code ignored;
  ws_.next_layer().close(ignored);
}

void WebSocketSession::send_ping() {
  if (ping_in_flight_ || close_started_) {
    return;
  }
  ping_in_flight_ = true;
  awaiting_pong_ = true;
  ping_sent_at_ = Clock::now();
  ws_.async_ping({}, [self = shared_from_this()](boost::system::error_code) {
    self->ping_in_flight_ = false;
    if (self->close_deadline_) {
      self->try_close();
    }
  });
}

void WebSocketSession::schedule_timer() {
  if (!ws_.next_layer().is_open()) {
    return;
  }
  auto next = Clock::time_point::max();
  if (close_deadline_) {
    next = *close_deadline_;
  } else {
    if (options_.ping_interval.count() > 0) {
      next = awaiting_pong_ ? ping_sent_at_ + options_.pong_timeout
                            : last_frame_at_ + options_.ping_interval;
    }
    if (options_.idle_timeout.count() > 0) {
      next = std::min(next, last_message_at_ + options_.idle_timeout);
    }
  }
  if (next == Clock::time_point::max()) {
    return;
  }
  timer_.expires_at(next);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) {
      self->on_timer();
    }
  });
}

void WebSocketSession::on_timer() {
  auto now = Clock::now();
  if (close_deadline_) {
    if (now >= *close_deadline_) {
      abort_socket("close handshake timed out");
      return;
    }
  } else if (options_.idle_timeout.count() > 0 && now >= last_message_at_ + options_.idle_timeout) {
    close(kCloseIdle, "idle timeout");
    return;  // begin_close, posted by close(), re-arms the timer
  } else if (awaiting_pong_ && now >= ping_sent_at_ + options_.pong_timeout) {
    abort_socket(fmt::format("no pong within {} ms", options_.pong_timeout.count()));
    return;
  } else if (options_.ping_interval.count() > 0 && !awaiting_pong_ &&
             now >= last_frame_at_ + options_.ping_interval) {
    send_ping();
  }
  schedule_timer();
}

}  // namespace

void start_websocket_session(ServerContext& context, beast::tcp_stream stream,
                             beast::http::request<beast::http::string_body> upgrade,
                             std::shared_ptr<WebSocketHandler> handler,
                             const WebSocketOptions& options, std::string remote_address,
                             std::string request_id) {
  if (options.compact_framing) {
    start_compact_websocket_session(context, stream.release_socket(), std::move(upgrade),
                                    std::move(handler), options, std::move(remote_address),
                                    std::move(request_id));
    return;
  }
  auto session =
      std::make_shared<WebSocketSession>(context, stream.release_socket(), std::move(handler),
                                         options, std::move(remote_address), std::move(request_id));
  if (!context.add_connection(session)) {
    return;  // the server is at max_connections; the session's destructor closes the socket
  }
  session->start(std::move(upgrade));
}

}  // namespace surplus::http
