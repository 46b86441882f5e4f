#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include <surplus/http/websocket.hpp>

namespace surplus::http {

// The WebSocketConnection given to handlers, for either session type. It refers to the
// session weakly, so a handler may keep it after the connection or the whole server is
// gone, and a session is never kept alive by the handler that it owns.
template <typename Session>
class WebSocketHandle : public WebSocketConnection {
 public:
  explicit WebSocketHandle(const std::shared_ptr<Session>& session)
      : session_(session),
        remote_address_(session->remote_address()),
        request_id_(session->request_id()) {}

  bool send(std::string text) override {
    auto session = session_.lock();
    return session && session->enqueue(std::move(text), true);
  }
  bool send_binary(std::string data) override {
    auto session = session_.lock();
    return session && session->enqueue(std::move(data), false);
  }
  bool send_prepared(std::span<const SharedMessage> messages) override {
    if constexpr (requires(Session & session) { session.enqueue_prepared(messages); }) {
      auto session = session_.lock();
      return session && session->enqueue_prepared(messages);
    } else {
      return WebSocketConnection::send_prepared(messages);
    }
  }
  void close(std::uint16_t code, std::string reason) override {
    if (auto session = session_.lock()) {
      session->close(code, std::move(reason));
    }
  }
  bool is_open() const override {
    auto session = session_.lock();
    return session && session->is_open();
  }
  const std::string& remote_address() const override { return remote_address_; }
  const std::string& request_id() const override { return request_id_; }
  std::size_t queued_bytes() const override {
    auto session = session_.lock();
    return session ? session->queued_bytes() : 0;
  }

 private:
  std::weak_ptr<Session> session_;
  std::string remote_address_;
  std::string request_id_;
};

}  // namespace surplus::http
