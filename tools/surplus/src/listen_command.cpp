// `surplus listen`: a command-line client of the notifications WebSocket protocol
// (docs/notifications-protocol.md), for operators and demos.
#include "listen_command.hpp"

#include <cstdio>
#include <optional>
// g++ 12 needs <utility> before Asio's headers.
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "services.hpp"

namespace surplus::tool {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct WsUrl {
  std::string host;
  std::string port = "80";
  std::string path = "/";
};

WsUrl parse_ws_url(const std::string& url) {
  constexpr std::string_view kScheme = "ws://";
  if (!url.starts_with(kScheme)) {
    throw ToolError(fmt::format("--url '{}' is invalid: expected ws://host:port/path", url));
  }
  std::string rest = url.substr(kScheme.size());
  WsUrl parsed;
  auto slash = rest.find('/');
  if (slash != std::string::npos) {
    parsed.path = rest.substr(slash);
    rest.resize(slash);
  }
  auto colon = rest.rfind(':');
  if (colon != std::string::npos) {
    parsed.port = rest.substr(colon + 1);
    rest.resize(colon);
  }
  parsed.host = rest;
  if (parsed.host.empty() || parsed.port.empty()) {
    throw ToolError(fmt::format("--url '{}' is invalid: expected ws://host:port/path", url));
  }
  return parsed;
}

std::optional<nlohmann::json> parse_since(const ListenOptions& options) {
  if (options.since.empty()) {
    return std::nullopt;
  }
  auto colon = options.since.rfind(':');
  std::int64_t offset = -1;
  if (colon != std::string::npos && colon > 0) {
    try {
      std::size_t used = 0;
      offset = std::stoll(options.since.substr(colon + 1), &used);
      if (used != options.since.size() - colon - 1) {
        offset = -1;
      }
    } catch (const std::exception&) {
      offset = -1;
    }
  }
  if (offset < 0) {
    throw ToolError(fmt::format(
        "--since '{}' is invalid: expected epoch:offset as printed by a subscribed line",
        options.since));
  }
  if (options.channels.size() != 1) {
    throw ToolError("--since needs exactly one --channel, because positions are per channel");
  }
  return nlohmann::json{{"epoch", options.since.substr(0, colon)}, {"offset", offset}};
}

void print_status(const nlohmann::json& message) {
  auto type = message.value("type", "");
  if (type == "subscribed") {
    std::fprintf(stderr, "subscribed to %s at %s:%lld (recovered: %s)\n",
                 message.value("channel", "").c_str(), message.value("epoch", "").c_str(),
                 static_cast<long long>(message.value("offset", std::int64_t{0})),
                 message.value("recovered", false) ? "yes" : "no");
  } else if (type == "error") {
    std::fprintf(stderr, "error %s%s%s: %s\n", message.value("code", "").c_str(),
                 message.contains("channel") ? " on " : "", message.value("channel", "").c_str(),
                 message.value("message", "").c_str());
  } else {
    std::fprintf(stderr, "%s\n", message.dump().c_str());
  }
}

int listen(websocket::stream<tcp::socket>& ws, const ListenOptions& options) {
  beast::flat_buffer buffer;
  std::int64_t events = 0;
  while (true) {
    boost::system::error_code ec;
    ws.read(buffer, ec);
    if (ec == websocket::error::closed) {
      auto code = static_cast<int>(ws.reason().code);
      std::fprintf(stderr, "the server closed the connection with %d %s\n", code,
                   ws.reason().reason.c_str());
      return code == 1000 ? 0 : 1;
    }
    if (ec) {
      std::fprintf(stderr, "the connection failed: %s\n", ec.message().c_str());
      return 1;
    }
    auto text = beast::buffers_to_string(buffer.data());
    buffer.consume(buffer.size());
    auto message = nlohmann::json::parse(text, nullptr, false);
    if (message.value("type", "") != "event") {
      print_status(message);
      // A rejected subscription leaves this command with nothing it was asked to print.
      if (message.value("type", "") == "error" && message.contains("channel")) {
        ws.close(websocket::close_code::normal, ec);
        return 1;
      }
      continue;
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    if (options.count > 0 && ++events >= options.count) {
      ws.close(websocket::close_code::normal, ec);
      return 0;
    }
  }
}

}  // namespace

CLI::App* add_listen_command(CLI::App& app, ListenOptions& options) {
  auto* command = app.add_subcommand(
      "listen", "Subscribe to notification channels and print each event as a JSON line on stdout");
  command->add_option("--url", options.url, "WebSocket endpoint of the notifications service")
      ->envname("SURPLUS_NOTIFICATIONS_WS_URL")
      ->capture_default_str();
  command
      ->add_option("--channel", options.channels,
                   "Channel to subscribe to (repeatable): offers, restaurant:{id}:offers, "
                   "restaurant:{id}, user:{id}, courier:{id}, order:{id}")
      ->required();
  command
      ->add_option("--token", options.token,
                   "Access token, sent in the Authorization header; without it only the "
                   "public channels are allowed")
      ->envname("SURPLUS_TOKEN");
  command->add_option("--since", options.since,
                      "Resume after this position, epoch:offset, with exactly one --channel");
  command->add_option("--count", options.count, "Exit after this many events; 0: run until closed")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  return command;
}

int run_listen(const ListenOptions& options) {
  auto url = parse_ws_url(options.url);
  auto since = parse_since(options);

  asio::io_context io;
  websocket::stream<tcp::socket> ws(io);
  tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto endpoints = resolver.resolve(url.host, url.port, ec);
  if (!ec) {
    asio::connect(ws.next_layer(), endpoints, ec);
  }
  if (ec) {
    throw ToolError(fmt::format("connecting to {} failed: {}", options.url, ec.message()));
  }
  if (!options.token.empty()) {
    ws.set_option(websocket::stream_base::decorator(
        [token = options.token](websocket::request_type& request) {
          request.set(beast::http::field::authorization, "Bearer " + token);
        }));
  }
  websocket::response_type response;
  ws.handshake(response, url.host + ":" + url.port, url.path, ec);
  if (ec) {
    throw ToolError(fmt::format("the WebSocket upgrade at {} failed with HTTP {}: {}", options.url,
                                response.result_int(), ec.message()));
  }

  for (const auto& channel : options.channels) {
    nlohmann::json subscribe{{"type", "subscribe"}, {"channel", channel}};
    if (since) {
      subscribe["since"] = *since;
    }
    ws.text(true);
    ws.write(asio::buffer(subscribe.dump()));
  }
  return listen(ws, options);
}

}  // namespace surplus::tool
