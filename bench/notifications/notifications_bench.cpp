// Load client of bench/notifications/run. Each command drives one running server (the
// notifications service or the `ws` peer) and prints one JSON line with its figures.
//
//   notifications_bench public-key
//   notifications_bench memory URL PID CONNECTIONS [--gc]
//   notifications_bench fanout URL SUBSCRIBERS EVENTS
//   notifications_bench throughput URL CHANNELS SUBSCRIBERS_PER_CHANNEL EVENTS
//   notifications_bench rate URL CHANNELS SUBSCRIBERS_PER_CHANNEL RATES SECONDS
//
// URL is the server's base URL (http://127.0.0.1:PORT); events go to URL/internal/events
// with X-Service-Secret from the SERVICE_SECRET variable, and WebSockets to URL/ws.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/auth/jwt.hpp>
#include <surplus/events/event.hpp>
#include <surplus/http/client.hpp>
#include <surplus/http/url.hpp>

#include "load_client.hpp"

namespace surplus::bench {
namespace {

using namespace std::chrono_literals;

constexpr int kClientThreads = 2;
constexpr int kMaxPendingHandshakes = 200;
constexpr auto kOpenTimeout = std::chrono::seconds(180);

struct Target {
  std::string url;
  std::string host;
  std::uint16_t port = 0;
};

Target parse_target(const std::string& url) {
  auto parsed = http::Url::parse(url);
  return {url, parsed.host, parsed.port};
}

// Resident set size of process `pid` in bytes, from /proc/PID/status.
std::int64_t resident_bytes(const std::string& pid) {
  std::ifstream status("/proc/" + pid + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) {
      return std::stoll(line.substr(6)) * 1024;
    }
  }
  throw std::runtime_error("no VmRSS in /proc/" + pid + "/status; is the process running?");
}

std::string service_secret() {
  const char* secret = std::getenv("SERVICE_SECRET");
  return secret ? secret : "surplus-dev-secret";
}

class Publisher {
 public:
  explicit Publisher(const Target& target) : url_(target.url + "/internal/events") {
    http::ClientOptions options;
    options.max_attempts = 1;
    options.request_timeout = 30s;
    client_ = std::make_unique<http::Client>(options);
  }

  // Posts one batch with an event per entry of `channels`, each carrying `sent`, the send
  // time in steady_nanoseconds() (now when omitted).
  void publish(const std::vector<std::string>& channels, std::int64_t sent = 0) {
    nlohmann::json batch = nlohmann::json::array();
    if (sent == 0) {
      sent = steady_nanoseconds();
    }
    for (const auto& channel : channels) {
      batch.push_back(events::to_envelope(
          events::make_event("bench.tick", {channel}, nlohmann::json{{"t", sent}})));
    }
    auto request = http::ClientRequest::json("POST", url_, nlohmann::json{{"events", batch}});
    request.headers.set("X-Service-Secret", service_secret());
    auto response = client_->send(std::move(request));
    if (response.status != 200) {
      throw std::runtime_error("POST " + url_ + " returned " + std::to_string(response.status) +
                               ": " + response.body);
    }
  }

  void post_empty(const std::string& path) {
    http::ClientRequest request;
    request.method = "POST";
    request.url = path;
    client_->send(std::move(request));
  }

 private:
  std::string url_;
  std::unique_ptr<http::Client> client_;
};

double percentile(std::vector<std::int64_t>& values, double fraction) {
  if (values.empty()) {
    return 0;
  }
  auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                   values.end());
  return static_cast<double>(values[index]) / 1e6;
}

nlohmann::json latency_summary(std::vector<std::int64_t> latencies) {
  auto p50 = percentile(latencies, 0.50);
  auto p99 = percentile(latencies, 0.99);
  auto max = percentile(latencies, 1.0);
  return {{"samples", latencies.size()}, {"p50_ms", p50}, {"p99_ms", p99}, {"max_ms", max}};
}

int memory(const Target& target, const std::string& pid, std::size_t connections, bool gc) {
  Publisher publisher(target);
  if (gc) {
    publisher.post_empty(target.url + "/internal/gc");
  }
  std::this_thread::sleep_for(1s);
  auto before = resident_bytes(pid);

  LoadClient client(target.host, target.port, kClientThreads, kMaxPendingHandshakes);
  // 150 subscribers per store channel, as followers of a store would be spread.
  std::vector<std::string> channels;
  for (std::size_t i = 0; i < connections; ++i) {
    channels.push_back("restaurant:" + std::to_string(i / 150) + ":offers");
  }
  auto subscribed = client.open(channels, kOpenTimeout);
  std::this_thread::sleep_for(2s);
  if (gc) {
    publisher.post_empty(target.url + "/internal/gc");
    std::this_thread::sleep_for(1s);
  }
  auto after = resident_bytes(pid);
  client.close_all();

  nlohmann::json result{{"scenario", "memory"},       {"connections", connections},
                        {"subscribed", subscribed},   {"failed", client.failed()},
                        {"rss_before_bytes", before}, {"rss_after_bytes", after}};
  if (subscribed > 0) {
    result["bytes_per_connection"] =
        static_cast<double>(after - before) / static_cast<double>(subscribed);
  }
  std::cout << result.dump() << std::endl;
  return subscribed == connections ? 0 : 1;
}

int fanout(const Target& target, std::size_t subscribers, int events) {
  LoadClient client(target.host, target.port, kClientThreads, kMaxPendingHandshakes);
  auto subscribed = client.open(std::vector<std::string>(subscribers, "offers"), kOpenTimeout);
  Publisher publisher(target);
  // One unmeasured event, so that lazily built state on both sides is in place.
  publisher.publish({"offers"});
  bool complete = client.wait_for_events(subscribed, 10s);
  client.take_latencies();

  for (int i = 0; i < events && complete; ++i) {
    std::this_thread::sleep_for(200ms);
    publisher.publish({"offers"});
    complete = client.wait_for_events(subscribed * static_cast<std::uint64_t>(i + 2), 10s);
  }
  auto latencies = client.take_latencies();
  client.close_all();

  nlohmann::json result{
      {"scenario", "fanout"},     {"subscribers", subscribers},
      {"subscribed", subscribed}, {"events", events},
      {"complete", complete},     {"latency", latency_summary(std::move(latencies))}};
  std::cout << result.dump() << std::endl;
  return complete && subscribed == subscribers ? 0 : 1;
}

int throughput(const Target& target, std::size_t channel_count, std::size_t per_channel,
               int events) {
  constexpr int kBatch = 50;
  constexpr int kPublishers = 2;
  LoadClient client(target.host, target.port, kClientThreads, kMaxPendingHandshakes);
  std::vector<std::string> names;
  std::vector<std::string> connections;
  for (std::size_t c = 0; c < channel_count; ++c) {
    names.push_back("restaurant:" + std::to_string(c) + ":offers");
    for (std::size_t s = 0; s < per_channel; ++s) {
      connections.push_back(names.back());
    }
  }
  auto subscribed = client.open(connections, kOpenTimeout);

  auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> publishers;
  std::vector<double> ingest_seconds(kPublishers);
  for (int p = 0; p < kPublishers; ++p) {
    publishers.emplace_back([&, p] {
      Publisher publisher(target);
      for (int first = p * kBatch; first < events; first += kBatch * kPublishers) {
        std::vector<std::string> batch;
        for (int i = first; i < std::min(first + kBatch, events); ++i) {
          batch.push_back(names[static_cast<std::size_t>(i) % names.size()]);
        }
        publisher.publish(batch);
      }
      ingest_seconds[static_cast<std::size_t>(p)] =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    });
  }
  for (auto& publisher : publishers) {
    publisher.join();
  }
  auto ingested = *std::max_element(ingest_seconds.begin(), ingest_seconds.end());
  auto expected = static_cast<std::uint64_t>(events) * per_channel;
  bool complete = client.wait_for_events(expected, 60s);
  auto delivered =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto latencies = client.take_latencies();
  auto received = client.events_received();
  client.close_all();

  nlohmann::json result{{"scenario", "throughput"},
                        {"channels", channel_count},
                        {"subscribers_per_channel", per_channel},
                        {"subscribed", subscribed},
                        {"events", events},
                        {"complete", complete},
                        {"messages_received", received},
                        {"ingested_per_second", events / ingested},
                        {"fanned_out_per_second", events / delivered},
                        {"latency", latency_summary(std::move(latencies))}};
  std::cout << result.dump() << std::endl;
  return complete ? 0 : 1;
}

// One step of `rate`: posts `rate` events per second (rounded down to a multiple of 100, at
// least 100) for `seconds`, spread over the channels in `names`, and returns its JSON
// figures. Batches go out every kTick from two publishers
// that take turns, each event stamped with the time its batch was scheduled for, so a
// server that makes ingestion wait shows that wait as latency instead of posting less.
nlohmann::json rate_step(const Target& target, LoadClient& client,
                         const std::vector<std::string>& names, std::size_t per_channel, int rate,
                         int seconds) {
  constexpr auto kTick = 10ms;
  constexpr int kPublishers = 2;
  const int ticks = seconds * 100;
  const auto events_per_tick = std::max(1, rate / 100);
  client.take_latencies();
  auto received_before = client.events_received();

  auto started = std::chrono::steady_clock::now() + 20ms;
  std::atomic<int> failures{0};
  std::vector<std::thread> publishers;
  for (int p = 0; p < kPublishers; ++p) {
    publishers.emplace_back([&, p] {
      Publisher publisher(target);
      std::size_t next_channel = static_cast<std::size_t>(p);
      for (int tick = p; tick < ticks; tick += kPublishers) {
        auto due = started + kTick * tick;
        std::this_thread::sleep_until(due);
        std::vector<std::string> batch;
        for (int i = 0; i < events_per_tick; ++i) {
          batch.push_back(names[next_channel++ % names.size()]);
        }
        auto scheduled =
            std::chrono::duration_cast<std::chrono::nanoseconds>(due.time_since_epoch()).count();
        try {
          publisher.publish(batch, scheduled);
        } catch (const std::exception& error) {
          if (failures.fetch_add(1) == 0) {
            std::cerr << "rate " << rate << ": " << error.what() << std::endl;
          }
        }
      }
    });
  }
  for (auto& publisher : publishers) {
    publisher.join();
  }
  auto posted_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto events = static_cast<std::uint64_t>(ticks) * static_cast<std::uint64_t>(events_per_tick);
  auto expected = received_before + events * per_channel;
  bool complete = failures.load() == 0 && client.wait_for_events(expected, 10s);
  auto latencies = client.take_latencies();
  // Lets a server that fell behind finish, so the next step starts from an empty backlog.
  client.wait_for_events(expected, 10s);
  return {{"rate", events_per_tick * 100},
          {"events", events},
          {"complete", complete},
          {"posted_per_second", static_cast<double>(events) / posted_seconds},
          {"latency", latency_summary(std::move(latencies))}};
}

// Runs rate_step() for each of the comma-separated `rates` in turn, stopping after the
// first step whose p99 latency reaches kMaxSustainedP99 or that does not complete, and
// reports the highest rate below that limit as sustained_per_second.
int rate(const Target& target, std::size_t channel_count, std::size_t per_channel,
         const std::string& rates, int seconds) {
  constexpr double kMaxSustainedP99 = 100.0;  // ms
  LoadClient client(target.host, target.port, kClientThreads, kMaxPendingHandshakes);
  std::vector<std::string> names;
  std::vector<std::string> connections;
  for (std::size_t c = 0; c < channel_count; ++c) {
    names.push_back("restaurant:" + std::to_string(c) + ":offers");
    for (std::size_t s = 0; s < per_channel; ++s) {
      connections.push_back(names.back());
    }
  }
  auto subscribed = client.open(connections, kOpenTimeout);

  nlohmann::json steps = nlohmann::json::array();
  int sustained = 0;
  std::stringstream list(rates);
  std::string item;
  while (std::getline(list, item, ',') && subscribed == connections.size()) {
    auto step = rate_step(target, client, names, per_channel, std::stoi(item), seconds);
    steps.push_back(step);
    if (!step["complete"].get<bool>() ||
        step["latency"]["p99_ms"].get<double>() >= kMaxSustainedP99) {
      break;
    }
    sustained = step["rate"].get<int>();
  }
  client.close_all();

  nlohmann::json result{{"scenario", "rate"},
                        {"channels", channel_count},
                        {"subscribers_per_channel", per_channel},
                        {"subscribed", subscribed},
                        {"seconds_per_step", seconds},
                        {"max_p99_ms", kMaxSustainedP99},
                        {"sustained_per_second", sustained},
                        {"steps", steps}};
  std::cout << result.dump() << std::endl;
  return subscribed == connections.size() ? 0 : 1;
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && args[0] == "public-key") {
    std::cout << auth::KeyPair::generate().public_key().to_base64() << std::endl;
    return 0;
  }
  if (args.size() >= 4 && args[0] == "memory") {
    bool gc = args.size() == 5 && args[4] == "--gc";
    return memory(parse_target(args[1]), args[2], std::stoul(args[3]), gc);
  }
  if (args.size() == 4 && args[0] == "fanout") {
    return fanout(parse_target(args[1]), std::stoul(args[2]), std::stoi(args[3]));
  }
  if (args.size() == 5 && args[0] == "throughput") {
    return throughput(parse_target(args[1]), std::stoul(args[2]), std::stoul(args[3]),
                      std::stoi(args[4]));
  }
  if (args.size() == 6 && args[0] == "rate") {
    return rate(parse_target(args[1]), std::stoul(args[2]), std::stoul(args[3]), args[4],
                std::stoi(args[5]));
  }
  std::cerr
      << "usage: notifications_bench public-key\n"
         "       notifications_bench memory URL PID CONNECTIONS [--gc]\n"
         "       notifications_bench fanout URL SUBSCRIBERS EVENTS\n"
         "       notifications_bench throughput URL CHANNELS SUBSCRIBERS_PER_CHANNEL "
         "EVENTS\n"
         "       notifications_bench rate URL CHANNELS SUBSCRIBERS_PER_CHANNEL RATES SECONDS\n"
         "         (RATES: comma-separated events per second, tried in turn)\n";
  return 2;
}

}  // namespace
}  // namespace surplus::bench

int main(int argc, char** argv) {
  try {
    return surplus::bench::run(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "notifications_bench: " << error.what() << std::endl;
    return 1;
  }
}
