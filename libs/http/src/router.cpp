#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <surplus/core/error.hpp>
#include <surplus/http/router.hpp>

#include "problem.hpp"
#include "route_pattern.hpp"

namespace surplus::http {
namespace {

struct Route {
  std::string method;
  RoutePattern pattern;
  Handler handler;
  Dispatch dispatch;
};

struct WebSocketEndpoint {
  RoutePattern pattern;
  WebSocketFactory factory;
  WebSocketOptions options;
};

std::string join_methods(const std::set<std::string>& methods) {
  std::string joined;
  for (const auto& method : methods) {
    if (!joined.empty()) {
      joined += ", ";
    }
    joined += method;
  }
  return joined;
}

}  // namespace

struct Router::Impl {
  std::vector<Route> routes;
  std::vector<WebSocketEndpoint> websockets;

  Response dispatch(Request& request) const;
  // The most specific route for `method` and `path`, or null; fills `params` when found.
  const Route* best_route(const std::string& method, const std::string& path,
                          std::map<std::string, std::string>& params) const;
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

Router& Router::add(std::string method, const std::string& pattern, Handler handler,
                    Dispatch dispatch) {
  RoutePattern parsed(pattern);
  for (const auto& route : impl_->routes) {
    if (route.method == method && route.pattern.text() == parsed.text()) {
      throw std::invalid_argument(
          fmt::format("route {} {} is already registered", method, pattern));
    }
  }
  impl_->routes.push_back({std::move(method), std::move(parsed), std::move(handler), dispatch});
  return *this;
}

Router& Router::get(const std::string& pattern, Handler handler, Dispatch dispatch) {
  return add("GET", pattern, std::move(handler), dispatch);
}

Router& Router::post(const std::string& pattern, Handler handler) {
  return add("POST", pattern, std::move(handler));
}

Router& Router::put(const std::string& pattern, Handler handler) {
  return add("PUT", pattern, std::move(handler));
}

Router& Router::patch(const std::string& pattern, Handler handler) {
  return add("PATCH", pattern, std::move(handler));
}

Router& Router::del(const std::string& pattern, Handler handler) {
  return add("DELETE", pattern, std::move(handler));
}

Router& Router::websocket(const std::string& pattern, WebSocketFactory factory,
                          WebSocketOptions options) {
  RoutePattern parsed(pattern);
  for (const auto& endpoint : impl_->websockets) {
    if (endpoint.pattern.text() == parsed.text()) {
      throw std::invalid_argument(fmt::format("WebSocket route {} is already registered", pattern));
    }
  }
  impl_->websockets.push_back({std::move(parsed), std::move(factory), options});
  return *this;
}

Router::WebSocketRoute Router::find_websocket(Request& request) const {
  for (const auto& endpoint : impl_->websockets) {
    if (auto params = endpoint.pattern.match(request.path)) {
      request.path_params = std::move(*params);
      return {&endpoint.factory, &endpoint.options};
    }
  }
  return {};
}

const Route* Router::Impl::best_route(const std::string& method, const std::string& path,
                                      std::map<std::string, std::string>& params) const {
  const Route* best = nullptr;
  for (const auto& route : routes) {
    if (route.method != method) {
      continue;
    }
    auto matched = route.pattern.match(path);
    if (matched && (best == nullptr || route.pattern.more_specific_than(best->pattern))) {
      best = &route;
      params = std::move(*matched);
    }
  }
  return best;
}

Response Router::Impl::dispatch(Request& request) const {
  // HEAD is served by the GET route; the server drops the body.
  const std::string method = request.method == "HEAD" ? std::string("GET") : request.method;
  std::map<std::string, std::string> params;
  if (const Route* best = best_route(method, request.path, params)) {
    request.path_params = std::move(params);
    return best->handler(request);
  }

  std::set<std::string> allowed;
  for (const auto& route : routes) {
    if (route.pattern.match(request.path)) {
      allowed.insert(route.method);
    }
  }
  for (const auto& endpoint : websockets) {
    if (endpoint.pattern.match(request.path)) {
      allowed.insert("GET");
    }
  }
  if (allowed.empty()) {
    throw core::Error(core::ErrorCode::kNotFound,
                      fmt::format("there is no resource at {}; check the path", request.path));
  }
  if (method == "GET" && allowed.count("GET") != 0) {
    // Only a WebSocket endpoint matched: the client forgot the upgrade headers.
    auto response = problem_response(
        426, "UPGRADE_REQUIRED",
        fmt::format("{} is a WebSocket endpoint; connect with Upgrade: websocket", request.path),
        request.path);
    response.headers.set("Upgrade", "websocket");
    return response;
  }
  if (allowed.count("GET") != 0) {
    allowed.insert("HEAD");
  }
  auto response = Response::problem(
      core::Error(core::ErrorCode::kMethodNotAllowed,
                  fmt::format("method {} is not allowed for {}; allowed: {}", request.method,
                              request.path, join_methods(allowed))),
      request.path);
  response.headers.set("Allow", join_methods(allowed));
  return response;
}

bool Router::runs_inline(const Request& request) const {
  const std::string method = request.method == "HEAD" ? std::string("GET") : request.method;
  std::map<std::string, std::string> params;
  const Route* best = impl_->best_route(method, request.path, params);
  return best != nullptr && best->dispatch == Dispatch::kInline;
}

Response Router::handle(Request& request) const {
  try {
    return impl_->dispatch(request);
  } catch (const core::Error& error) {
    if (error.http_status() >= 500) {
      spdlog::warn("{} {} failed with {}: {} ({})", request.method, request.path,
                   core::error_code_name(error.code()), error.message(), error.detail());
    } else {
      spdlog::debug("{} {} rejected with {}: {} ({})", request.method, request.path,
                    core::error_code_name(error.code()), error.message(), error.detail());
    }
    return Response::problem(error, request.path);
  } catch (const std::exception& error) {
    spdlog::error("{} {} failed with an unexpected exception: {}", request.method, request.path,
                  error.what());
  } catch (...) {
    spdlog::error("{} {} failed with an exception of unknown type", request.method, request.path);
  }
  return Response::problem(core::Error(core::ErrorCode::kInternal, "an internal error occurred"),
                           request.path);
}

}  // namespace surplus::http
