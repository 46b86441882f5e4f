#include "health_check.hpp"

#include <cerrno>
#include <charconv>
#include <string_view>

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace surplus::tool {
namespace {

using Clock = std::chrono::steady_clock;

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Waits until `fd` is ready for `events` or the deadline passes.
bool wait_ready(int fd, short events, Clock::time_point deadline) {
  while (true) {
    auto remaining = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (remaining.count() <= 0) {
      return false;
    }
    pollfd entry{fd, events, 0};
    int result = ::poll(&entry, 1, static_cast<int>(remaining.count()));
    if (result > 0) {
      return true;
    }
    if (result == 0 || errno != EINTR) {
      return false;
    }
  }
}

bool connect_loopback(const Socket& socket, std::uint16_t port, Clock::time_point deadline) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
    return true;
  }
  if (errno != EINPROGRESS || !wait_ready(socket.fd(), POLLOUT, deadline)) {
    return false;
  }
  int error = 0;
  socklen_t length = sizeof error;
  ::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &length);
  return error == 0;
}

bool send_all(const Socket& socket, std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    ssize_t sent = ::send(socket.fd(), data.data(), data.size(), MSG_NOSIGNAL);
    if (sent > 0) {
      data.remove_prefix(static_cast<std::size_t>(sent));
    } else if (errno != EAGAIN && errno != EINTR) {
      return false;
    } else if (!wait_ready(socket.fd(), POLLOUT, deadline)) {
      return false;
    }
  }
  return true;
}

// Parses the code from a status line such as "HTTP/1.1 200 OK".
std::optional<int> parse_status_line(std::string_view line) {
  if (!line.starts_with("HTTP/1.") || line.size() < 12 || line[8] != ' ') {
    return std::nullopt;
  }
  int code = 0;
  auto digits = line.substr(9, 3);
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), code);
  if (error != std::errc() || end != digits.data() + digits.size() || code < 100) {
    return std::nullopt;
  }
  return code;
}

}  // namespace

bool loopback_port_available(std::uint16_t port) {
  Socket socket;
  if (socket.fd() < 0) {
    return false;
  }
  int enable = 1;
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_REUSEADDR, &enable, sizeof enable);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::bind(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

std::optional<int> http_get_status(std::uint16_t port, const std::string& path,
                                   std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  Socket socket;
  if (socket.fd() < 0 || !connect_loopback(socket, port, deadline)) {
    return std::nullopt;
  }
  std::string request = fmt::format(
      "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nUser-Agent: surplus\r\nConnection: close\r\n\r\n",
      path, port);
  if (!send_all(socket, request, deadline)) {
    return std::nullopt;
  }

  // Only the status line matters, so reading stops at the first line break.
  std::string received;
  while (received.find("\r\n") == std::string::npos && received.size() < 1024) {
    char buffer[256];
    ssize_t count = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (count > 0) {
      received.append(buffer, static_cast<std::size_t>(count));
    } else if (count == 0) {
      break;
    } else if ((errno != EAGAIN && errno != EINTR) || !wait_ready(socket.fd(), POLLIN, deadline)) {
      return std::nullopt;
    }
  }
  auto line_end = received.find("\r\n");
  if (line_end == std::string::npos) {
    return std::nullopt;
  }
  return parse_status_line(std::string_view(received).substr(0, line_end));
}

}  // namespace surplus::tool
