// Queries per second of the offers search on 100,000 published offers, with Google
// Benchmark. See bench/offers-search/run.
//
// Usage: offers_search_bench [DATABASE_URL] [--benchmark_... options]
// Without a URL the offers go into a new SQLite file in a temporary folder. A PostgreSQL URL
// must name an empty database the benchmark may create tables in.
//
// The offers lie around Berlin in a 40 x 40 km square, uniformly, 1 in 10 sold out, with
// pickup windows over the next 24 hours. Searches start at random points of the inner
// 30 x 30 km, so a 2 km search finds about 80 candidates and a 5 km search about 500.
#include <atomic>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <random>
#include <string>

#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>

#include <surplus/core/id.hpp>
#include <surplus/db/database.hpp>
#include <surplus/db/migrate.hpp>
#include <surplus/http/client.hpp>
#include <surplus/http/server.hpp>

#include "migrations.hpp"
#include "offer_search.hpp"
#include "offers_app.hpp"
#include "read_only.hpp"
#include "routes.hpp"

namespace offers = surplus::offers;
namespace core = surplus::core;
namespace db = surplus::db;

namespace {

constexpr int kOffers = 100'000;
constexpr int kRestaurants = 4'000;
constexpr core::GeoPoint kBerlin{52.52, 13.405};
// Half the side of the square, in degrees: 20 km north-south and, at 52.5 degrees north,
// 20 km east-west.
constexpr double kHalfLatitude = 0.18;
constexpr double kHalfLongitude = 0.295;
constexpr int kRowsPerInsert = 200;

const char* const kCategories[] = {"bakery", "cafe", "meals", "groceries", "sushi", "pizza"};
const char* const kTags[] = {",vegetarian,", ",vegan,vegetarian,", ",", ",halal,", ","};

std::string g_database_url;
std::unique_ptr<db::Database> g_database;
std::filesystem::path g_sqlite_folder;

void load_offers(db::Database& database) {
  std::mt19937 random(20261204);
  std::uniform_real_distribution<double> latitude(-kHalfLatitude, kHalfLatitude);
  std::uniform_real_distribution<double> longitude(-kHalfLongitude, kHalfLongitude);
  std::uniform_int_distribution<int> price(100, 900);
  std::uniform_int_distribution<int> start_minutes(0, 24 * 60);
  std::uniform_int_distribution<int> pick(0, 1'000'000);

  std::vector<core::GeoPoint> restaurants;
  for (int i = 0; i < kRestaurants; ++i) {
    restaurants.push_back(
        {kBerlin.latitude + latitude(random), kBerlin.longitude + longitude(random)});
  }
  std::vector<std::string> restaurant_ids;
  for (int i = 0; i < kRestaurants; ++i) {
    restaurant_ids.push_back(core::new_uuid_v7());
  }

  auto now = core::to_unix_micros(core::now());
  constexpr std::int64_t kMinute = 60'000'000;
  database.transaction([&](db::Session& session) {
    for (int first = 0; first < kOffers; first += kRowsPerInsert) {
      std::string sql =
          "INSERT INTO offers (id, restaurant_id, kind, title, description, category, "
          "dietary_tags, price_amount, original_amount, currency, quantity_total, "
          "quantity_available, max_per_customer, pickup_start, pickup_end, latitude, longitude, "
          "latitude_cell, status, created_by, created_at, updated_at, published_at) VALUES ";
      db::Params params;
      for (int row = 0; row < kRowsPerInsert && first + row < kOffers; ++row) {
        int restaurant = pick(random) % kRestaurants;
        bool sold_out = pick(random) % 10 == 0;
        std::int64_t amount = price(random);
        std::int64_t start = now + start_minutes(random) * kMinute;
        db::Params values{core::new_uuid_v7(),
                          restaurant_ids[restaurant],
                          std::string("SURPRISE_BAG"),
                          std::string("Surprise bag"),
                          std::string("Benchmark offer"),
                          std::string(kCategories[pick(random) % 6]),
                          std::string(kTags[pick(random) % 5]),
                          amount,
                          amount * 3,
                          std::string("EUR"),
                          std::int64_t{5},
                          std::int64_t{sold_out ? 0 : 1 + pick(random) % 5},
                          std::int64_t{2},
                          start,
                          start + 90 * kMinute,
                          restaurants[restaurant].latitude,
                          restaurants[restaurant].longitude,
                          offers::latitude_cell(restaurants[restaurant].latitude),
                          std::string(sold_out ? "SOLD_OUT" : "ACTIVE"),
                          std::string("bench"),
                          now,
                          now,
                          now};
        sql += row == 0 ? "(" : ", (";
        for (std::size_t i = 0; i < values.size(); ++i) {
          params.push_back(std::move(values[i]));
          sql += (i == 0 ? "$" : ", $") + std::to_string(params.size());
        }
        sql += ")";
      }
      session.execute(sql, params);
    }
  });
}

db::Database& database() {
  if (g_database) {
    return *g_database;
  }
  std::string url = g_database_url;
  if (url.empty()) {
    g_sqlite_folder = std::filesystem::temp_directory_path() /
                      ("offers-search-bench-" + core::new_uuid_v7().substr(0, 8));
    std::filesystem::create_directories(g_sqlite_folder);
    url = "sqlite://" + (g_sqlite_folder / "offers.db").string();
  }
  db::Options options;
  options.pool_size = 8;
  g_database = db::Database::open(url, options);
  db::migrate(*g_database, offers::migrations());
  auto existing = g_database->execute("SELECT COUNT(*) FROM offers").one().get<std::int64_t>(0);
  if (existing == 0) {
    auto started = std::chrono::steady_clock::now();
    load_offers(*g_database);
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
    std::cerr << "loaded " << kOffers << " offers into " << g_database->redacted_url() << " in "
              << seconds.count() << " s\n";
    if (g_database->dialect() == db::Dialect::kPostgres) {
      // Index-only scans need the visibility map that VACUUM builds; autovacuum would do
      // the same on a live database.
      g_database->execute("VACUUM ANALYZE offers");
    }
  } else if (existing != kOffers) {
    throw std::runtime_error("the database already contains " + std::to_string(existing) +
                             " offers; pass the URL of an empty database");
  }
  return *g_database;
}

offers::OfferSearch random_search(std::mt19937& random, double radius_km) {
  // Search centres stay 5 km inside the square, so every search circle lies inside it.
  std::uniform_real_distribution<double> latitude(-kHalfLatitude * 0.75, kHalfLatitude * 0.75);
  std::uniform_real_distribution<double> longitude(-kHalfLongitude * 0.75, kHalfLongitude * 0.75);
  offers::OfferSearch search;
  search.center = {kBerlin.latitude + latitude(random), kBerlin.longitude + longitude(random)};
  search.radius_km = radius_km;
  search.first = 20;
  return search;
}

// One search per iteration through the storage layer: a read-only transaction, the
// bounding-box query, haversine on the candidates and the page's rows.
void run_searches(benchmark::State& state, double radius_km,
                  void (*customise)(offers::OfferSearch&)) {
  db::Database& db = database();
  std::mt19937 random(static_cast<std::uint32_t>(1000 + state.thread_index()));
  std::int64_t results = 0;
  for (auto _ : state) {
    auto search = random_search(random, radius_km);
    customise(search);
    auto page = db.transaction(
        [&](db::Session& session) { return offers::search_offers(session, search, core::now()); },
        offers::read_only());
    results += static_cast<std::int64_t>(page.hits.size());
    benchmark::DoNotOptimize(page);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["results_per_query"] =
      benchmark::Counter(static_cast<double>(results) / static_cast<double>(state.iterations()),
                         benchmark::Counter::kAvgThreads);
}

void plain(offers::OfferSearch&) {}

void filtered(offers::OfferSearch& search) {
  search.category = "bakery";
  search.dietary_tags = {"vegetarian"};
  search.max_price = core::Money{600, "EUR"};
  search.in_stock_only = true;
}

void by_price(offers::OfferSearch& search) {
  search.sort = offers::OfferSort::kPrice;
}

void BM_Search2Km(benchmark::State& state) {
  run_searches(state, 2, plain);
}
void BM_Search5Km(benchmark::State& state) {
  run_searches(state, 5, plain);
}
void BM_Search5KmFiltered(benchmark::State& state) {
  run_searches(state, 5, filtered);
}
void BM_Search5KmByPrice(benchmark::State& state) {
  run_searches(state, 5, by_price);
}

// The same 2 km search through GET /offers of an in-process server on 127.0.0.1, one
// keep-alive connection per benchmark thread: JSON parsing and rendering and the socket
// round trip included.
void BM_Http2Km(benchmark::State& state) {
  static std::once_flag started;
  static std::unique_ptr<surplus::http::Server> server;
  std::call_once(started, [] {
    offers::OffersConfig config;
    config.orders_url = "";
    config.outbox_relay_enabled = false;
    auto app = std::make_shared<offers::OffersApp>(
        database(), config,
        surplus::auth::TokenVerifier(surplus::auth::KeyPair::generate().public_key()),
        surplus::auth::ServiceSecret("benchmark-service-secret"));
    surplus::http::Router router;
    offers::add_offers_routes(router, app);
    surplus::http::ServerOptions options;
    options.port = 0;
    options.worker_threads = 8;
    options.service_name = "offers-bench";
    server = std::make_unique<surplus::http::Server>(options, std::move(router));
    server->start();
  });
  surplus::http::Client client;
  std::mt19937 random(static_cast<std::uint32_t>(2000 + state.thread_index()));
  std::string base = "http://127.0.0.1:" + std::to_string(server->port()) + "/offers?radiusKm=2";
  for (auto _ : state) {
    auto search = random_search(random, 2);
    auto response = client.get(base + "&latitude=" + std::to_string(search.center.latitude) +
                               "&longitude=" + std::to_string(search.center.longitude));
    if (response.status != 200) {
      state.SkipWithError(
          ("GET /offers returned status " + std::to_string(response.status)).c_str());
      break;
    }
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Search2Km)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_Search5Km)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_Search5KmFiltered)->Threads(1)->UseRealTime();
BENCHMARK(BM_Search5KmByPrice)->Threads(1)->UseRealTime();
BENCHMARK(BM_Http2Km)->Threads(1)->Threads(4)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  if (argc > 1 && std::string(argv[1]).rfind("--", 0) != 0) {
    g_database_url = argv[1];
    argv[1] = argv[0];
    ++argv;
    --argc;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 2;
  }
  database();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  g_database.reset();
  if (!g_sqlite_folder.empty()) {
    std::filesystem::remove_all(g_sqlite_folder);
  }
  return 0;
}
