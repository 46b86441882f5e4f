#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <surplus/core/config.hpp>
#include <surplus/db/database.hpp>
#include <surplus/db/migrate.hpp>
#include <surplus/http/router.hpp>
#include <surplus/service/settings.hpp>

namespace surplus::service {

// The context a service's setup hooks receive. `database` is null for a service without
// storage.
struct ServiceContext {
  std::string name;
  const core::EnvReader& env;
  const Settings& settings;
  db::Database* database = nullptr;
  http::Router& router;
};

// Describes one service binary; run_service does the rest.
struct ServiceDefinition {
  std::string name;  // "orders": the logger name and the default database file var/orders.db
  std::uint16_t default_port = 0;
  bool has_database = true;
  std::vector<db::Migration> migrations;
  // Registers the service's routes. Throws core::ConfigError for its own bad settings.
  std::function<void(ServiceContext&)> install_routes;
  // Loads demo data for `surplus seed`; must be idempotent. Optional.
  std::function<void(ServiceContext&)> seed;
  // The service's own environment variables, appended to the --help text. Optional.
  std::string environment_help;
};

// Runs a service binary. Command line:
//   (none)      apply migrations, then serve until SIGINT or SIGTERM; exit 0 after a
//               graceful stop
//   --migrate   apply migrations and exit
//   --seed      apply migrations, load demo data and exit
//   --help      print usage and the environment variables
// Returns the process exit status: 0 on success, 2 for a bad command line or setting
// (one line on stderr naming the variable), 1 when the database or port cannot be used.
int run_service(int argc, char** argv, const ServiceDefinition& definition);

}  // namespace surplus::service
