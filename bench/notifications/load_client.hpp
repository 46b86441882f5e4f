#pragma once

// The WebSocket side of the notifications benchmark: many subscribed connections on a few
// threads, with a small RFC 6455 client of its own so that the client's memory and CPU per
// connection stay far below the server's. It measures the latency of every event message
// from the `"t":` nanosecond timestamp that the publisher put into the event's data.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace surplus::bench {

// Nanoseconds on the steady clock, the unit of the "t" field of published events.
std::int64_t steady_nanoseconds();

class LoadClient {
 public:
  // Runs `threads` I/O threads, each with its own io_context (its own epoll instance) and
  // an equal share of the connections, so that receiving takes no lock shared between the
  // threads. At most `max_pending` connections are in their handshake at once, so the client
  // does not fill the server's listen backlog faster than it accepts.
  LoadClient(std::string host, std::uint16_t port, int threads, int max_pending);
  ~LoadClient();
  LoadClient(const LoadClient&) = delete;
  LoadClient& operator=(const LoadClient&) = delete;

  // Opens one connection per entry of `channels`, each subscribing to its channel, and waits
  // until all are subscribed or failed, or `timeout` passes. Returns the subscribed count.
  std::size_t open(const std::vector<std::string>& channels, std::chrono::seconds timeout);
  // Closes every connection with a close frame and waits until the sockets are closed.
  void close_all();

  std::size_t subscribed() const { return subscribed_.load(); }
  std::size_t failed() const { return failed_.load(); }
  std::uint64_t events_received() const { return events_received_.load(); }
  // Waits until events_received() reaches `count` or `timeout` passes; returns whether it did.
  bool wait_for_events(std::uint64_t count, std::chrono::milliseconds timeout) const;
  // Latencies in nanoseconds of the events received since the last call.
  std::vector<std::int64_t> take_latencies();

 private:
  struct Connection;
  // One I/O thread's io_context and the latencies that its connections measured.
  struct Shard {
    boost::asio::io_context io;
    std::mutex mutex;
    std::vector<std::int64_t> latencies;
  };
  void connect(std::size_t index);
  void start_next();
  void on_upgraded(const std::shared_ptr<Connection>& connection);
  void read_frames(const std::shared_ptr<Connection>& connection);
  // Handles the complete frames at the start of the connection's buffer; returns false when
  // the connection is finished.
  bool consume_frames(Connection& connection);
  void on_text(Connection& connection, std::string_view text);
  void send_frame(const std::shared_ptr<Connection>& connection, std::uint8_t opcode,
                  std::string payload);
  void finish(Connection& connection, bool ok);

  std::string host_;
  std::uint16_t port_;
  int max_pending_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::vector<std::thread> threads_;
  boost::asio::ip::tcp::endpoint endpoint_;

  std::mutex mutex_;  // guards the members below it
  std::vector<std::shared_ptr<Connection>> connections_;
  std::vector<std::string> channels_;
  std::size_t next_ = 0;
  std::size_t pending_ = 0;

  std::atomic<std::size_t> subscribed_{0};
  std::atomic<std::size_t> failed_{0};
  std::atomic<std::size_t> open_sockets_{0};
  std::atomic<std::uint64_t> events_received_{0};
};

}  // namespace surplus::bench
