#include <iostream>
#include <memory>
#include <optional>
#include <string_view>

#include <surplus/core/log.hpp>
#include <surplus/db/error.hpp>
#include <surplus/http/server.hpp>
#include <surplus/service/service.hpp>

namespace surplus::service {
namespace {

enum class Mode { kServe, kMigrate, kSeed, kHelp };

constexpr std::string_view kUsage = R"(Usage: surplus-{name} [--migrate | --seed | --help]

  (no option)  apply database migrations, then serve HTTP on HOST:PORT until SIGINT or
               SIGTERM, and stop gracefully
  --migrate    apply database migrations and exit
  --seed       apply database migrations, load demo data and exit
  --help       print this text

Environment (default in brackets):
  HOST [127.0.0.1]  PORT [{port}]  LOG_LEVEL [info]
  DATABASE_URL [sqlite://var/{name}.db]  (also sqlite::memory: and postgres://user:pw@host/db)
  DATABASE_POOL_SIZE [8]  HTTP_IO_THREADS [1]  HTTP_WORKER_THREADS [16]
  HTTP_MAX_BODY_BYTES [1MiB]  HTTP_MAX_HEADER_BYTES [16KiB]  HTTP_READ_TIMEOUT [30s]
  HTTP_IDLE_TIMEOUT [60s]  HTTP_MAX_CONNECTIONS [10000]  SHUTDOWN_GRACE [10s]
)";

std::optional<Mode> parse_mode(int argc, char** argv) {
  if (argc == 1)
    return Mode::kServe;
  if (argc > 2)
    return std::nullopt;
  std::string_view arg = argv[1];
  if (arg == "--migrate")
    return Mode::kMigrate;
  if (arg == "--seed")
    return Mode::kSeed;
  if (arg == "--help" || arg == "-h")
    return Mode::kHelp;
  return std::nullopt;
}

std::string usage(const ServiceDefinition& definition) {
  std::string text(kUsage);
  for (auto [key, value] : {std::pair<std::string, std::string>{"{name}", definition.name},
                            {"{port}", std::to_string(definition.default_port)}}) {
    for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos)) {
      text.replace(pos, key.size(), value);
    }
  }
  return text + definition.environment_help;
}

// Opens the database and applies migrations; returns null for a service without storage.
std::unique_ptr<db::Database> open_database(const ServiceDefinition& definition,
                                            const Settings& settings) {
  if (!definition.has_database)
    return nullptr;
  auto database = db::Database::open(settings.database_url, settings.database);
  spdlog::info("database {} opened", database->redacted_url());
  auto applied = db::migrate(*database, definition.migrations);
  spdlog::info("migrations: {} applied now, {} known", applied, definition.migrations.size());
  return database;
}

http::ReadinessCheck readiness_check(db::Database* database,
                                     const std::vector<db::Migration>& migrations) {
  return [database, &migrations]() -> std::optional<std::string> {
    if (database == nullptr)
      return std::nullopt;
    if (!database->ping())
      return "the database does not answer";
    if (!db::migrations_applied(*database, migrations))
      return "migrations are not applied";
    return std::nullopt;
  };
}

int serve(const ServiceDefinition& definition, const Settings& settings, const core::EnvReader& env,
          db::Database* database) {
  http::Router router;
  ServiceContext context{definition.name, env, settings, database, router};
  if (definition.install_routes)
    definition.install_routes(context);

  http::Server server(settings.server, std::move(router),
                      readiness_check(database, definition.migrations));
  // run() returns after the server has logged "<name> stopped".
  server.run();
  return 0;
}

int run(Mode mode, const ServiceDefinition& definition) {
  core::EnvReader env;
  auto settings = load_settings(env, definition.name, definition.default_port);
  core::init_logging(definition.name, settings.log_level);
  auto database = open_database(definition, settings);

  if (mode == Mode::kMigrate)
    return 0;
  if (mode == Mode::kSeed) {
    http::Router unused;
    ServiceContext context{definition.name, env, settings, database.get(), unused};
    if (definition.seed) {
      definition.seed(context);
      spdlog::info("demo data loaded");
    } else {
      spdlog::info("no demo data for {}", definition.name);
    }
    return 0;
  }
  return serve(definition, settings, env, database.get());
}

}  // namespace

int run_service(int argc, char** argv, const ServiceDefinition& definition) {
  auto mode = parse_mode(argc, argv);
  if (!mode) {
    std::cerr << "surplus-" << definition.name << ": invalid arguments; run with --help\n";
    return 2;
  }
  if (*mode == Mode::kHelp) {
    std::cout << usage(definition);
    return 0;
  }
  try {
    return run(*mode, definition);
  } catch (const core::ConfigError& error) {
    std::cerr << "surplus-" << definition.name << ": " << error.what() << "\n";
    return 2;
  } catch (const core::Error& error) {
    spdlog::critical("failed to start: {} ({})", error.message(), error.detail());
    return 1;
  } catch (const std::exception& error) {
    spdlog::critical("failed to start: {}", error.what());
    return 1;
  }
}

}  // namespace surplus::service
