#pragma once

// Blocking loopback sockets for tests that need exact control over the bytes on the wire
// (half-sent requests, oversized headers, dropped connections). Test code only.

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace surplus::http::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
};

class RawSocket {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error with errno text on failure.
  explicit RawSocket(std::uint16_t port, int receive_buffer_bytes = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (receive_buffer_bytes > 0) {
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes, sizeof(receive_buffer_bytes));
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      std::string error = std::strerror(errno);
      ::close(fd_);
      throw std::runtime_error("connect to port " + std::to_string(port) + " failed: " + error);
    }
  }
  explicit RawSocket(int fd) : fd_(fd) {}
  ~RawSocket() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  void send(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      auto n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) {
        throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
      }
      sent += static_cast<std::size_t>(n);
    }
  }

  // Reads up to `max` bytes, waiting at most `timeout`. Returns nullopt on timeout, and an
  // empty string when the peer closed or reset the connection.
  std::optional<std::string> receive(std::chrono::milliseconds timeout, std::size_t max = 65536) {
    pollfd entry{fd_, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(timeout.count())) <= 0) {
      return std::nullopt;
    }
    std::string data(max, '\0');
    auto n = ::recv(fd_, data.data(), max, 0);
    data.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return data;
  }

  // Whether the peer closes the connection within `timeout`, discarding any data.
  bool closed_within(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      auto data = receive(left);
      if (!data) {
        return false;
      }
      if (data->empty()) {
        return true;
      }
    }
    return false;
  }

  // Reads one response with a Content-Length body (or none, for HEAD and 1xx/204/304).
  RawResponse read_response(bool head_request = false,
                            std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    while (buffer_.find("\r\n\r\n") == std::string::npos) {
      fill(timeout);
    }
    auto header_end = buffer_.find("\r\n\r\n");
    std::string head = buffer_.substr(0, header_end);
    buffer_.erase(0, header_end + 4);

    RawResponse response;
    response.status = std::stoi(head.substr(9, 3));
    std::size_t line_start = head.find("\r\n");
    while (line_start != std::string::npos) {
      line_start += 2;
      auto line_end = head.find("\r\n", line_start);
      std::string line = head.substr(line_start, line_end - line_start);
      auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (auto& c : name) {
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        auto value_start = line.find_first_not_of(' ', colon + 1);
        response.headers[name] = value_start == std::string::npos ? "" : line.substr(value_start);
      }
      line_start = line_end;
    }
    std::size_t length = 0;
    if (auto it = response.headers.find("content-length");
        it != response.headers.end() && !head_request) {
      length = std::stoul(it->second);
    }
    while (buffer_.size() < length) {
      fill(timeout);
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
  }

  int fd() const { return fd_; }

 private:
  void fill(std::chrono::milliseconds timeout) {
    auto data = receive(timeout);
    if (!data) {
      throw std::runtime_error("timed out waiting for a response");
    }
    if (data->empty()) {
      throw std::runtime_error("connection closed before a complete response");
    }
    buffer_ += *data;
  }

  int fd_ = -1;
  std::string buffer_;
};

// A one-line GET request with keep-alive.
inline std::string get_request(const std::string& target, const std::string& extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra_headers + "\r\n";
}

// A listening socket on an ephemeral loopback port, for scripted fake servers.
class RawListener {
 public:
  RawListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(fd_, 16) != 0) {
      throw std::runtime_error(std::string("listen failed: ") + std::strerror(errno));
    }
    socklen_t length = sizeof(address);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~RawListener() { close(); }

  std::uint16_t port() const { return port_; }
  void close() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  // Waits up to `timeout` for a connection; returns its descriptor or -1.
  int accept(std::chrono::milliseconds timeout) {
    pollfd entry{fd_, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(timeout.count())) <= 0) {
      return -1;
    }
    return ::accept(fd_, nullptr, nullptr);
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace surplus::http::testing
