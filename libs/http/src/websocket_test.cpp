// WebSocket tests use Beast's client, the only test file that includes Beast.
#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>

#include <surplus/core/error.hpp>
#include <surplus/http/server.hpp>

#include "raw_socket_testing.hpp"

namespace surplus::http {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

// Records what the server saw of one connection.
struct Observed {
  std::promise<std::shared_ptr<WebSocketConnection>> opened;
  std::promise<std::pair<std::uint16_t, std::string>> closed;
};

class EchoHandler : public WebSocketHandler {
 public:
  explicit EchoHandler(std::shared_ptr<Observed> observed) : observed_(std::move(observed)) {}

  void on_open(std::shared_ptr<WebSocketConnection> connection) override {
    connection_ = connection;
    observed_->opened.set_value(std::move(connection));
  }
  void on_message(std::string_view text) override {
    connection_->send("echo:" + std::string(text));
  }
  void on_close(std::uint16_t code, std::string_view reason) override {
    observed_->closed.set_value({code, std::string(reason)});
  }

 private:
  std::shared_ptr<Observed> observed_;
  std::shared_ptr<WebSocketConnection> connection_;
};

// Hands out one Observed per accepted connection, in order.
class EchoEndpoint {
 public:
  explicit EchoEndpoint(int connections) {
    for (int i = 0; i < connections; ++i) {
      observed_.push_back(std::make_shared<Observed>());
    }
  }
  WebSocketFactory factory() {
    return [this](Request& request) -> std::shared_ptr<WebSocketHandler> {
      if (request.query_param("token") != "secret") {
        throw core::Error::unauthenticated();
      }
      return std::make_shared<EchoHandler>(observed_.at(next_++));
    };
  }
  Observed& at(int index) { return *observed_.at(static_cast<std::size_t>(index)); }

 private:
  std::vector<std::shared_ptr<Observed>> observed_;
  std::atomic<int> next_{0};
};

ServerOptions test_options() {
  ServerOptions options;
  options.worker_threads = 2;
  options.service_name = "websocket-test";
  options.shutdown_grace = 2s;
  return options;
}

struct TestClient {
  TestClient(std::uint16_t port, const std::string& target, int receive_buffer_bytes = 0) : ws(io) {
    auto& socket = ws.next_layer();
    socket.open(tcp::v4());
    if (receive_buffer_bytes > 0) {
      socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer_bytes));
    }
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    ws.handshake("127.0.0.1", target);
  }

  std::string read_text() {
    beast::flat_buffer buffer;
    ws.read(buffer);
    return beast::buffers_to_string(buffer.data());
  }

  // Reads until the server's close frame arrives; returns its code, or 0 when the
  // connection ended without one.
  std::uint16_t read_close_code() {
    beast::flat_buffer buffer;
    beast::error_code ec;
    while (!ec) {
      buffer.clear();
      ws.read(buffer, ec);
    }
    last_error = ec.message();
    return ec == websocket::error::closed ? ws.reason().code : 0;
  }

  std::string last_error;  // the error that ended read_close_code()

  asio::io_context io;
  websocket::stream<tcp::socket> ws;
};

template <typename T>
T wait_for(std::promise<T>& promise) {
  auto future = promise.get_future();
  if (future.wait_for(10s) != std::future_status::ready) {
    throw std::runtime_error("timed out waiting for a WebSocket event");
  }
  return future.get();
}

// Runs every test on both framing implementations: the compact one and Beast's stream.
class WebSocket : public ::testing::TestWithParam<bool> {
 protected:
  WebSocketOptions framing_options() const {
    WebSocketOptions options;
    options.compact_framing = GetParam();
    return options;
  }
};

INSTANTIATE_TEST_SUITE_P(Framing, WebSocket, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& param_info) {
                           return param_info.param ? "Compact" : "Beast";
                         });

TEST_P(WebSocket, EchoesMessages) {
  EchoEndpoint endpoint(1);
  Router router;
  router.websocket("/ws", endpoint.factory(), framing_options());
  Server server(test_options(), std::move(router));
  server.start();

  TestClient client(server.port(), "/ws?token=secret");
  client.ws.write(asio::buffer(std::string("hello")));
  EXPECT_EQ(client.read_text(), "echo:hello");
  client.ws.write(asio::buffer(std::string("again")));
  EXPECT_EQ(client.read_text(), "echo:again");

  client.ws.close(websocket::close_code::normal);
  auto [code, reason] = wait_for(endpoint.at(0).closed);
  EXPECT_EQ(code, kCloseNormal);
}

// Returns the Sec-WebSocket-Protocol of the handshake response to a client offering `offered`.
std::string selected_subprotocol(std::uint16_t port, const std::string& offered) {
  asio::io_context io;
  websocket::stream<tcp::socket> ws(io);
  ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
  ws.set_option(websocket::stream_base::decorator([offered](websocket::request_type& request) {
    request.set(beast::http::field::sec_websocket_protocol, offered);
  }));
  websocket::response_type response;
  ws.handshake(response, "127.0.0.1", "/ws?token=secret");
  ws.close(websocket::close_code::normal);
  return std::string(response[beast::http::field::sec_websocket_protocol]);
}

TEST_P(WebSocket, SelectsOfferedSubprotocol) {
  EchoEndpoint endpoint(2);
  Router router;
  WebSocketOptions options = framing_options();
  options.subprotocol = "graphql-transport-ws";
  router.websocket("/ws", endpoint.factory(), options);
  Server server(test_options(), std::move(router));
  server.start();

  EXPECT_EQ(selected_subprotocol(server.port(), "chat, graphql-transport-ws"),
            "graphql-transport-ws");
  EXPECT_EQ(selected_subprotocol(server.port(), "graphql-ws"), "");
}

TEST(WebSocket, ParsesSubprotocolList) {
  EXPECT_TRUE(offers_subprotocol("graphql-transport-ws", "graphql-transport-ws"));
  EXPECT_TRUE(offers_subprotocol("a,  graphql-transport-ws ,b", "graphql-transport-ws"));
  EXPECT_FALSE(offers_subprotocol("graphql-transport-ws-2", "graphql-transport-ws"));
  EXPECT_FALSE(offers_subprotocol("", "graphql-transport-ws"));
  EXPECT_FALSE(offers_subprotocol("graphql-ws", ""));
}

TEST_P(WebSocket, FactoryErrorRefusesUpgrade) {
  EchoEndpoint endpoint(1);
  Router router;
  router.websocket("/ws", endpoint.factory(), framing_options());
  Server server(test_options(), std::move(router));
  server.start();

  auto raw = std::make_unique<testing::RawSocket>(server.port());
  auto& socket = *raw;
  socket.send(
      "GET /ws?token=wrong HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n");
  auto response = socket.read_response();
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.headers["content-type"], "application/problem+json");
  EXPECT_EQ(nlohmann::json::parse(response.body)["code"], "UNAUTHENTICATED");
}

TEST_P(WebSocket, ClosesOversizedMessageWith1009) {
  EchoEndpoint endpoint(1);
  Router router;
  WebSocketOptions options = framing_options();
  options.max_message_bytes = 1024;
  router.websocket("/ws", endpoint.factory(), options);
  Server server(test_options(), std::move(router));
  server.start();

  TestClient client(server.port(), "/ws?token=secret");
  // Just over the limit, so the whole frame fits in Beast's 1536-byte read buffer. With a
  // much larger frame, Beast 1.74's teardown can close the socket with payload still
  // unread, and the client then sees a reset instead of the 1009 close frame.
  client.ws.write(asio::buffer(std::string(1100, 'x')));
  EXPECT_EQ(client.read_close_code(), kCloseTooBig) << client.last_error;
  auto [code, reason] = wait_for(endpoint.at(0).closed);
  EXPECT_EQ(code, kCloseTooBig);
}

TEST_P(WebSocket, DropsSlowReaderButNotOthers) {
  EchoEndpoint endpoint(2);
  Router router;
  WebSocketOptions options = framing_options();
  options.max_queue_bytes = 256 * 1024;
  options.close_timeout = 200ms;
  router.websocket("/ws", endpoint.factory(), options);
  Server server(test_options(), std::move(router));
  server.start();

  // The slow client never reads and has a small receive window, so its queue fills.
  TestClient slow(server.port(), "/ws?token=secret", 4096);
  auto slow_connection = wait_for(endpoint.at(0).opened);
  TestClient fast(server.port(), "/ws?token=secret");
  auto fast_connection = wait_for(endpoint.at(1).opened);

  constexpr int kMessages = 200;
  std::string payload(16 * 1024, 'm');
  std::atomic<int> fast_received{0};
  std::thread reader([&] {
    for (int i = 0; i < kMessages; ++i) {
      if (fast.read_text().size() != payload.size()) {
        break;
      }
      ++fast_received;
    }
  });

  bool slow_rejected = false;
  for (int i = 0; i < kMessages; ++i) {
    if (!slow_rejected && !slow_connection->send(payload)) {
      slow_rejected = true;
    }
    ASSERT_TRUE(fast_connection->send(payload)) << "message " << i;
    // Pace the producer so that the fast client's queue never fills.
    for (int spin = 0; spin < 5000 && fast_connection->queued_bytes() > 64 * 1024; ++spin) {
      std::this_thread::sleep_for(1ms);
    }
  }
  reader.join();

  EXPECT_TRUE(slow_rejected);
  EXPECT_FALSE(slow_connection->is_open());
  auto [code, reason] = wait_for(endpoint.at(0).closed);
  EXPECT_EQ(code, kCloseQueueOverflow);
  EXPECT_EQ(fast_received.load(), kMessages);
  EXPECT_TRUE(fast_connection->is_open());
}

TEST(PreparedMessage, FramesTextOnce) {
  PreparedMessage small("abc");
  EXPECT_EQ(small.text(), "abc");
  EXPECT_EQ(small.frame(), std::string("\x81\x03"
                                       "abc"));

  // 200 bytes need the 16-bit extended length (RFC 6455, 5.2).
  PreparedMessage medium(std::string(200, 'm'));
  EXPECT_EQ(medium.text(), std::string(200, 'm'));
  ASSERT_EQ(medium.frame().size(), 204U);
  EXPECT_EQ(medium.frame().substr(0, 4), std::string("\x81\x7e\x00\xc8", 4));
}

// A batch of prepared messages larger than a small receive window, so that the compact
// framing sends part of it at once, queues the rest of a partly sent frame and gathers the
// remaining frames into its queued writes.
TEST_P(WebSocket, SendsPreparedMessagesInOrder) {
  EchoEndpoint endpoint(1);
  Router router;
  router.websocket("/ws", endpoint.factory(), framing_options());
  Server server(test_options(), std::move(router));
  server.start();

  TestClient client(server.port(), "/ws?token=secret", 4096);
  auto connection = wait_for(endpoint.at(0).opened);
  constexpr int kMessages = 300;
  // Every header length form (RFC 6455, 5.2), about 400 KB in all, below the queue's bound.
  const std::size_t sizes[] = {10, 200, 3000};
  std::vector<SharedMessage> messages;
  for (int i = 0; i < kMessages; ++i) {
    auto size = i == 7 ? 70000 : sizes[static_cast<std::size_t>(i) % std::size(sizes)];
    auto text = std::to_string(i) + ":" + std::string(size, 'p');
    messages.push_back(std::make_shared<const PreparedMessage>(std::move(text)));
  }
  // Two calls, so that the second one finds the first one's messages still queued.
  auto half = messages.size() / 2;
  ASSERT_TRUE(connection->send_prepared(std::span(messages).first(half)));
  ASSERT_TRUE(connection->send_prepared(std::span(messages).subspan(half)));

  for (int i = 0; i < kMessages; ++i) {
    auto received = client.read_text();
    ASSERT_EQ(received, messages[static_cast<std::size_t>(i)]->text()) << "message " << i;
  }
  EXPECT_TRUE(connection->is_open());
  // The last write's completion may run just after the client has read its bytes.
  for (int i = 0; i < 500 && connection->queued_bytes() > 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(connection->queued_bytes(), 0U);
}

TEST_P(WebSocket, PreparedBatchOverflowClosesWith4000) {
  EchoEndpoint endpoint(1);
  Router router;
  WebSocketOptions options = framing_options();
  options.max_queue_bytes = 64 * 1024;
  options.close_timeout = 200ms;
  router.websocket("/ws", endpoint.factory(), options);
  Server server(test_options(), std::move(router));
  server.start();

  // The client reads nothing and has a small receive window, so most of the batch must
  // wait in the queue, which has room for far less than the batch.
  TestClient slow(server.port(), "/ws?token=secret", 4096);
  auto connection = wait_for(endpoint.at(0).opened);
  std::vector<SharedMessage> messages;
  for (int i = 0; i < 200; ++i) {
    messages.push_back(std::make_shared<const PreparedMessage>(std::string(16 * 1024, 'o')));
  }
  EXPECT_FALSE(connection->send_prepared(messages));
  EXPECT_FALSE(connection->is_open());
  auto [code, reason] = wait_for(endpoint.at(0).closed);
  EXPECT_EQ(code, kCloseQueueOverflow);
}

TEST_P(WebSocket, DisconnectsClientThatMissesPong) {
  EchoEndpoint endpoint(1);
  Router router;
  WebSocketOptions options = framing_options();
  options.ping_interval = 100ms;
  options.pong_timeout = 100ms;
  router.websocket("/ws", endpoint.factory(), options);
  Server server(test_options(), std::move(router));
  server.start();

  // Beast's client sends pongs only while a read is pending, and this client never reads.
  TestClient silent(server.port(), "/ws?token=secret");
  auto [code, reason] = wait_for(endpoint.at(0).closed);
  EXPECT_EQ(code, kCloseAbnormal);
  EXPECT_NE(reason.find("pong"), std::string::npos) << reason;
}

TEST_P(WebSocket, KeepsClientThatAnswersPings) {
  EchoEndpoint endpoint(1);
  Router router;
  WebSocketOptions options = framing_options();
  options.ping_interval = 50ms;
  options.pong_timeout = 200ms;
  router.websocket("/ws", endpoint.factory(), options);
  Server server(test_options(), std::move(router));
  server.start();

  TestClient client(server.port(), "/ws?token=secret");
  auto connection = wait_for(endpoint.at(0).opened);
  // The pending read sends pongs while several ping intervals pass before the message.
  std::thread later([&connection] {
    std::this_thread::sleep_for(400ms);
    connection->send("still here");
  });
  EXPECT_EQ(client.read_text(), "still here");
  later.join();
  EXPECT_TRUE(connection->is_open());
}

TEST_P(WebSocket, ReassemblesFragmentedMessage) {
  EchoEndpoint endpoint(1);
  Router router;
  router.websocket("/ws", endpoint.factory(), framing_options());
  Server server(test_options(), std::move(router));
  server.start();

  TestClient client(server.port(), "/ws?token=secret");
  client.ws.write_some(false, asio::buffer(std::string("frag")));
  client.ws.ping({});  // a control frame may arrive between the fragments
  client.ws.write_some(false, asio::buffer(std::string("men")));
  client.ws.write_some(true, asio::buffer(std::string("ted")));
  EXPECT_EQ(client.read_text(), "echo:fragmented");
}

TEST_P(WebSocket, AnswersPingWithSamePayload) {
  EchoEndpoint endpoint(1);
  Router router;
  router.websocket("/ws", endpoint.factory(), framing_options());
  Server server(test_options(), std::move(router));
  server.start();

  TestClient client(server.port(), "/ws?token=secret");
  std::string pong_payload;
  int pongs = 0;
  client.ws.control_callback([&](websocket::frame_type kind, beast::string_view payload) {
    if (kind == websocket::frame_type::pong) {
      ++pongs;
      pong_payload = std::string(payload);
    }
  });
  client.ws.ping("are you there");
  client.ws.write(asio::buffer(std::string("after ping")));
  // The pong precedes the echo, and the read that returns the echo also handles the pong.
  EXPECT_EQ(client.read_text(), "echo:after ping");
  EXPECT_EQ(pongs, 1);
  EXPECT_EQ(pong_payload, "are you there");
}

TEST_P(WebSocket, ClosesInvalidUtf8With1007) {
  EchoEndpoint endpoint(1);
  Router router;
  router.websocket("/ws", endpoint.factory(), framing_options());
  Server server(test_options(), std::move(router));
  server.start();

  TestClient client(server.port(), "/ws?token=secret");
  client.ws.write(asio::buffer(std::string("ok \xC3\x28")));
  EXPECT_EQ(client.read_close_code(), 1007) << client.last_error;
  wait_for(endpoint.at(0).closed);
}

TEST_P(WebSocket, ClosesUnmaskedFrameWith1002) {
  EchoEndpoint endpoint(1);
  Router router;
  router.websocket("/ws", endpoint.factory(), framing_options());
  Server server(test_options(), std::move(router));
  server.start();

  auto raw = std::make_unique<testing::RawSocket>(server.port());
  auto& socket = *raw;
  socket.send(
      "GET /ws?token=secret HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n");
  std::string received;
  while (received.find("\r\n\r\n") == std::string::npos) {
    auto data = socket.receive(5s);
    ASSERT_TRUE(data.has_value()) << "no handshake response; got: " << received;
    ASSERT_FALSE(data->empty()) << "connection closed during the handshake";
    received += *data;
  }
  ASSERT_TRUE(received.starts_with("HTTP/1.1 101")) << received;
  received.erase(0, received.find("\r\n\r\n") + 4);

  socket.send(std::string("\x81\x02hi", 4));  // a text frame without the mask bit
  while (received.size() < 4) {
    auto data = socket.receive(5s);
    ASSERT_TRUE(data.has_value()) << "no close frame within 5 s";
    ASSERT_FALSE(data->empty()) << "connection closed without a close frame";
    received += *data;
  }
  EXPECT_EQ(static_cast<std::uint8_t>(received[0]), 0x88);  // FIN and close
  EXPECT_EQ((static_cast<std::uint8_t>(received[2]) << 8) | static_cast<std::uint8_t>(received[3]),
            1002);
  raw.reset();  // both servers read until the client closes after a framing error
  wait_for(endpoint.at(0).closed);
}

TEST_P(WebSocket, ShutdownClosesWithGoingAway) {
  EchoEndpoint endpoint(1);
  Router router;
  router.websocket("/ws", endpoint.factory(), framing_options());
  Server server(test_options(), std::move(router));
  server.start();

  TestClient client(server.port(), "/ws?token=secret");
  wait_for(endpoint.at(0).opened);
  std::promise<std::uint16_t> client_code;
  std::thread reader([&] { client_code.set_value(client.read_close_code()); });
  server.stop();
  reader.join();
  EXPECT_EQ(wait_for(client_code), kCloseGoingAway);
  auto [code, reason] = wait_for(endpoint.at(0).closed);
  EXPECT_EQ(code, kCloseGoingAway);
}

}  // namespace
}  // namespace surplus::http
