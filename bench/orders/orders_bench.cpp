// Orders placed per second through HTTP. Both services run in this process on loopback
// ports, each over its own database, and client threads send POST /orders to the orders
// service, which reserves in the offers service for each order. In the same run, the peer
// measurement sends PUT /internal/reservations straight to the offers service. Every
// order makes that call, so the gap between the two rows is the cost of the orders
// service itself: its PENDING insert, the confirmation and two outbox events.
//
// Usage: orders_bench [POSTGRES_URL] [--seconds N] [--clients N]
// Without a URL both databases are SQLite files in a temporary folder. With a URL, the
// benchmark creates two databases on that server (the role needs CREATEDB) and drops them
// at the end. See bench/orders/run.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <surplus/auth/jwt.hpp>
#include <surplus/core/id.hpp>
#include <surplus/db/database.hpp>
#include <surplus/db/migrate.hpp>
#include <surplus/http/client.hpp>
#include <surplus/http/server.hpp>
#include <surplus/service/service.hpp>

#include "offers/service.hpp"
#include "orders/service.hpp"

namespace core = surplus::core;
namespace db = surplus::db;
namespace http = surplus::http;
namespace auth = surplus::auth;
namespace service = surplus::service;

namespace {

constexpr std::string_view kSecret = "orders-bench-service-secret";
constexpr int kCustomers = 500;
constexpr int kOffers = 8;
constexpr int kUnitsPerOffer = 10000;  // the offers service's maximum per offer

struct Options {
  std::string postgres_url;
  int seconds = 10;
  int clients = 16;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "--seconds" || arg == "--clients") && i + 1 < argc) {
      int value = std::stoi(argv[++i]);
      (arg == "--seconds" ? options.seconds : options.clients) = std::max(1, value);
    } else if (arg.starts_with("postgres")) {
      options.postgres_url = arg;
    } else {
      throw std::invalid_argument("unknown argument " + arg +
                                  "; usage: orders_bench [POSTGRES_URL] [--seconds N] "
                                  "[--clients N]");
    }
  }
  return options;
}

// Two empty databases that exist for the lifetime of this object.
class BenchDatabases {
 public:
  explicit BenchDatabases(const std::string& postgres_url) : postgres_url_(postgres_url) {
    std::string suffix = core::new_uuid_v7().substr(24);
    if (postgres_url.empty()) {
      folder_ = std::filesystem::temp_directory_path() / ("surplus-orders-bench-" + suffix);
      std::filesystem::create_directories(folder_);
      orders_url_ = "sqlite://" + (folder_ / "orders.db").string();
      offers_url_ = "sqlite://" + (folder_ / "offers.db").string();
      return;
    }
    admin_ = db::Database::open(postgres_url, {.pool_size = 1});
    for (auto* name : {&orders_name_, &offers_name_}) {
      *name = (name == &orders_name_ ? "orders_bench_" : "offers_bench_") + suffix;
      admin_->execute("CREATE DATABASE " + *name);
    }
    orders_url_ = with_database(orders_name_);
    offers_url_ = with_database(offers_name_);
  }

  ~BenchDatabases() {
    if (admin_) {
      for (const auto& name : {orders_name_, offers_name_}) {
        try {
          admin_->execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (const std::exception& error) {
          spdlog::warn("dropping database {} failed: {}", name, error.what());
        }
      }
    }
    if (!folder_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(folder_, ignored);
    }
  }

  const std::string& orders_url() const { return orders_url_; }
  const std::string& offers_url() const { return offers_url_; }
  const std::filesystem::path& folder() const { return folder_; }

 private:
  // The server URL with its database name replaced by `name`.
  std::string with_database(const std::string& name) const {
    auto scheme_end = postgres_url_.find("://");
    auto path = postgres_url_.find('/', scheme_end + 3);
    auto query = postgres_url_.find('?', scheme_end + 3);
    std::string rest = query == std::string::npos ? "" : postgres_url_.substr(query);
    std::string base = postgres_url_.substr(0, path == std::string::npos ? query : path);
    return base + "/" + name + rest;
  }

  std::string postgres_url_;
  std::filesystem::path folder_;
  std::unique_ptr<db::Database> admin_;
  std::string orders_name_;
  std::string offers_name_;
  std::string orders_url_;
  std::string offers_url_;
};

core::EnvReader env_of(std::map<std::string, std::string> values) {
  return core::EnvReader([values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional(it->second);
  });
}

// One service on a free loopback port, built as its binary builds itself.
struct RunningService {
  std::unique_ptr<db::Database> database;
  std::unique_ptr<http::Server> server;

  RunningService(const service::ServiceDefinition& definition, const std::string& url,
                 std::map<std::string, std::string> env) {
    database = db::Database::open(url, {.pool_size = 16});
    db::migrate(*database, definition.migrations);
    auto reader = env_of(std::move(env));
    service::Settings settings;
    settings.server.port = 0;
    settings.server.worker_threads = 32;
    settings.server.service_name = definition.name;
    http::Router router;
    service::ServiceContext context{definition.name, reader, settings, database.get(), router};
    definition.install_routes(context);
    server = std::make_unique<http::Server>(settings.server, std::move(router));
    server->start();
  }

  ~RunningService() { server->stop(); }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
};

std::string token_for(const auth::KeyPair& key, const std::string& user_id, auth::Role role,
                      std::vector<std::string> restaurants = {}) {
  auth::Claims claims;
  claims.subject = user_id;
  claims.role = role;
  claims.restaurants = std::move(restaurants);
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  claims.issued_at = now;
  claims.expires_at = now + std::chrono::hours(1);
  claims.token_id = core::new_uuid_v7();
  return auth::sign_access_token(claims, key);
}

// Inserts customers and a store account with a restaurant straight into the orders
// database; registration would only measure Argon2.
std::vector<std::string> insert_accounts(db::Database& database, const std::string& store_id,
                                         const std::string& restaurant_id) {
  std::vector<std::string> customers;
  auto micros = core::to_unix_micros(core::now());
  database.transaction([&](db::Session& session) {
    auto insert_user = [&](const std::string& id, const std::string& role) {
      std::string email = id + "@bench.example.com";
      session.execute(
          "INSERT INTO users (id, email, email_key, password_hash, display_name, role, "
          "created_at, updated_at) VALUES ($1, $2, $2, 'unused', 'Bench', $3, $4, $4)",
          {id, email, role, micros});
    };
    insert_user(store_id, "STORE");
    for (int i = 0; i < kCustomers; ++i) {
      customers.push_back(core::new_uuid_v7());
      insert_user(customers.back(), "CUSTOMER");
    }
    session.execute(
        "INSERT INTO restaurants (id, name, description, category, address, latitude, "
        "longitude, time_zone, created_by, created_at, updated_at) VALUES ($1, 'Bench bakery', "
        "'', 'bakery', 'Street 1', 52.5, 13.4, 'UTC', $2, $3, $3)",
        {restaurant_id, store_id, micros});
    session.execute(
        "INSERT INTO restaurant_staff (restaurant_id, user_id, added_by, added_at) "
        "VALUES ($1, $2, $2, $3)",
        {restaurant_id, store_id, micros});
  });
  return customers;
}

std::vector<std::string> publish_offers(http::Client& client, const std::string& offers_url,
                                        const std::string& restaurant_id,
                                        const std::string& staff_token, int count) {
  auto location = http::ClientRequest::json(
      "PUT", offers_url + "/internal/restaurants/" + restaurant_id,
      {{"name", "Bench bakery"}, {"latitude", 52.5}, {"longitude", 13.4}});
  location.headers.set("X-Service-Secret", std::string(kSecret));
  if (auto stored = client.send(std::move(location)); stored.status != 200) {
    throw std::runtime_error("storing the bench restaurant failed: " + stored.body);
  }
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    auto request = http::ClientRequest::json(
        "POST", offers_url + "/restaurants/" + restaurant_id + "/offers",
        {{"kind", "SURPRISE_BAG"},
         {"title", "Bench bag"},
         {"category", "bakery"},
         {"price", {{"amount", 300}, {"currency", "EUR"}}},
         {"originalValue", {{"amount", 900}, {"currency", "EUR"}}},
         {"quantity", kUnitsPerOffer},
         {"maxPerCustomer", kUnitsPerOffer},
         {"pickupWindow",
          {{"start", core::format_rfc3339(core::now() + std::chrono::hours(1))},
           {"end", core::format_rfc3339(core::now() + std::chrono::hours(3))}}},
         {"publish", true}});
    request.headers.set("Authorization", "Bearer " + staff_token);
    auto response = client.send(std::move(request));
    if (response.status != 201) {
      throw std::runtime_error("publishing a bench offer failed: " + response.body);
    }
    ids.push_back(response.body_json()["id"].get<std::string>());
  }
  return ids;
}

struct Result {
  std::size_t succeeded = 0;
  std::size_t failed = 0;
  std::string first_failure;
  std::vector<double> latencies_ms;
  double seconds = 0;
};

// Runs `send` on `clients` threads for `seconds`; `send` returns true for a success.
Result measure(int clients, int seconds, const std::function<bool(int, std::string&)>& send) {
  Result result;
  std::mutex mutex;
  auto start = std::chrono::steady_clock::now();
  auto end = start + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      std::vector<double> latencies;
      std::size_t ok = 0;
      std::size_t failed = 0;
      std::string failure;
      for (int i = 0; std::chrono::steady_clock::now() < end; ++i) {
        auto before = std::chrono::steady_clock::now();
        std::string message;
        bool success = false;
        try {
          success = send(c * 1'000'000 + i, message);
        } catch (const std::exception& error) {
          message = error.what();
        }
        auto after = std::chrono::steady_clock::now();
        latencies.push_back(std::chrono::duration<double, std::milli>(after - before).count());
        if (success) {
          ++ok;
        } else {
          ++failed;
          if (failure.empty()) {
            failure = message;
          }
        }
      }
      std::lock_guard lock(mutex);
      result.succeeded += ok;
      result.failed += failed;
      if (result.first_failure.empty()) {
        result.first_failure = failure;
      }
      result.latencies_ms.insert(result.latencies_ms.end(), latencies.begin(), latencies.end());
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::sort(result.latencies_ms.begin(), result.latencies_ms.end());
  return result;
}

double percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) {
    return 0;
  }
  auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

void print(const std::string& backend, const std::string& name, const Result& result) {
  std::cout << fmt::format("| {} | {} | {:.0f} | {:.1f} ms | {:.1f} ms | {} |", backend, name,
                           static_cast<double>(result.succeeded) / result.seconds,
                           percentile(result.latencies_ms, 0.5),
                           percentile(result.latencies_ms, 0.99), result.failed)
            << std::endl;
  if (!result.first_failure.empty()) {
    std::cout << "  first failure: " << result.first_failure.substr(0, 300) << std::endl;
  }
}

int run(const Options& options) {
  BenchDatabases databases(options.postgres_url);
  std::string backend = options.postgres_url.empty() ? "SQLite" : "PostgreSQL";
  auto key = auth::KeyPair::generate();
  std::string key_file =
      (std::filesystem::temp_directory_path() / ("orders-bench-" + core::new_uuid_v7() + ".pub"))
          .string();

  RunningService offers(surplus::offers::definition(), databases.offers_url(),
                        {{"AUTH_PUBLIC_KEY", key.public_key().to_base64()},
                         {"ORDERS_URL", "off"},
                         {"OUTBOX_RELAY_ENABLED", "false"},
                         {"SERVICE_SECRET", std::string(kSecret)}});
  RunningService orders(surplus::orders::definition(), databases.orders_url(),
                        {{"AUTH_PRIVATE_KEY", key.seed_base64()},
                         {"AUTH_PUBLIC_KEY_FILE", key_file},
                         {"OFFERS_URL", offers.url()},
                         {"OUTBOX_RELAY_ENABLED", "false"},
                         {"SERVICE_SECRET", std::string(kSecret)}});

  std::string store_id = core::new_uuid_v7();
  std::string restaurant_id = core::new_uuid_v7();
  auto customers = insert_accounts(*orders.database, store_id, restaurant_id);
  std::vector<std::string> tokens;
  for (const auto& customer : customers) {
    tokens.push_back(token_for(key, customer, auth::Role::kCustomer));
  }
  http::ClientOptions client_options;
  client_options.max_connections_per_host = static_cast<std::size_t>(options.clients) + 4;
  client_options.max_attempts = 1;
  http::Client client(client_options);
  auto staff_token = token_for(key, store_id, auth::Role::kStore, {restaurant_id});
  auto order_offers = publish_offers(client, offers.url(), restaurant_id, staff_token, kOffers);
  auto peer_offers = publish_offers(client, offers.url(), restaurant_id, staff_token, kOffers);

  auto place = [&](int n, std::string& failure) {
    auto customer = static_cast<std::size_t>(n) % customers.size();
    auto request = http::ClientRequest::json(
        "POST", orders.url() + "/orders",
        {{"offerId", order_offers[static_cast<std::size_t>(n) % order_offers.size()]},
         {"quantity", 1},
         {"fulfilment", "PICKUP"}});
    request.headers.set("Authorization", "Bearer " + tokens[customer]);
    request.headers.set("Idempotency-Key", core::new_uuid_v7());
    auto response = client.send(std::move(request));
    bool confirmed = response.status == 201 &&
                     response.body.find("\"status\":\"CONFIRMED\"") != std::string::npos;
    if (!confirmed) {
      failure = std::to_string(response.status) + " " + response.body;
    }
    return confirmed;
  };
  auto reserve = [&](int n, std::string& failure) {
    auto request = http::ClientRequest::json(
        "PUT", offers.url() + "/internal/reservations/" + core::new_uuid_v7(),
        {{"offerId", peer_offers[static_cast<std::size_t>(n) % peer_offers.size()]},
         {"customerId", customers[static_cast<std::size_t>(n) % customers.size()]},
         {"quantity", 1}});
    request.headers.set("X-Service-Secret", std::string(kSecret));
    auto response = client.send(std::move(request));
    if (response.status != 201) {
      failure = std::to_string(response.status) + " " + response.body;
    }
    return response.status == 201;
  };

  std::cout << fmt::format("{} clients, {} s per row\n", options.clients, options.seconds);
  std::cout << "| database | measured | per second | p50 | p99 | failed |\n";
  std::cout << "|---|---|---|---|---|---|" << std::endl;
  print(backend, "peer: PUT /internal/reservations (offers only)",
        measure(options.clients, options.seconds, reserve));
  print(backend, "POST /orders, CONFIRMED (orders + offers)",
        measure(options.clients, options.seconds, place));
  std::error_code ignored;
  std::filesystem::remove(key_file, ignored);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    spdlog::set_level(spdlog::level::warn);
    return run(parse(argc, argv));
  } catch (const std::exception& error) {
    std::cerr << "orders_bench: " << error.what() << std::endl;
    return 1;
  }
}
