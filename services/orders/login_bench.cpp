// Measures Argon2id verification speed and the login rate of a running orders service.
//
//   orders_login_bench hash [SECONDS]              verifications per second, 1 and 2 threads,
//                                                  for the default and some other parameters
//   orders_login_bench login URL CLIENTS SECONDS   POST /auth/login from CLIENTS threads for
//                                                  SECONDS against URL (e.g. http://127.0.0.1:4001)
//
// Both loops stop after the given time, at most 120 s.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <surplus/auth/password.hpp>
#include <surplus/core/id.hpp>
#include <surplus/http/client.hpp>

namespace {

using Clock = std::chrono::steady_clock;
using surplus::auth::PasswordHasher;
using surplus::auth::PasswordHashParams;

double bounded_seconds(const char* text) {
  double seconds = std::atof(text);
  return std::clamp(seconds, 1.0, 120.0);
}

// Verifications per second with `threads` threads sharing one hasher for `seconds`.
double verify_rate(const PasswordHashParams& params, int threads, double seconds) {
  PasswordHashParams limited = params;
  limited.max_concurrent = threads;
  PasswordHasher hasher(limited);
  std::string encoded = hasher.hash("benchmark password");
  std::atomic<long> count{0};
  auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  std::vector<std::thread> workers;
  auto start = Clock::now();
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&] {
      while (Clock::now() < deadline) {
        if (!hasher.verify(encoded, "benchmark password")) {
          std::abort();
        }
        count.fetch_add(1);
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(count.load()) / elapsed;
}

int run_hash(double seconds) {
  struct Candidate {
    const char* label;
    PasswordHashParams params;
  };
  const Candidate candidates[] = {
      {"t=2 m=19MiB (default)", {2, 19u << 20, 1}},
      {"t=1 m=46MiB", {1, 46u << 20, 1}},
      {"t=2 m=64MiB (libsodium INTERACTIVE)", {2, 64u << 20, 1}},
      {"t=3 m=256MiB (libsodium MODERATE)", {3, 256u << 20, 1}},
  };
  fmt::print("| parameters | 1 thread (/s) | 2 threads (/s) |\n|---|---|---|\n");
  for (const auto& candidate : candidates) {
    double one = verify_rate(candidate.params, 1, seconds);
    double two = verify_rate(candidate.params, 2, seconds);
    fmt::print("| {} | {:.1f} | {:.1f} |\n", candidate.label, one, two);
  }
  return 0;
}

int run_login(const std::string& url, int clients, double seconds) {
  surplus::http::Client client({.max_connections_per_host = static_cast<std::size_t>(clients) + 2});
  std::string email = "bench-" + surplus::core::new_uuid_v7().substr(24) + "@example.com";
  std::string password = "benchmark password";
  auto registered = client.post_json(
      url + "/auth/register", {{"email", email}, {"password", password}, {"displayName", "Bench"}});
  if (registered.status != 201) {
    fmt::print(stderr, "register failed: {} {}\n", registered.status, registered.body);
    return 1;
  }
  std::atomic<long> ok{0};
  std::atomic<long> failed{0};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
  auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int i = 0; i < clients; ++i) {
    workers.emplace_back([&, i] {
      while (Clock::now() < deadline) {
        auto begin = Clock::now();
        auto response =
            client.post_json(url + "/auth/login", {{"email", email}, {"password", password}});
        latencies[static_cast<std::size_t>(i)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
        (response.status == 200 ? ok : failed).fetch_add(1);
      }
    });
  }
  for (auto& worker : workers) {
    worker.join();
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (const auto& list : latencies) {
    all.insert(all.end(), list.begin(), list.end());
  }
  std::sort(all.begin(), all.end());
  auto percentile = [&](double p) {
    return all.empty() ? 0.0
                       : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))];
  };
  fmt::print(
      "clients={} seconds={:.1f} logins={} failed={} rate={:.1f}/s p50={:.1f}ms p99={:.1f}ms\n",
      clients, elapsed, ok.load(), failed.load(), static_cast<double>(ok.load()) / elapsed,
      percentile(0.5), percentile(0.99));
  return failed.load() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "hash") {
    return run_hash(argc > 2 ? bounded_seconds(argv[2]) : 5);
  }
  if (mode == "login" && argc == 5) {
    return run_login(argv[2], std::clamp(std::atoi(argv[3]), 1, 64), bounded_seconds(argv[4]));
  }
  std::fprintf(stderr,
               "usage: orders_login_bench hash [SECONDS]\n"
               "       orders_login_bench login URL CLIENTS SECONDS\n");
  return 2;
}
