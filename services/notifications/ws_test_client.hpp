#pragma once

// A blocking WebSocket client for tests, on Beast over a real loopback socket. Every wait
// has a deadline, so a test fails instead of hanging when a message never comes.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace surplus::notifications::testing {

struct WsClientOptions {
  std::vector<std::pair<std::string, std::string>> headers;  // added to the upgrade request
  // SO_RCVBUF of the client socket, set before connecting; small values make a client that
  // stops reading fill the server's send queue sooner.
  std::optional<int> receive_buffer_bytes;
};

class WsClient {
 public:
  // Connects to ws://127.0.0.1:<port><path> and completes the handshake. Throws
  // std::runtime_error when the server declines the upgrade (see upgrade_status).
  WsClient(std::uint16_t port, const std::string& path, WsClientOptions options = {});
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Returns the HTTP status of the server's response to an upgrade request: 101 when it
  // accepts.
  static int upgrade_status(std::uint16_t port, const std::string& path,
                            const WsClientOptions& options = {});

  void send(const std::string& text);
  void send_json(const nlohmann::json& message) { send(message.dump()); }
  void send_binary(const std::string& data);

  // The next text message as JSON. Throws std::runtime_error when none arrives within
  // `timeout` or the connection closes first (close_code() then returns the close code).
  nlohmann::json receive(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads until the connection ends and returns the close code the server sent, or nullopt
  // when it ended without a close frame. Messages still arriving are discarded.
  std::optional<std::uint16_t> wait_for_close(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::optional<std::uint16_t> close_code() const { return close_code_; }

  // Sends a close frame with `code` and waits for the server's.
  void close(std::uint16_t code = 1000);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::optional<std::uint16_t> close_code_;
};

}  // namespace surplus::notifications::testing
