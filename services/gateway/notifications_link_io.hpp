// The I/O state of a NotificationsLink, shared by notifications_link.cpp and
// notifications_link_resume.cpp only.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
// g++ 12 needs <utility> before Asio's headers.
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>

#include "notifications_link.hpp"

namespace surplus::gateway::link_io {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

// The `offset` member of a message from the service, or 0 when it has none.
inline std::int64_t offset_of(const Json& message) {
  const auto offset = message.find("offset");
  return offset != message.end() && offset->is_number_integer() ? offset->get<std::int64_t>() : 0;
}

inline std::string subscribe_message(const std::string& channel) {
  return Json{{"type", "subscribe"}, {"channel", channel}}.dump();
}

}  // namespace surplus::gateway::link_io

namespace surplus::gateway {

// One WebSocket connection to the service. A link makes a new one for every reconnect
// attempt; handlers of an earlier one keep it alive until they complete.
struct NotificationsLink::Connection {
  Connection(link_io::asio::strand<link_io::asio::io_context::executor_type>& strand,
             std::uint64_t number)
      : ws(strand), generation(number) {}

  link_io::websocket::stream<link_io::beast::tcp_stream> ws;
  link_io::beast::flat_buffer buffer;
  std::deque<std::string> outgoing;
  bool writing = false;
  bool open = false;
  const std::uint64_t generation;
};

// The outcome of one attempt to connect and authenticate.
struct NotificationsLink::Attempt {
  enum class Result { kConnected, kUnavailable, kTokenRejected };
  Result result;
  std::string detail;
  std::string user_id;
};

// The I/O state of a link. Every member is used on the strand only.
struct NotificationsLink::Stream {
  explicit Stream(link_io::asio::io_context& io)
      : strand(link_io::asio::make_strand(io)),
        resolver(strand),
        retry_timer(strand),
        resume_timer(strand) {}

  link_io::asio::strand<link_io::asio::io_context::executor_type> strand;
  link_io::tcp::resolver resolver;
  link_io::asio::steady_timer retry_timer;
  link_io::asio::steady_timer resume_timer;
  std::shared_ptr<Connection> connection;  // the current one, or the one being opened
  std::uint64_t generation = 0;
  // Deadline for restoring the link after a drop. It is reset once every channel resumed.
  std::optional<std::chrono::steady_clock::time_point> outage_deadline;
  bool resuming = false;  // channels were subscribed again and not all confirmed yet
  std::size_t resumed_channels = 0;
  std::optional<LinkEnd> failure;  // set when resuming failed; ends the link
};

}  // namespace surplus::gateway
