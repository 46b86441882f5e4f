#include "load_client.hpp"

#include <charconv>
#include <cstring>
#include <deque>
#include <functional>
#include <random>
#include <string_view>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace surplus::bench {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr std::size_t kReadChunkBytes = 2048;
constexpr std::uint8_t kOpcodeText = 0x1;
constexpr std::uint8_t kOpcodeClose = 0x8;
constexpr std::uint8_t kOpcodePing = 0x9;
constexpr std::uint8_t kOpcodePong = 0xA;

std::string upgrade_request(const std::string& host, std::uint16_t port) {
  // A fixed key is enough: the client does not check Sec-WebSocket-Accept.
  return "GET /ws HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) +
         "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

// A client frame: FIN set, masked with a random key (RFC 6455, 5.3).
std::string masked_frame(std::uint8_t opcode, std::string_view payload) {
  static thread_local std::mt19937 random{std::random_device{}()};
  std::string frame;
  frame.push_back(static_cast<char>(0x80 | opcode));
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(0x80 | payload.size()));
  } else {
    frame.push_back(static_cast<char>(0x80 | 126));
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size() & 0xFF));
  }
  std::uint32_t key = random();
  char mask[4];
  std::memcpy(mask, &key, 4);
  frame.append(mask, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) {
    frame.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
  }
  return frame;
}

}  // namespace

std::int64_t steady_nanoseconds() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct LoadClient::Connection : std::enable_shared_from_this<Connection> {
  // The shard's one thread runs every handler of the socket, so no strand is needed.
  explicit Connection(Shard& shard_in) : shard(shard_in), socket(shard_in.io) {}

  Shard& shard;
  tcp::socket socket;
  std::string channel;
  std::string buffer;  // received bytes not yet handled, then free space
  std::size_t filled = 0;
  std::deque<std::string> outgoing;  // outgoing.front() is being written
  bool subscribed = false;
  bool finished = false;
};

LoadClient::LoadClient(std::string host, std::uint16_t port, int threads, int max_pending)
    : host_(std::move(host)),
      port_(port),
      max_pending_(max_pending),
      endpoint_(asio::ip::make_address(host_), port_) {
  for (int i = 0; i < threads; ++i) {
    shards_.push_back(std::make_unique<Shard>());
  }
  for (auto& shard : shards_) {
    threads_.emplace_back([io = &shard->io] {
      auto guard = asio::make_work_guard(*io);
      io->run();
    });
  }
}

LoadClient::~LoadClient() {
  close_all();
  for (auto& shard : shards_) {
    shard->io.stop();
  }
  for (auto& thread : threads_) {
    thread.join();
  }
}

std::size_t LoadClient::open(const std::vector<std::string>& channels,
                             std::chrono::seconds timeout) {
  std::size_t target = 0;
  {
    std::lock_guard lock(mutex_);
    channels_.insert(channels_.end(), channels.begin(), channels.end());
    target = channels_.size();
  }
  start_next();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (subscribed_.load() + failed_.load() < target &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  return subscribed_.load();
}

// Starts connections until max_pending are in their handshake or none is left.
void LoadClient::start_next() {
  std::vector<std::size_t> indexes;
  {
    std::lock_guard lock(mutex_);
    while (pending_ < static_cast<std::size_t>(max_pending_) && next_ < channels_.size()) {
      indexes.push_back(next_++);
      ++pending_;
    }
  }
  for (auto index : indexes) {
    connect(index);
  }
}

void LoadClient::connect(std::size_t index) {
  auto connection = std::make_shared<Connection>(*shards_[index % shards_.size()]);
  {
    std::lock_guard lock(mutex_);
    connection->channel = channels_[index];
    connections_.push_back(connection);
  }
  open_sockets_.fetch_add(1);
  connection->socket.async_connect(endpoint_, [this, connection](boost::system::error_code ec) {
    if (ec) {
      finish(*connection, false);
      return;
    }
    auto request = std::make_shared<std::string>(upgrade_request(host_, port_));
    asio::async_write(
        connection->socket, asio::buffer(*request),
        [this, connection, request](boost::system::error_code write_error, std::size_t) {
          if (write_error) {
            finish(*connection, false);
            return;
          }
          on_upgraded(connection);
        });
  });
}

// Reads the 101 response; bytes after it are already frames.
void LoadClient::on_upgraded(const std::shared_ptr<Connection>& connection) {
  auto& reading = *connection;
  if (reading.buffer.size() < reading.filled + kReadChunkBytes) {
    reading.buffer.resize(reading.filled + kReadChunkBytes);
  }
  reading.socket.async_read_some(
      asio::buffer(reading.buffer.data() + reading.filled, reading.buffer.size() - reading.filled),
      [this, connection](boost::system::error_code ec, std::size_t size) {
        auto& c = *connection;
        if (ec) {
          finish(c, false);
          return;
        }
        c.filled += size;
        std::string_view received(c.buffer.data(), c.filled);
        auto end = received.find("\r\n\r\n");
        if (end == std::string_view::npos) {
          on_upgraded(connection);
          return;
        }
        if (!received.starts_with("HTTP/1.1 101")) {
          finish(c, false);
          return;
        }
        c.buffer.erase(0, end + 4);
        c.filled -= end + 4;
        send_frame(connection, kOpcodeText,
                   R"({"type":"subscribe","channel":")" + c.channel + R"("})");
        if (consume_frames(c)) {
          read_frames(connection);
        }
      });
}

void LoadClient::read_frames(const std::shared_ptr<Connection>& connection) {
  auto& reading = *connection;
  if (reading.buffer.size() < reading.filled + kReadChunkBytes) {
    reading.buffer.resize(reading.filled + kReadChunkBytes);
  }
  reading.socket.async_read_some(
      asio::buffer(reading.buffer.data() + reading.filled, reading.buffer.size() - reading.filled),
      [this, connection](boost::system::error_code ec, std::size_t size) {
        auto& c = *connection;
        if (ec) {
          finish(c, c.subscribed);
          return;
        }
        c.filled += size;
        if (consume_frames(c)) {
          read_frames(connection);
        }
      });
}

bool LoadClient::consume_frames(Connection& c) {
  std::size_t position = 0;
  while (true) {
    auto available = c.filled - position;
    if (available < 2) {
      break;
    }
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(c.buffer.data() + position);
    std::uint8_t opcode = bytes[0] & 0x0F;
    std::uint64_t length = bytes[1] & 0x7F;
    std::size_t header = 2;
    if (length == 126) {
      header = 4;
      if (available < header) {
        break;
      }
      length = (std::uint64_t{bytes[2]} << 8) | bytes[3];
    } else if (length == 127) {
      header = 10;
      if (available < header) {
        break;
      }
      length = 0;
      for (int i = 2; i < 10; ++i) {
        length = (length << 8) | bytes[i];
      }
    }
    if (available < header + length) {
      break;
    }
    std::string_view payload(c.buffer.data() + position + header, length);
    position += header + length;
    if (opcode == kOpcodeText) {
      on_text(c, payload);
    } else if (opcode == kOpcodePing) {
      send_frame(c.shared_from_this(), kOpcodePong, std::string(payload));
    } else if (opcode == kOpcodeClose) {
      finish(c, c.subscribed);
      return false;
    }
  }
  c.buffer.erase(0, position);
  c.filled -= position;
  return true;
}

void LoadClient::on_text(Connection& c, std::string_view text) {
  if (text.starts_with(R"({"type":"event")")) {
    auto at = text.find(R"("t":)");
    if (at != std::string_view::npos) {
      std::int64_t sent = 0;
      const char* begin = text.data() + at + 4;
      std::from_chars(begin, text.data() + text.size(), sent);
      auto latency = steady_nanoseconds() - sent;
      std::lock_guard lock(c.shard.mutex);
      c.shard.latencies.push_back(latency);
    }
    events_received_.fetch_add(1);
    return;
  }
  if (text.starts_with(R"({"type":"subscribed")") && !c.subscribed) {
    c.subscribed = true;
    subscribed_.fetch_add(1);
    {
      std::lock_guard lock(mutex_);
      --pending_;
    }
    start_next();
  }
}

void LoadClient::send_frame(const std::shared_ptr<Connection>& connection, std::uint8_t opcode,
                            std::string payload) {
  connection->outgoing.push_back(masked_frame(opcode, payload));
  if (connection->outgoing.size() > 1) {
    return;  // the write in progress continues with this one
  }
  auto write = std::make_shared<std::function<void()>>();
  *write = [connection, write] {
    asio::async_write(connection->socket, asio::buffer(connection->outgoing.front()),
                      [connection, write](boost::system::error_code ec, std::size_t) {
                        auto& c = *connection;
                        c.outgoing.pop_front();
                        if (!ec && !c.outgoing.empty()) {
                          (*write)();
                        } else if (ec || c.outgoing.empty()) {
                          *write = nullptr;  // breaks the cycle through the capture
                        }
                      });
  };
  (*write)();
}

void LoadClient::finish(Connection& c, bool ok) {
  if (c.finished) {
    return;
  }
  c.finished = true;
  boost::system::error_code ignored;
  c.socket.close(ignored);
  open_sockets_.fetch_sub(1);
  if (!ok || !c.subscribed) {
    failed_.fetch_add(1);
    {
      std::lock_guard lock(mutex_);
      --pending_;
    }
    start_next();
  }
}

void LoadClient::close_all() {
  std::vector<std::shared_ptr<Connection>> connections;
  {
    std::lock_guard lock(mutex_);
    connections.swap(connections_);
    next_ = channels_.size();  // start no more
  }
  for (const auto& connection : connections) {
    asio::post(connection->socket.get_executor(), [this, connection] {
      if (!connection->finished) {
        // 1000 (normal closure) in network order; the server's close reply finishes it.
        send_frame(connection, kOpcodeClose, std::string("\x03\xe8", 2));
      }
    });
  }
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (open_sockets_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  for (const auto& connection : connections) {
    asio::post(connection->socket.get_executor(),
               [this, connection] { finish(*connection, connection->subscribed); });
  }
  while (open_sockets_.load() > 0 && std::chrono::steady_clock::now() < deadline + 5s) {
    std::this_thread::sleep_for(20ms);
  }
}

bool LoadClient::wait_for_events(std::uint64_t count, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (events_received_.load() < count) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

std::vector<std::int64_t> LoadClient::take_latencies() {
  std::vector<std::int64_t> all;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    all.insert(all.end(), shard->latencies.begin(), shard->latencies.end());
    shard->latencies = {};
  }
  return all;
}

}  // namespace surplus::bench
