#include "ws_test_client.hpp"

// g++ 12 needs <utility> before Asio's headers.
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace surplus::notifications::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct WsClient::Impl {
  asio::io_context io;
  websocket::stream<tcp::socket> ws{io};
  beast::flat_buffer buffer;

  // Runs the io_context until `done` or `timeout`; on timeout closes the socket, which
  // completes the pending operation with an error.
  bool run_until(const bool& done, std::chrono::milliseconds timeout) {
    io.restart();
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done && std::chrono::steady_clock::now() < deadline) {
      io.run_one_until(deadline);
    }
    if (done) {
      return true;
    }
    boost::system::error_code ignored;
    ws.next_layer().close(ignored);
    io.restart();
    io.run();
    return false;
  }
};

namespace {

void connect_socket(tcp::socket& socket, std::uint16_t port, const WsClientOptions& options) {
  socket.open(tcp::v4());
  if (options.receive_buffer_bytes) {
    socket.set_option(asio::socket_base::receive_buffer_size(*options.receive_buffer_bytes));
  }
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

auto decorator(const WsClientOptions& options) {
  return websocket::stream_base::decorator([headers = options.headers](websocket::request_type& r) {
    for (const auto& [name, value] : headers) {
      r.set(name, value);
    }
  });
}

}  // namespace

WsClient::WsClient(std::uint16_t port, const std::string& path, WsClientOptions options)
    : impl_(std::make_unique<Impl>()) {
  connect_socket(impl_->ws.next_layer(), port, options);
  impl_->ws.set_option(decorator(options));
  websocket::response_type response;
  boost::system::error_code ec;
  impl_->ws.handshake(response, "127.0.0.1:" + std::to_string(port), path, ec);
  if (ec) {
    throw std::runtime_error("WebSocket upgrade failed with HTTP " +
                             std::to_string(response.result_int()) + ": " + ec.message());
  }
}

WsClient::~WsClient() {
  boost::system::error_code ignored;
  impl_->ws.next_layer().close(ignored);
}

int WsClient::upgrade_status(std::uint16_t port, const std::string& path,
                             const WsClientOptions& options) {
  // A plain HTTP exchange, because Beast's handshake does not report the status of a
  // declined upgrade.
  asio::io_context io;
  tcp::socket socket(io);
  connect_socket(socket, port, options);
  beast::http::request<beast::http::empty_body> request(beast::http::verb::get, path, 11);
  request.set(beast::http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(beast::http::field::upgrade, "websocket");
  request.set(beast::http::field::connection, "Upgrade");
  request.set(beast::http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
  request.set(beast::http::field::sec_websocket_version, "13");
  for (const auto& [name, value] : options.headers) {
    request.set(name, value);
  }
  beast::http::write(socket, request);
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.skip(true);  // a 101 response has no body
  beast::http::read_header(socket, buffer, parser);
  return parser.get().result_int();
}

void WsClient::send(const std::string& text) {
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(text));
}

void WsClient::send_binary(const std::string& data) {
  impl_->ws.binary(true);
  impl_->ws.write(asio::buffer(data));
}

nlohmann::json WsClient::receive(std::chrono::milliseconds timeout) {
  bool done = false;
  boost::system::error_code ec;
  impl_->ws.async_read(impl_->buffer, [&](boost::system::error_code error, std::size_t) {
    ec = error;
    done = true;
  });
  if (!impl_->run_until(done, timeout)) {
    throw std::runtime_error("no message within " + std::to_string(timeout.count()) + " ms");
  }
  if (ec) {
    if (ec == websocket::error::closed) {
      close_code_ = static_cast<std::uint16_t>(impl_->ws.reason().code);
    }
    throw std::runtime_error(
        "the connection ended while waiting for a message: " + ec.message() +
        (close_code_ ? " (close code " + std::to_string(*close_code_) + ")" : std::string()));
  }
  auto text = beast::buffers_to_string(impl_->buffer.data());
  impl_->buffer.consume(impl_->buffer.size());
  return nlohmann::json::parse(text);
}

std::optional<std::uint16_t> WsClient::wait_for_close(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      throw std::runtime_error("the server did not close within " +
                               std::to_string(timeout.count()) + " ms");
    }
    bool done = false;
    boost::system::error_code ec;
    impl_->ws.async_read(impl_->buffer, [&](boost::system::error_code error, std::size_t) {
      ec = error;
      done = true;
    });
    if (!impl_->run_until(done, left)) {
      throw std::runtime_error("the server did not close within " +
                               std::to_string(timeout.count()) + " ms");
    }
    impl_->buffer.consume(impl_->buffer.size());
    if (ec == websocket::error::closed) {
      close_code_ = static_cast<std::uint16_t>(impl_->ws.reason().code);
      return close_code_;
    }
    if (ec) {
      return std::nullopt;
    }
  }
}

void WsClient::close(std::uint16_t code) {
  boost::system::error_code ec;
  impl_->ws.close(websocket::close_reason(code), ec);
}

}  // namespace surplus::notifications::testing
