#include "compact_websocket_session.hpp"

#include <array>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <surplus/core/error.hpp>
#include <surplus/core/log.hpp>
#include <surplus/core/utf8.hpp>

#include "websocket_frame.hpp"
#include "websocket_handle.hpp"

namespace surplus::http {
namespace {

namespace frame = websocket_frame;
using frame::Opcode;
using Clock = std::chrono::steady_clock;
using Upgrade = beast::http::request<beast::http::string_body>;

// Bytes read at a time while discarding what a peer sends after a framing error.
constexpr std::size_t kDrainChunkBytes = 4096;
// Prepared frames written by one system call, well below IOV_MAX (1024 on Linux).
constexpr std::size_t kMaxGatheredFrames = 64;

// One connection after the handshake. An idle connection keeps this object, its socket,
// timer and strands, and one pending 2-byte read: no read or write buffer. A message
// buffer exists only from a data frame's header until the handler has seen the message.
//
// Threads: the socket's strand runs the I/O and the members marked "strand only". The
// worker strand `callbacks_` runs the handler. enqueue(), close() and the accessors may
// run on any thread, and they share the members under `mutex_`.
class CompactSession : public Connection, public std::enable_shared_from_this<CompactSession> {
 public:
  CompactSession(ServerContext& context, tcp::socket socket,
                 std::shared_ptr<WebSocketHandler> handler, const WebSocketOptions& options,
                 std::string remote_address, std::string request_id)
      : context_(context),
        socket_(std::move(socket)),
        callbacks_(asio::make_strand(context.workers())),
        handler_(std::move(handler)),
        options_(options),
        remote_address_(std::move(remote_address)),
        request_id_(std::move(request_id)),
        timer_(socket_.get_executor()) {}

  ~CompactSession() override { context_.remove_connection(this); }

  void start(Upgrade upgrade);

  bool enqueue(std::string data, bool text);
  bool enqueue_prepared(std::span<const SharedMessage> messages);
  void close(std::uint16_t code, std::string reason);
  bool is_open() const;
  const std::string& remote_address() const { return remote_address_; }
  const std::string& request_id() const { return request_id_; }
  std::size_t queued_bytes() const;

  // Connection
  void shut_down() override { close(kCloseGoingAway, "server shutting down"); }
  void abort() override {
    asio::post(socket_.get_executor(),
               [self = shared_from_this()] { self->abort_socket("server stopped"); });
  }

 private:
  enum class State { kOpening, kOpen, kClosing, kClosed };
  struct Outgoing {
    std::string data;
    bool text = true;
    // `data` is the unsent rest of a frame, header included, that enqueue() began to send.
    // It goes out before anything else, so no other frame splits it.
    bool framed = false;
    // When set, the message to send instead of `data`, already framed.
    SharedMessage prepared;

    // The bytes counted against max_queue_bytes: the payload, or the rest of a frame.
    std::size_t counted_bytes() const { return prepared ? prepared->text().size() : data.size(); }
  };

  void on_handshake(const boost::system::error_code& ec);

  void read_header();
  void read_header_rest();
  void on_header();
  void read_payload();
  void on_payload();
  void on_control_frame();
  void on_message();
  void release_message();
  void fail(std::uint16_t code, std::string reason);
  void drain();
  void end(const boost::system::error_code& ec);

  // Runs `callback` on the worker strand, then `next` on the socket's strand. An exception
  // from the callback closes the connection as WebSocketHandler documents.
  template <typename Callback, typename Next>
  void call_handler(const char* name, Callback callback, Next next);
  void run_callback(const char* name, const std::function<void()>& callback);

  bool send_now(const std::string& data, bool text);
  std::size_t send_now(std::span<const SharedMessage> messages);
  void overflow(std::unique_lock<std::mutex>& lock);
  void drop_queued_messages();
  void write_next();
  void write_control(Opcode opcode, std::string_view payload);
  void begin_close();
  void try_close();
  void abort_socket(std::string reason);
  void close_socket();
  void send_ping();
  void schedule_timer();
  void on_timer();

  ServerContext& context_;
  tcp::socket socket_;
  asio::strand<asio::thread_pool::executor_type> callbacks_;
  std::shared_ptr<WebSocketHandler> handler_;
  WebSocketOptions options_;
  std::string remote_address_;
  std::string request_id_;
  asio::steady_timer timer_;

  // Exist only during the handshake.
  std::unique_ptr<Upgrade> upgrade_;
  std::unique_ptr<beast::websocket::stream<tcp::socket>> handshake_;

  // Shared with enqueue() and close() on other threads.
  mutable std::mutex mutex_;
  State state_ = State::kOpening;
  std::list<Outgoing> queue_;     // a list allocates nothing while empty, unlike std::deque
  std::size_t queued_bytes_ = 0;  // queued plus the message being written
  bool writer_active_ = false;    // a write_next() is posted or a data message is queued
  bool write_in_flight_ = false;  // an async write is in progress; set on the strand
  bool socket_closed_ = false;    // send_now() must not use the descriptor any more
  std::uint16_t close_code_ = kCloseNormal;
  std::string close_reason_;

  // Reading, strand only.
  std::array<std::uint8_t, frame::kMaxClientHeader> header_bytes_{};
  frame::ClientFrameHeader frame_;
  std::string message_;          // the data message being assembled, possibly from fragments
  std::size_t frame_start_ = 0;  // where the current frame's payload starts in message_
  std::string control_payload_;
  bool in_message_ = false;  // a fragmented message has started and not ended
  bool message_is_text_ = false;
  std::unique_ptr<std::array<char, kDrainChunkBytes>> drain_buffer_;

  // Writing and timing, strand only. A write sends either current_ or the frames of
  // current_prepared_, and current_bytes_ are the queued bytes that it accounts for.
  Outgoing current_;
  std::vector<SharedMessage> current_prepared_;
  std::size_t current_bytes_ = 0;
  std::array<std::uint8_t, frame::kMaxServerHeader> current_header_{};
  std::string control_out_;
  std::optional<std::string> pending_pong_;
  bool ping_pending_ = false;
  bool close_sent_ = false;
  bool close_received_ = false;
  bool failed_ = false;  // a framing error: the close frame is followed by a send shutdown
  bool ended_ = false;
  bool awaiting_pong_ = false;
  std::optional<Clock::time_point> close_deadline_;
  Clock::time_point ping_sent_at_;
  Clock::time_point last_frame_at_;
  Clock::time_point last_message_at_;
  std::string abort_reason_;
};

void CompactSession::start(Upgrade upgrade) {
  namespace websocket = beast::websocket;
  upgrade_ = std::make_unique<Upgrade>(std::move(upgrade));
  handshake_ = std::make_unique<websocket::stream<tcp::socket>>(std::move(socket_));

  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = options_.close_timeout;
  timeouts.idle_timeout = websocket::stream_base::none();
  timeouts.keep_alive_pings = false;
  handshake_->set_option(timeouts);
  std::string selected_subprotocol;
  const auto offered = (*upgrade_)[beast::http::field::sec_websocket_protocol];
  if (offers_subprotocol(std::string_view(offered.data(), offered.size()), options_.subprotocol)) {
    selected_subprotocol = options_.subprotocol;
  }
  handshake_->set_option(websocket::stream_base::decorator(
      [id = request_id_, selected_subprotocol](websocket::response_type& response) {
        response.set("X-Request-Id", id);
        if (!selected_subprotocol.empty()) {
          response.set(beast::http::field::sec_websocket_protocol, selected_subprotocol);
        }
      }));
  handshake_->async_accept(*upgrade_, [self = shared_from_this()](boost::system::error_code ec) {
    self->on_handshake(ec);
  });
}

void CompactSession::on_handshake(const boost::system::error_code& ec) {
  // Beast only wrote the 101 response, so no frame bytes are buffered in the stream.
  socket_ = std::move(handshake_->next_layer());
  handshake_.reset();
  upgrade_.reset();
  if (ec) {
    spdlog::debug("WebSocket handshake with {} failed: {}", remote_address_, ec.message());
    close_socket();
    return;
  }
  {
    std::lock_guard lock(mutex_);
    state_ = State::kOpen;
  }
  context_.open_websockets().add(1);
  last_frame_at_ = last_message_at_ = Clock::now();

  call_handler(
      "on_open",
      [this] {
        handler_->on_open(std::make_shared<WebSocketHandle<CompactSession>>(shared_from_this()));
      },
      [this] {
        if (context_.stopping()) {
          // stop() ignored this session while its handshake was in progress.
          close(kCloseGoingAway, "server shutting down");
        }
        schedule_timer();
        read_header();
      });
}

void CompactSession::read_header() {
  asio::async_read(socket_, asio::buffer(header_bytes_.data(), 2),
                   [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                     if (ec) {
                       self->end(ec);
                       return;
                     }
                     self->read_header_rest();
                   });
}

// Reads the extended length and the masking key that the first two bytes announce.
void CompactSession::read_header_rest() {
  auto rest = frame::client_header_size(header_bytes_[1]) - 2;
  asio::async_read(socket_, asio::buffer(header_bytes_.data() + 2, rest),
                   [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                     if (ec) {
                       self->end(ec);
                       return;
                     }
                     self->on_header();
                   });
}

void CompactSession::on_header() {
  auto size = frame::client_header_size(header_bytes_[1]);
  if (auto error = frame::parse_client_header(header_bytes_.data(), size, frame_)) {
    fail(*error, "invalid frame header");
    return;
  }
  last_frame_at_ = Clock::now();

  switch (frame_.opcode) {
    case Opcode::kText:
    case Opcode::kBinary:
      if (in_message_) {
        fail(frame::kCloseProtocol, "new message before the previous one ended");
        return;
      }
      in_message_ = true;
      message_is_text_ = frame_.opcode == Opcode::kText;
      break;
    case Opcode::kContinuation:
      if (!in_message_) {
        fail(frame::kCloseProtocol, "continuation frame without a message");
        return;
      }
      break;
    default:
      break;  // a control frame, checked by parse_client_header
  }
  bool is_data = frame_.opcode == Opcode::kText || frame_.opcode == Opcode::kBinary ||
                 frame_.opcode == Opcode::kContinuation;
  if (is_data && frame_.payload_size > options_.max_message_bytes - message_.size()) {
    fail(kCloseTooBig, "message too big");
    return;
  }
  read_payload();
}

void CompactSession::read_payload() {
  bool is_control = (static_cast<std::uint8_t>(frame_.opcode) & 0x8) != 0;
  auto size = static_cast<std::size_t>(frame_.payload_size);
  char* target = nullptr;
  if (is_control) {
    control_payload_.resize(size);
    target = control_payload_.data();
  } else {
    frame_start_ = message_.size();
    message_.resize(frame_start_ + size);
    target = message_.data() + frame_start_;
  }
  asio::async_read(socket_, asio::buffer(target, size),
                   [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                     if (ec) {
                       self->end(ec);
                       return;
                     }
                     self->on_payload();
                   });
}

void CompactSession::on_payload() {
  awaiting_pong_ = false;  // any complete frame shows that the client is alive
  if ((static_cast<std::uint8_t>(frame_.opcode) & 0x8) != 0) {
    frame::unmask(control_payload_.data(), control_payload_.size(), frame_.mask, 0);
    on_control_frame();
    return;
  }
  frame::unmask(message_.data() + frame_start_, message_.size() - frame_start_, frame_.mask, 0);
  if (!frame_.fin) {
    read_header();
    return;
  }
  on_message();
}

void CompactSession::on_control_frame() {
  auto payload = std::exchange(control_payload_, {});
  if (frame_.opcode == Opcode::kPing) {
    if (!close_sent_) {
      pending_pong_ = std::move(payload);
      write_next();
    }
    read_header();
    return;
  }
  if (frame_.opcode == Opcode::kPong) {
    read_header();
    return;
  }

  auto close = frame::parse_close_payload(payload);
  if (!close) {
    fail(frame::kCloseProtocol, "invalid close frame");
    return;
  }
  close_received_ = true;
  if (close_sent_) {
    // The closing handshake is complete; the server closes the TCP connection first.
    close_socket();
    end({});
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (state_ == State::kOpen) {
      state_ = State::kClosing;
      close_code_ = close->code == frame::kCloseNoStatus ? kCloseNormal : close->code;
      close_reason_ = std::move(close->reason);
    }
    // No data frame may follow a received close, so the close reply goes out next.
    drop_queued_messages();
  }
  begin_close();
  read_header();  // fails once the reply is written and the socket closed
}

void CompactSession::on_message() {
  in_message_ = false;
  last_message_at_ = Clock::now();
  if (message_is_text_ && !core::is_valid_utf8(message_)) {
    fail(frame::kCloseInvalidData, "text message is not valid UTF-8");
    return;
  }
  if (close_sent_) {
    release_message();
    read_header();  // a message after our close frame is read and dropped
    return;
  }
  auto next = [this] {
    release_message();
    read_header();
  };
  if (message_is_text_) {
    call_handler(
        "on_message", [this] { handler_->on_message(message_); }, next);
  } else {
    call_handler(
        "on_binary", [this] { handler_->on_binary(message_); }, next);
  }
}

// Gives the message buffer back, so an idle connection keeps none.
void CompactSession::release_message() {
  std::string().swap(message_);
  frame_start_ = 0;
}

// Closes the connection after a framing error by the peer: close frame with `code`, then
// a send shutdown, then the rest of what the peer sends is read and dropped until it
// closes. Reading on avoids the TCP reset that closing with unread data would cause, which
// could discard the close frame before the peer reads it.
void CompactSession::fail(std::uint16_t code, std::string reason) {
  spdlog::debug("WebSocket from {}: {}; closing with {}", remote_address_, reason, code);
  release_message();
  control_payload_ = {};
  in_message_ = false;
  if (close_sent_) {
    abort_socket(std::move(reason));
    drain();
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::kClosed) {
      state_ = State::kClosing;
      close_code_ = code;
      close_reason_ = std::move(reason);
    }
    drop_queued_messages();
  }
  failed_ = true;
  begin_close();
  drain();
}

void CompactSession::drain() {
  if (!drain_buffer_) {
    drain_buffer_ = std::make_unique<std::array<char, kDrainChunkBytes>>();
  }
  socket_.async_read_some(asio::buffer(*drain_buffer_),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                            if (ec) {
                              self->end(ec);
                              return;
                            }
                            self->drain();
                          });
}

// Runs once, when reading has stopped for good: works out the code reported to on_close
// and releases what the connection holds.
void CompactSession::end(const boost::system::error_code& ec) {
  if (ended_) {
    return;
  }
  ended_ = true;
  std::uint16_t code = kCloseAbnormal;
  std::string reason;
  {
    std::lock_guard lock(mutex_);
    if (state_ == State::kClosing) {
      code = close_code_;
      reason = close_reason_;
    } else if (!abort_reason_.empty()) {
      reason = abort_reason_;
    } else {
      reason = ec ? ec.message() : "connection closed";
    }
    state_ = State::kClosed;
    queue_.clear();
    queued_bytes_ = 0;
  }
  timer_.cancel();
  close_socket();
  release_message();
  drain_buffer_.reset();
  context_.open_websockets().add(-1);
  spdlog::debug("WebSocket from {} closed with {} {}", remote_address_, code, reason);

  asio::post(callbacks_, [self = shared_from_this(), code, reason = std::move(reason)] {
    self->run_callback("on_close", [&] { self->handler_->on_close(code, reason); });
    // Handlers usually keep their connection; dropping the handler here breaks that cycle.
    self->handler_.reset();
  });
}

template <typename Callback, typename Next>
void CompactSession::call_handler(const char* name, Callback callback, Next next) {
  asio::post(callbacks_, [self = shared_from_this(), name, callback = std::move(callback),
                          next = std::move(next)]() mutable {
    self->run_callback(name, callback);
    asio::post(self->socket_.get_executor(), [self, next = std::move(next)]() mutable { next(); });
  });
}

void CompactSession::run_callback(const char* name, const std::function<void()>& callback) {
  core::ScopedRequestId scope(request_id_);
  try {
    callback();
  } catch (const core::Error& error) {
    if (error.code() == core::ErrorCode::kUnsupportedMedia) {
      close(kCloseUnsupported, error.message());
      return;
    }
    spdlog::error("WebSocket {} from {} failed: {} ({})", name, remote_address_, error.message(),
                  error.detail());
    close(kCloseInternal, "internal error");
  } catch (const std::exception& error) {
    spdlog::error("WebSocket {} from {} failed: {}", name, remote_address_, error.what());
    close(kCloseInternal, "internal error");
  }
}

bool CompactSession::enqueue(std::string data, bool text) {
  std::unique_lock lock(mutex_);
  if (state_ != State::kOpen) {
    return false;
  }
  if (queue_.size() + 1 > options_.max_queue_messages ||
      queued_bytes_ + data.size() > options_.max_queue_bytes) {
    overflow(lock);
    return false;
  }
  if (!writer_active_ && !write_in_flight_ && !socket_closed_ && queue_.empty()) {
    if (send_now(data, text)) {
      return true;
    }
    if (!queue_.empty()) {
      // send_now() queued the rest of a partly sent frame; the strand writes it.
      writer_active_ = true;
      lock.unlock();
      asio::post(socket_.get_executor(), [self = shared_from_this()] { self->write_next(); });
      return true;
    }
  }
  queued_bytes_ += data.size();
  queue_.push_back({std::move(data), text, false, nullptr});
  if (!writer_active_) {
    writer_active_ = true;
    lock.unlock();
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->write_next(); });
  }
  return true;
}

bool CompactSession::enqueue_prepared(std::span<const SharedMessage> messages) {
  std::unique_lock lock(mutex_);
  if (state_ != State::kOpen) {
    return false;
  }

  if (!writer_active_ && !write_in_flight_ && !socket_closed_ && queue_.empty()) {
    auto handled = send_now(messages);
    messages = messages.subspan(handled);
    if (messages.empty() && queue_.empty()) {
      return true;
    }
  }
  // The bounds apply to what waits in the queue, as for enqueue(), so a batch larger than
  // the queue is accepted while the client keeps up.
  std::size_t bytes = 0;
  for (const auto& message : messages) {
    bytes += message->text().size();
  }
  if (queue_.size() + messages.size() > options_.max_queue_messages ||
      queued_bytes_ + bytes > options_.max_queue_bytes) {
    overflow(lock);
    return false;
  }

  for (const auto& message : messages) {
    queue_.push_back({{}, true, false, message});
  }
  queued_bytes_ += bytes;
  if (!writer_active_) {
    writer_active_ = true;
    lock.unlock();
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->write_next(); });
  }
  return true;
}

// Starts closing with kCloseQueueOverflow. Called with `lock` on `mutex_`, which it releases.
void CompactSession::overflow(std::unique_lock<std::mutex>& lock) {
  spdlog::warn("closing WebSocket from {}: send queue full ({} messages, {} bytes)",
               remote_address_, queue_.size(), queued_bytes_);
  state_ = State::kClosing;
  close_code_ = kCloseQueueOverflow;
  close_reason_ = "send queue overflow";
  drop_queued_messages();
  lock.unlock();
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->begin_close(); });
}

// Sends the whole frame of `data` with one non-blocking system call on the calling thread,
// which saves the hand-over to the socket's strand while the socket is idle. Returns true
// when the kernel took the whole frame. A partly sent frame has its rest queued as framed.
// Returns false with nothing queued when nothing was sent, so the caller queues the message.
// Called with `mutex_` held, which keeps close_socket() from closing the descriptor meanwhile.
bool CompactSession::send_now(const std::string& data, bool text) {
  std::array<std::uint8_t, frame::kMaxServerHeader> header{};
  auto header_size =
      frame::write_server_header(header, text ? Opcode::kText : Opcode::kBinary, data.size());
  std::array<iovec, 2> parts{iovec{header.data(), header_size},
                             iovec{const_cast<char*>(data.data()), data.size()}};
  msghdr message{};
  message.msg_iov = parts.data();
  message.msg_iovlen = parts.size();
  auto sent = ::sendmsg(socket_.native_handle(), &message, MSG_DONTWAIT | MSG_NOSIGNAL);
  if (sent <= 0) {
    return false;  // a full socket buffer or an error, which the queued write reports
  }
  auto total = header_size + data.size();
  if (static_cast<std::size_t>(sent) == total) {
    return true;
  }
  std::string rest(reinterpret_cast<const char*>(header.data()), header_size);
  rest += data;
  rest.erase(0, static_cast<std::size_t>(sent));
  queued_bytes_ += rest.size();
  queue_.push_back({std::move(rest), text, true, nullptr});
  return false;
}

// Sends the prepared frames of `messages` with non-blocking gathering system calls on the
// calling thread, up to kMaxGatheredFrames per call. Returns how many messages it handled:
// sent whole, or sent in part with the rest of that frame queued as framed, which is then
// the last one handled. Called with `mutex_` held, as the other send_now().
std::size_t CompactSession::send_now(std::span<const SharedMessage> messages) {
  std::size_t handled = 0;
  while (handled < messages.size()) {
    auto count = std::min(messages.size() - handled, kMaxGatheredFrames);
    std::array<iovec, kMaxGatheredFrames> parts{};
    std::size_t total = 0;
    for (std::size_t i = 0; i < count; ++i) {
      auto frame = messages[handled + i]->frame();
      parts[i] = iovec{const_cast<char*>(frame.data()), frame.size()};
      total += frame.size();
    }
    msghdr message{};
    message.msg_iov = parts.data();
    message.msg_iovlen = count;
    auto sent = ::sendmsg(socket_.native_handle(), &message, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent <= 0) {
      return handled;  // a full socket buffer or an error, which the queued write reports
    }
    if (static_cast<std::size_t>(sent) == total) {
      handled += count;
      continue;
    }

    // The socket buffer filled up: count the whole frames sent and queue a partial one's rest.
    auto unaccounted = static_cast<std::size_t>(sent);
    while (unaccounted > 0) {
      auto frame = messages[handled]->frame();
      ++handled;
      if (unaccounted < frame.size()) {
        std::string rest(frame.substr(unaccounted));
        queued_bytes_ += rest.size();
        queue_.push_back({std::move(rest), true, true, nullptr});
        break;
      }
      unaccounted -= frame.size();
    }
    return handled;
  }
  return handled;
}

// Drops the queued messages except the rest of a partly sent frame, which must still be
// completed before a close frame. Called with `mutex_` held.
void CompactSession::drop_queued_messages() {
  auto first_dropped = queue_.begin();
  if (first_dropped != queue_.end() && first_dropped->framed) {
    ++first_dropped;
  }
  for (auto it = first_dropped; it != queue_.end(); ++it) {
    queued_bytes_ -= it->counted_bytes();
  }
  queue_.erase(first_dropped, queue_.end());
}

// Starts the next write: the rest of a partly sent frame first, then a pong or ping, then
// the oldest queued message, then the close frame once the queue is empty in the closing
// state. One write is in flight at a time, as a TCP stream requires whole frames back to
// back, and write_in_flight_ is set in the same critical section as the choice, so that
// send_now() cannot slip a frame in between.
void CompactSession::write_next() {
  if (write_in_flight_ || close_sent_) {
    return;
  }
  std::unique_lock lock(mutex_);
  bool rest_first = !queue_.empty() && queue_.front().framed;
  if (!rest_first && (pending_pong_ || ping_pending_)) {
    write_in_flight_ = true;
    lock.unlock();
    if (pending_pong_) {
      auto payload = std::move(*pending_pong_);
      pending_pong_.reset();
      write_control(Opcode::kPong, payload);
    } else {
      ping_pending_ = false;
      write_control(Opcode::kPing, {});
    }
    return;
  }
  if (queue_.empty() || state_ == State::kClosed) {
    writer_active_ = false;
    bool closing = state_ == State::kClosing;
    lock.unlock();
    if (closing) {
      try_close();
    }
    return;
  }
  if (queue_.front().prepared) {
    // Consecutive prepared frames go out together, as send_now() sends them.
    while (!queue_.empty() && queue_.front().prepared &&
           current_prepared_.size() < kMaxGatheredFrames) {
      current_bytes_ += queue_.front().counted_bytes();
      current_prepared_.push_back(std::move(queue_.front().prepared));
      queue_.pop_front();
    }
  } else {
    current_ = std::move(queue_.front());
    queue_.pop_front();
    current_bytes_ = current_.data.size();
  }
  write_in_flight_ = true;
  lock.unlock();

  auto on_written = [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
    {
      std::lock_guard done_lock(self->mutex_);
      self->write_in_flight_ = false;
      if (self->state_ != State::kClosed) {
        self->queued_bytes_ -= self->current_bytes_;
      }
      if (ec) {
        self->writer_active_ = false;
      }
    }
    self->current_ = {};
    std::vector<SharedMessage>().swap(self->current_prepared_);
    self->current_bytes_ = 0;
    if (ec) {
      return;  // the pending read fails on the broken connection
    }
    self->write_next();
  };
  if (!current_prepared_.empty()) {
    std::vector<asio::const_buffer> buffers;
    buffers.reserve(current_prepared_.size());
    for (const auto& message : current_prepared_) {
      buffers.push_back(asio::buffer(message->frame().data(), message->frame().size()));
    }
    asio::async_write(socket_, buffers, std::move(on_written));
    return;
  }
  std::array<asio::const_buffer, 2> buffers{};
  if (current_.framed) {
    buffers[0] = asio::buffer(current_.data);
  } else {
    auto opcode = current_.text ? Opcode::kText : Opcode::kBinary;
    auto header_size = frame::write_server_header(current_header_, opcode, current_.data.size());
    buffers[0] = asio::buffer(current_header_.data(), header_size);
    buffers[1] = asio::buffer(current_.data);
  }
  asio::async_write(socket_, buffers, std::move(on_written));
}

void CompactSession::write_control(Opcode opcode, std::string_view payload) {
  control_out_ = frame::control_frame(opcode, payload);
  asio::async_write(socket_, asio::buffer(control_out_),
                    [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                      {
                        std::lock_guard done_lock(self->mutex_);
                        self->write_in_flight_ = false;
                      }
                      std::string().swap(self->control_out_);
                      if (!ec) {
                        self->write_next();
                      }
                    });
}

void CompactSession::close(std::uint16_t code, std::string reason) {
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::kOpen) {
      return;
    }
    state_ = State::kClosing;
    close_code_ = code;
    close_reason_ = std::move(reason);
  }
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->begin_close(); });
}

bool CompactSession::is_open() const {
  std::lock_guard lock(mutex_);
  return state_ == State::kOpen;
}

std::size_t CompactSession::queued_bytes() const {
  std::lock_guard lock(mutex_);
  return queued_bytes_;
}

// Arms the close deadline, then sends the close frame once queued messages are written.
// A peer that stops reading never lets the pending write finish; the deadline drops it.
void CompactSession::begin_close() {
  if (!close_deadline_) {
    close_deadline_ = Clock::now() + options_.close_timeout;
    schedule_timer();
  }
  try_close();
}

void CompactSession::try_close() {
  if (close_sent_ || write_in_flight_) {
    return;
  }
  std::string payload;
  {
    std::lock_guard lock(mutex_);
    if (writer_active_ || state_ != State::kClosing) {
      return;
    }
    payload = frame::close_payload(close_code_, close_reason_);
    write_in_flight_ = true;
  }
  close_sent_ = true;
  control_out_ = frame::control_frame(Opcode::kClose, payload);
  asio::async_write(socket_, asio::buffer(control_out_),
                    [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                      {
                        std::lock_guard done_lock(self->mutex_);
                        self->write_in_flight_ = false;
                      }
                      std::string().swap(self->control_out_);
                      if (ec) {
                        self->abort_socket("close handshake failed: " + ec.message());
                      } else if (self->close_received_) {
                        self->close_socket();  // the peer closed first; the reply ends it
                      } else if (self->failed_) {
                        boost::system::error_code ignored;
                        self->socket_.shutdown(tcp::socket::shutdown_send, ignored);
                      }
                    });
}

void CompactSession::abort_socket(std::string reason) {
  if (abort_reason_.empty()) {
    abort_reason_ = std::move(reason);
  }
  timer_.cancel();
  close_socket();
}

void CompactSession::close_socket() {
  {
    std::lock_guard lock(mutex_);
    socket_closed_ = true;
  }
  boost::system::error_code ignored;
  if (handshake_) {
    handshake_->next_layer().close(ignored);
  }
  socket_.close(ignored);
}

void CompactSession::send_ping() {
  if (ping_pending_ || awaiting_pong_ || close_deadline_) {
    return;
  }
  // The pong deadline counts from here, even when the ping waits behind a write.
  ping_pending_ = true;
  awaiting_pong_ = true;
  ping_sent_at_ = Clock::now();
  write_next();
}

void CompactSession::schedule_timer() {
  if (!socket_.is_open()) {
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

void CompactSession::on_timer() {
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

void start_compact_websocket_session(ServerContext& context, tcp::socket socket, Upgrade upgrade,
                                     std::shared_ptr<WebSocketHandler> handler,
                                     const WebSocketOptions& options, std::string remote_address,
                                     std::string request_id) {
  auto session =
      std::make_shared<CompactSession>(context, std::move(socket), std::move(handler), options,
                                       std::move(remote_address), std::move(request_id));
  if (!context.add_connection(session)) {
    return;  // the server is at max_connections; the session's destructor closes the socket
  }
  session->start(std::move(upgrade));
}

}  // namespace surplus::http
