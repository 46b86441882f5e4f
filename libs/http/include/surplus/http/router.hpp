#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <surplus/http/request.hpp>
#include <surplus/http/response.hpp>
#include <surplus/http/websocket.hpp>

namespace surplus::http {

// Handlers run on the server's worker threads and may block (database, Client calls).
// A handler reports failures by throwing core::Error; see Router::handle.
using Handler = std::function<Response(Request&)>;

// The thread that runs a route's handler.
enum class Dispatch {
  // On a worker thread, where it may block. The default.
  kWorker,
  // On the connection's I/O thread, at once. Only for handlers that never block and finish
  // in microseconds, such as a liveness probe, which then responds even while every worker
  // thread waits on a stalled downstream service. The router cannot check this contract.
  kInline,
};

// Maps method and path to a handler. Patterns are absolute paths whose segments are
// literals or `{name}` parameters, e.g. "/users/{id}/orders"; a parameter matches one
// non-empty segment. When several patterns match, the one whose first differing segment is
// a literal wins, so "/users/me" beats "/users/{id}". Not thread-safe while routes are
// added; the server only reads it.
class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Adds a route; throws std::invalid_argument for a malformed pattern or a pattern and
  // method that are already registered.
  Router& add(std::string method, const std::string& pattern, Handler handler,
              Dispatch dispatch = Dispatch::kWorker);
  Router& get(const std::string& pattern, Handler handler, Dispatch dispatch = Dispatch::kWorker);
  Router& post(const std::string& pattern, Handler handler);
  Router& put(const std::string& pattern, Handler handler);
  Router& patch(const std::string& pattern, Handler handler);
  Router& del(const std::string& pattern, Handler handler);

  // Adds a WebSocket endpoint: a GET with `Upgrade: websocket` to `pattern` calls
  // `factory`. A plain GET to the same path gets 426 UPGRADE_REQUIRED unless a GET route
  // also exists.
  Router& websocket(const std::string& pattern, WebSocketFactory factory,
                    WebSocketOptions options = {});

  // The error boundary: routes `request` (filling path_params) and runs the handler.
  //  - no route for the path: 404 NOT_FOUND problem;
  //  - path known, method not: 405 METHOD_NOT_ALLOWED problem with an Allow header
  //    (HEAD is answered by a GET route, without the body);
  //  - handler throws core::Error: its problem, logged at warn for 5xx, debug otherwise;
  //  - handler throws anything else: logged at error with the request id and what(), and
  //    a 500 INTERNAL problem with a generic message.
  // Never throws.
  Response handle(Request& request) const;

  // Whether the route that handle() would run for `request` is Dispatch::kInline.
  bool runs_inline(const Request& request) const;

  struct WebSocketRoute {
    const WebSocketFactory* factory = nullptr;
    const WebSocketOptions* options = nullptr;
  };
  // Finds the WebSocket route for request.path and fills path_params; factory is null
  // when there is none.
  WebSocketRoute find_websocket(Request& request) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace surplus::http
