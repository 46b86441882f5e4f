// The load client of bench/gateway/run: a closed loop of CONNECTIONS operations in flight.
// Each slot starts its next operation as soon as the previous one finished, over the
// keep-alive connections of CLIENT_THREADS surplus::http::Client objects, each with one I/O
// thread. It runs one operation against one target and prints one JSON line with the
// operations per second and the p50 and p99 latency. The line also gives the CPU time used
// over the measured window by the client itself, with --cpu-pid by that process, and with
// --service-pid NAME=PID by each service named.
//
// An operation counts only when its response is correct (see operations.hpp). Before the
// warm-up, the first operation is checked on its own; if it fails, the client prints why
// and exits with status 1 without measuring.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "operations.hpp"

namespace bench = surplus::bench;
namespace http = surplus::http;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string target;     // gateway, apollo or direct
  std::string operation;  // offers-near or place-order
  std::string document_file;
  int connections = 16;
  int client_threads = 2;
  double warmup_seconds = 3;
  double duration_seconds = 10;
  int cpu_pid = 0;
  std::vector<std::string> service_pid_options;  // NAME=PID, as given
  std::map<std::string, int> service_pids;       // service name to process id
  bench::OperationSettings settings;
};

// Results of the operations that finished inside the measured window.
struct Window {
  std::mutex mutex;
  std::condition_variable idle;
  std::vector<std::int64_t> latencies_ns;
  std::uint64_t failures = 0;
  std::string first_failure;
  int running = 0;  // slots whose loop has not ended
};

// User plus system CPU seconds of process `pid` so far, from /proc/PID/stat.
std::optional<double> cpu_seconds(int pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto name_end = text.rfind(')');
  if (name_end == std::string::npos) {
    return std::nullopt;
  }
  // After the command name come the fields from 3 (state) on; utime and stime are 14 and 15.
  std::istringstream fields(text.substr(name_end + 2));
  std::vector<std::string> values;
  for (std::string value; fields >> value && values.size() < 13;) {
    values.push_back(value);
  }
  if (values.size() < 13) {
    return std::nullopt;
  }
  const double ticks = std::stod(values[11]) + std::stod(values[12]);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Reads the CPU seconds so far of each named service. A process that has exited is left out.
std::map<std::string, double> services_cpu_seconds(const std::map<std::string, int>& pids) {
  std::map<std::string, double> seconds;
  for (const auto& [name, pid] : pids) {
    if (const auto cpu = cpu_seconds(pid)) {
      seconds[name] = *cpu;
    }
  }
  return seconds;
}

// {"NAME": {"cpuSeconds": S, "cpuSecondsPer1000": S}, ...} for the services measured at both
// ends of the window.
nlohmann::ordered_json services_cpu_json(const std::map<std::string, double>& before,
                                         const std::map<std::string, double>& after,
                                         std::size_t operations) {
  nlohmann::ordered_json services = nlohmann::ordered_json::object();
  for (const auto& [name, end] : after) {
    const auto start = before.find(name);
    if (start == before.end()) {
      continue;
    }
    const double cpu = end - start->second;
    services[name] = {
        {"cpuSeconds", cpu},
        {"cpuSecondsPer1000",
         operations == 0 ? 0.0 : cpu * 1000.0 / static_cast<double>(operations)},
    };
  }
  return services;
}

std::unique_ptr<bench::Operation> make_operation(const Options& options) {
  const bool direct = options.target == "direct";
  if (options.operation == "offers-near") {
    return direct ? bench::direct_offers_near(options.settings)
                  : bench::graphql_offers_near(options.settings);
  }
  return direct ? bench::direct_place_order(options.settings)
                : bench::graphql_place_order(options.settings);
}

// Runs one operation and waits for it; returns its failure, empty when it succeeded.
std::string run_once(bench::Operation& operation, http::Client& client) {
  std::promise<std::string> outcome;
  auto future = outcome.get_future();
  operation.start(client, [&outcome](std::string failure) { outcome.set_value(failure); });
  return future.get();
}

// One slot of the closed loop: starts an operation, records it if it finished inside
// [window_start, window_end], and starts the next until window_end.
void run_slot(bench::Operation& operation, http::Client& client, Window& window,
              Clock::time_point window_start, Clock::time_point window_end) {
  const auto started = Clock::now();
  if (started >= window_end) {
    std::lock_guard lock(window.mutex);
    if (--window.running == 0) {
      window.idle.notify_all();
    }
    return;
  }
  operation.start(client, [&operation, &client, &window, started, window_start,
                           window_end](std::string failure) {
    const auto finished = Clock::now();
    if (finished >= window_start && finished <= window_end) {
      std::lock_guard lock(window.mutex);
      if (failure.empty()) {
        window.latencies_ns.push_back(
            std::chrono::duration_cast<std::chrono::nanoseconds>(finished - started).count());
      } else {
        if (window.failures++ == 0) {
          window.first_failure = failure;
        }
      }
    }
    run_slot(operation, client, window, window_start, window_end);
  });
}

double percentile_ms(const std::vector<std::int64_t>& sorted, double fraction) {
  if (sorted.empty()) {
    return 0;
  }
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
  return static_cast<double>(sorted[index]) / 1e6;
}

std::string random_hex() {
  std::random_device device;
  return fmt::format("{:08x}{:08x}", device(), device());
}

void add_options(CLI::App& app, Options& options) {
  app.add_option("--target", options.target, "gateway, apollo or direct")
      ->required()
      ->check(CLI::IsMember({"gateway", "apollo", "direct"}));
  app.add_option("--operation", options.operation, "offers-near or place-order")
      ->required()
      ->check(CLI::IsMember({"offers-near", "place-order"}));

  app.add_option("--graphql-url", options.settings.graphql_url,
                 "GraphQL endpoint of the gateway or apollo target");
  app.add_option("--document", options.document_file,
                 "file with the GraphQL document of the operation (gateway and apollo)");
  app.add_option("--orders-url", options.settings.orders_url, "base URL of the orders service");
  app.add_option("--offers-url", options.settings.offers_url, "base URL of the offers service");
  app.add_option("--token", options.settings.access_token, "the customer's access token")
      ->required();
  app.add_option("--latitude", options.settings.latitude, "search centre, degrees");
  app.add_option("--longitude", options.settings.longitude, "search centre, degrees");
  app.add_option("--offer-ids", options.settings.offer_ids,
                 "offers that placeOrder takes in turn, comma-separated")
      ->delimiter(',');

  app.add_option("--connections", options.connections, "operations in flight at once")
      ->check(CLI::Range(1, 1000));
  app.add_option("--client-threads", options.client_threads,
                 "HTTP clients, each with its own I/O thread, that share the connections")
      ->check(CLI::Range(1, 16));
  app.add_option("--warmup", options.warmup_seconds, "seconds run before measuring")
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--duration", options.duration_seconds, "seconds measured")
      ->check(CLI::Range(1.0, 120.0));
  app.add_option("--cpu-pid", options.cpu_pid,
                 "process whose CPU time in the measured window is reported");
  app.add_option("--service-pid", options.service_pid_options,
                 "NAME=PID of a service whose CPU time in the measured window is reported "
                 "under servicesCpu.NAME; repeatable");
}

// Parses the NAME=PID values into options.service_pids. Returns an error message, or an
// empty string when every value is valid.
std::string read_service_pids(Options& options) {
  for (const auto& text : options.service_pid_options) {
    const auto equals = text.find('=');
    int pid = 0;
    bool valid = equals != std::string::npos && equals > 0;
    if (valid) {
      const char* end = text.data() + text.size();
      valid = std::from_chars(text.data() + equals + 1, end, pid).ptr == end && pid > 0;
    }
    if (!valid) {
      return "--service-pid expects NAME=PID with a positive PID, got " + text;
    }
    options.service_pids[text.substr(0, equals)] = pid;
  }
  return {};
}

// Checks the options that depend on the target and operation; returns an error message.
std::string invalid_options(const Options& options) {
  const bool direct = options.target == "direct";
  if (!direct && (options.settings.graphql_url.empty() || options.document_file.empty())) {
    return "--graphql-url and --document are required for the gateway and apollo targets";
  }
  if (direct && (options.settings.orders_url.empty() ||
                 (options.operation == "offers-near" && options.settings.offers_url.empty()))) {
    return "--orders-url and, for offers-near, --offers-url are required for the direct target";
  }
  if (options.operation == "place-order" && options.settings.offer_ids.empty()) {
    return "--offer-ids is required for place-order";
  }
  if (direct && options.operation == "offers-near" && options.settings.service_secret.empty()) {
    return "SERVICE_SECRET must be set for the direct offers-near target";
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Closed-loop load client of bench/gateway/run; prints one JSON line."};
  Options options;
  add_options(app, options);
  CLI11_PARSE(app, argc, argv);

  if (const char* secret = std::getenv("SERVICE_SECRET")) {
    options.settings.service_secret = secret;
  }
  if (std::string error = read_service_pids(options); !error.empty()) {
    std::cerr << "gateway_load: " << error << "\n";
    return 2;
  }
  if (const std::string error = invalid_options(options); !error.empty()) {
    std::cerr << "gateway_load: " << error << "\n";
    return 2;
  }
  if (!options.document_file.empty()) {
    std::ifstream file(options.document_file);
    if (!file) {
      std::cerr << "gateway_load: cannot read " << options.document_file << "\n";
      return 2;
    }
    options.settings.document.assign(std::istreambuf_iterator<char>(file), {});
  }
  options.settings.idempotency_prefix = "bench-" + options.target + "-" + random_hex() + "-";

  const int client_count = std::min(options.client_threads, options.connections);
  http::ClientOptions client_options;
  client_options.max_connections_per_host =
      static_cast<std::size_t>((options.connections + client_count - 1) / client_count);
  client_options.max_attempts = 1;
  std::vector<std::unique_ptr<http::Client>> clients;
  for (int i = 0; i < client_count; ++i) {
    clients.push_back(std::make_unique<http::Client>(client_options));
  }
  const auto operation = make_operation(options);

  if (const std::string failure = run_once(*operation, *clients.front()); !failure.empty()) {
    std::cerr << fmt::format("gateway_load: the first {} response of {} is wrong: {}\n",
                             options.operation, options.target, failure);
    return 1;
  }

  Window window;
  const auto window_start =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(options.warmup_seconds));
  const auto window_end =
      window_start + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(options.duration_seconds));
  window.running = options.connections;
  for (int slot = 0; slot < options.connections; ++slot) {
    run_slot(*operation, *clients[static_cast<std::size_t>(slot % client_count)], window,
             window_start, window_end);
  }

  std::this_thread::sleep_until(window_start);
  const auto cpu_before = options.cpu_pid > 0 ? cpu_seconds(options.cpu_pid) : std::nullopt;
  const auto client_cpu_before = cpu_seconds(getpid());
  const auto services_cpu_before = services_cpu_seconds(options.service_pids);
  std::this_thread::sleep_until(window_end);
  const auto cpu_after = options.cpu_pid > 0 ? cpu_seconds(options.cpu_pid) : std::nullopt;
  const auto client_cpu_after = cpu_seconds(getpid());
  const auto services_cpu_after = services_cpu_seconds(options.service_pids);

  std::unique_lock lock(window.mutex);
  // Operations still running at the end are bounded by the client's 10 s request timeout.
  if (!window.idle.wait_for(lock, std::chrono::seconds(30), [&] { return window.running == 0; })) {
    std::cerr << "gateway_load: operations still running 30 s after the end\n";
    return 1;
  }
  std::sort(window.latencies_ns.begin(), window.latencies_ns.end());
  const auto operations = window.latencies_ns.size();
  nlohmann::ordered_json result = {
      {"target", options.target},
      {"operation", options.operation},
      {"connections", options.connections},
      {"clientThreads", client_count},
      {"seconds", options.duration_seconds},
      {"operations", operations},
      {"failures", window.failures},
      {"perSecond", static_cast<double>(operations) / options.duration_seconds},
      {"p50Ms", percentile_ms(window.latencies_ns, 0.50)},
      {"p99Ms", percentile_ms(window.latencies_ns, 0.99)},
      {"maxMs", percentile_ms(window.latencies_ns, 1.0)},
  };
  if (cpu_before && cpu_after) {
    const double cpu = *cpu_after - *cpu_before;
    result["cpuSeconds"] = cpu;
    result["cpuSecondsPer1000"] =
        operations == 0 ? 0.0 : cpu * 1000.0 / static_cast<double>(operations);
  }
  if (client_cpu_before && client_cpu_after) {
    result["clientCpuSeconds"] = *client_cpu_after - *client_cpu_before;
  }
  if (!options.service_pids.empty()) {
    result["servicesCpu"] = services_cpu_json(services_cpu_before, services_cpu_after, operations);
  }
  if (window.failures > 0) {
    result["firstFailure"] = window.first_failure;
  }
  std::cout << result.dump() << std::endl;
  return 0;
}
