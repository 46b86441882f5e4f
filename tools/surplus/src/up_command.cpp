#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <stop_token>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "health_check.hpp"

namespace surplus::tool {
namespace {

using namespace std::chrono_literals;

constexpr auto kHealthPollInterval = 250ms;
constexpr auto kHealthRequestTimeout = 1s;

void print_urls(const UpOptions& options) {
  std::string text = "\nSurplus is running:\n";
  for (const auto& service : options.services) {
    auto port = service_port(service, options.layout);
    std::string url;
    if (service.name == "gateway") {
      url = fmt::format(
          "http://127.0.0.1:{0}/graphql  (GraphiQL in a browser)\n"
          "  {1:<14} ws://127.0.0.1:{0}/graphql  (subscriptions, graphql-transport-ws)",
          port, "");
    } else if (service.name == "notifications") {
      url = fmt::format("ws://127.0.0.1:{}/ws  (health: http://127.0.0.1:{}/healthz)", port, port);
    } else {
      url = fmt::format("http://127.0.0.1:{}", port);
    }
    text += fmt::format("  {:<14} {}\n", service.name, url);
  }
  text += fmt::format("  every service serves /healthz, /readyz and /metrics\n");
  text += fmt::format("  data: {}\n", options.layout.var_dir.string());
  std::fputs(text.c_str(), stdout);
  print_demo_accounts(options.layout);
  std::fputs("Press Ctrl-C to stop.\n\n", stdout);
  std::fflush(stdout);
}

// Polls every service's /healthz until all return 200 and then prints the URLs once.
void watch_health(std::stop_token stop, const UpOptions& options) {
  std::mutex mutex;
  std::condition_variable_any wakeup;
  auto started = std::chrono::steady_clock::now();
  bool warned = false;

  while (!stop.stop_requested()) {
    std::vector<std::string> not_ready;
    for (const auto& service : options.services) {
      auto status =
          http_get_status(service_port(service, options.layout), "/healthz", kHealthRequestTimeout);
      if (status != 200) {
        not_ready.push_back(fmt::format(
            "{} ({})", service.name, status ? fmt::format("status {}", *status) : "no response"));
      }
    }
    if (not_ready.empty()) {
      if (!stop.stop_requested()) {
        print_urls(options);
      }
      return;
    }
    if (!warned && std::chrono::steady_clock::now() - started >= options.ready_warning_after) {
      spdlog::warn("GET /healthz has not returned 200 from: {}; still waiting",
                   fmt::join(not_ready, ", "));
      warned = true;
    }
    std::unique_lock lock(mutex);
    wakeup.wait_for(lock, stop, kHealthPollInterval, [] { return false; });
  }
}

}  // namespace

int run_up(const UpOptions& options) {
  // A service that cannot bind its port would exit and be restarted forever, so a port
  // taken by another program (often an earlier `surplus up`) stops us here instead.
  for (const auto& service : options.services) {
    auto port = service_port(service, options.layout);
    if (!loopback_port_available(port)) {
      throw ToolError(fmt::format(
          "port {} for {} is already in use on 127.0.0.1; stop the program using it or pass "
          "--base-port",
          port, service.name));
    }
  }

  std::vector<ChildSpec> children;
  for (const auto& service : options.services) {
    children.push_back({.name = std::string(service.name),
                        .command = service_command(service, options.layout, {})});
  }
  std::filesystem::create_directories(options.layout.var_dir);
  spdlog::info("starting {} services from base port {}, data in {}", children.size(),
               options.layout.base_port, options.layout.var_dir.string());

  Supervisor supervisor(std::move(children), options.policy);
  std::jthread health_watcher(watch_health, std::cref(options));
  int status = supervisor.run();
  health_watcher.request_stop();
  return status;
}

}  // namespace surplus::tool
