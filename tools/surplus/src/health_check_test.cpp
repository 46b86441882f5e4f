#include "health_check.hpp"

#include <string>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace surplus::tool {
namespace {

using namespace std::chrono_literals;

// A listening socket on 127.0.0.1 with a port chosen by the kernel.
class Listener {
 public:
  Listener() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    ::listen(fd_, 4);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~Listener() { close(); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  std::uint16_t port() const { return port_; }
  int fd() const { return fd_; }
  void close() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

// Accepts one connection, reads the request head into `request` and sends `reply`.
std::thread serve_once(const Listener& listener, std::string reply, std::string& request) {
  return std::thread([fd = listener.fd(), reply = std::move(reply), &request] {
    int connection = ::accept(fd, nullptr, nullptr);
    if (connection < 0) {
      return;
    }
    char buffer[1024];
    while (request.find("\r\n\r\n") == std::string::npos) {
      ssize_t count = ::recv(connection, buffer, sizeof buffer, 0);
      if (count <= 0) {
        break;
      }
      request.append(buffer, static_cast<std::size_t>(count));
    }
    ::send(connection, reply.data(), reply.size(), MSG_NOSIGNAL);
    ::close(connection);
  });
}

TEST(HttpGetStatusTest, ReturnsStatusCode) {
  Listener listener;
  std::string request;
  auto server = serve_once(listener, "HTTP/1.1 204 No Content\r\n\r\n", request);

  auto status = http_get_status(listener.port(), "/healthz", 5s);
  server.join();

  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 204);
  EXPECT_TRUE(request.starts_with("GET /healthz HTTP/1.1\r\n")) << request;
  EXPECT_NE(request.find("\r\nHost: 127.0.0.1:" + std::to_string(listener.port()) + "\r\n"),
            std::string::npos)
      << request;
}

TEST(HttpGetStatusTest, ReturnsErrorStatusToo) {
  Listener listener;
  std::string request;
  auto server = serve_once(
      listener, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n", request);

  auto status = http_get_status(listener.port(), "/readyz", 5s);
  server.join();

  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 503);
}

TEST(HttpGetStatusTest, ClosedPortGivesNothing) {
  Listener listener;
  auto port = listener.port();
  listener.close();

  EXPECT_FALSE(http_get_status(port, "/healthz", 5s).has_value());
}

TEST(HttpGetStatusTest, NonHttpReplyGivesNothing) {
  Listener listener;
  std::string request;
  auto server = serve_once(listener, "hello there\r\n", request);

  auto status = http_get_status(listener.port(), "/healthz", 5s);
  server.join();

  EXPECT_FALSE(status.has_value());
}

TEST(HttpGetStatusTest, SilentServerTimesOut) {
  // The connection completes in the kernel's backlog, but the server never replies.
  Listener listener;

  EXPECT_FALSE(http_get_status(listener.port(), "/healthz", 100ms).has_value());
}

TEST(LoopbackPortAvailableTest, ListeningPortIsTaken) {
  Listener listener;
  EXPECT_FALSE(loopback_port_available(listener.port()));

  auto port = listener.port();
  listener.close();
  EXPECT_TRUE(loopback_port_available(port));
}

}  // namespace
}  // namespace surplus::tool
