#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <surplus/auth/request_auth.hpp>
#include <surplus/http/websocket.hpp>

#include "hub.hpp"
#include "notifications_app.hpp"
#include "protocol.hpp"

namespace surplus::notifications {

// One /ws connection: runs the protocol of docs/notifications-protocol.md and receives
// the hub's deliveries for its subscriptions.
//
// Recovery without a gap or a duplicate: a subscription is registered with the hub
// before the history is read, and live entries that arrive meanwhile are held back.
// After the reply and the history are queued, the held entries with an offset above the
// last one sent follow, and from then on live entries go straight out. Entries committed
// after the history snapshot reach the hub after the registration, so none is missed;
// entries already in the snapshot are recognised by their offset and dropped.
class ClientConnection : public http::WebSocketHandler,
                         public Subscriber,
                         public std::enable_shared_from_this<ClientConnection> {
 public:
  // `identity` comes from the upgrade request's Authorization header, anonymous when it
  // had none. Counts itself in app->open_connections until destroyed.
  ClientConnection(std::shared_ptr<NotificationsApp> app, auth::Identity identity);
  ~ClientConnection() override;

  void on_open(std::shared_ptr<http::WebSocketConnection> connection) override;
  void on_message(std::string_view text) override;
  void on_close(std::uint16_t code, std::string_view reason) override;

  void deliver(const std::string& channel, const EntryBatch& batch) override;

 private:
  struct Subscription {
    std::int64_t last_sent = 0;
    bool recovering = true;
    // Live entries held back while recovering, in offset order.
    std::vector<std::pair<std::int64_t, http::SharedMessage>> held;
  };

  void handle(const ClientMessage& message);
  void authenticate(const std::string& token);
  void subscribe(const ClientMessage& message);
  void unsubscribe(const std::string& channel);
  // Queues `text`; a full queue makes the server close the connection with 4000.
  void send(std::string text);
  void forget_subscription(const std::string& channel);

  std::shared_ptr<NotificationsApp> app_;
  auth::Identity identity_;
  bool authenticated_by_header_;
  bool first_message_ = true;
  std::shared_ptr<http::WebSocketConnection> connection_;

  // Shared with deliver() on the hub's thread.
  std::mutex mutex_;
  std::map<std::string, Subscription, std::less<>> subscriptions_;
  bool closed_ = false;
};

}  // namespace surplus::notifications
