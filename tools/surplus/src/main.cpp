// The `surplus` command: starts, migrates and seeds the four services of a local setup.

#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <surplus/core/config.hpp>
#include <surplus/core/log.hpp>

#include "commands.hpp"
#include "listen_command.hpp"

namespace {

using surplus::tool::Layout;
using surplus::tool::ToolError;

// Values of the options shared by the subcommands.
struct CommonOptions {
  std::string var_dir = "var";
  std::string bin_dir;
  std::uint16_t base_port = 4000;
  std::string services;
};

void add_common_options(CLI::App& command, CommonOptions& options) {
  command
      .add_option("--var-dir", options.var_dir,
                  "Folder for the SQLite files and demo-accounts.json; created if missing")
      ->envname("SURPLUS_VAR_DIR")
      ->capture_default_str();
  command
      .add_option("--bin-dir", options.bin_dir,
                  "Folder containing surplus-gateway, surplus-orders, ...; default: next to this "
                  "binary, then the build tree")
      ->envname("SURPLUS_BIN_DIR");
  command
      .add_option("--base-port", options.base_port,
                  "Port of the gateway; orders, offers and notifications take the next three")
      ->envname("SURPLUS_BASE_PORT")
      ->check(CLI::Range(1, 65532))
      ->capture_default_str();
  command.add_option("--services", options.services,
                     "Comma-separated subset of gateway,orders,offers,notifications; default: all");
}

std::filesystem::path tool_directory() {
  std::error_code error;
  auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    throw ToolError(
        fmt::format("reading /proc/self/exe failed, so the service binaries cannot be located: {}",
                    error.message()));
  }
  return executable.parent_path();
}

Layout make_layout(const CommonOptions& options) {
  Layout layout;
  layout.var_dir = std::filesystem::absolute(options.var_dir).lexically_normal();
  if (!options.bin_dir.empty()) {
    layout.bin_dir = std::filesystem::absolute(options.bin_dir).lexically_normal();
    if (!std::filesystem::is_directory(*layout.bin_dir)) {
      throw ToolError(fmt::format(
          "--bin-dir '{}' is not a directory; pass the folder containing surplus-orders etc.",
          options.bin_dir));
    }
  }
  layout.tool_dir = tool_directory();
  layout.base_port = options.base_port;
  return layout;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Runs Surplus on this machine: `surplus up` starts the gateway and the orders, offers and "
      "notifications services, each with its own SQLite file in the var folder.",
      "surplus"};
  app.require_subcommand(1);
  app.footer(
      "Each service gets PORT, DATABASE_URL and the <NAME>_URL of every service; everything "
      "else in the environment (LOG_LEVEL, secrets) is passed through. "
      "SURPLUS_<NAME>_DATABASE_URL replaces one service's database, e.g. "
      "SURPLUS_ORDERS_DATABASE_URL=postgres://...");

  std::string log_level = "info";
  app.add_option("--log-level", log_level,
                 "Log level of this tool: trace, debug, info, warn, error, critical or off")
      ->envname("LOG_LEVEL")
      ->capture_default_str();

  CommonOptions common;
  std::string shutdown_grace = "15s";
  std::string max_backoff = "30s";

  auto* up = app.add_subcommand(
      "up", "Start the services, restart any that dies, stop them all on Ctrl-C or SIGTERM");
  add_common_options(*up, common);
  up->add_option(
        "--shutdown-grace", shutdown_grace,
        "Time the services get to exit after Ctrl-C before SIGKILL (e.g. 15s, 500ms); keep it "
        "above their SHUTDOWN_GRACE")
      ->capture_default_str();
  up->add_option("--max-backoff", max_backoff,
                 "Longest wait before restarting a service that keeps crashing (e.g. 30s)")
      ->capture_default_str();

  auto* migrate = app.add_subcommand(
      "migrate", "Apply each service's database migrations (runs surplus-<name> --migrate)");
  add_common_options(*migrate, common);

  auto* seed = app.add_subcommand(
      "seed", "Load demo data (runs surplus-<name> --seed) and store the demo accounts");
  add_common_options(*seed, common);

  surplus::tool::ListenOptions listen_options;
  auto* listen = surplus::tool::add_listen_command(app, listen_options);

  CLI11_PARSE(app, argc, argv);

  try {
    surplus::core::init_logging("surplus", log_level);
    if (listen->parsed()) {
      return surplus::tool::run_listen(listen_options);
    }
    Layout layout = make_layout(common);
    auto services = surplus::tool::select_services(common.services);

    if (up->parsed()) {
      surplus::tool::UpOptions options{.layout = layout, .services = services};
      auto grace = surplus::core::parse_duration(shutdown_grace);
      if (!grace) {
        throw ToolError(
            fmt::format("--shutdown-grace '{}' is invalid: expected a whole number and ms, s or m",
                        shutdown_grace));
      }
      auto backoff = surplus::core::parse_duration(max_backoff);
      if (!backoff || *backoff < options.policy.initial_backoff) {
        throw ToolError(fmt::format(
            "--max-backoff '{}' is invalid: expected a duration of at least 500ms, e.g. 30s",
            max_backoff));
      }
      options.policy.shutdown_grace = *grace;
      options.policy.max_backoff = *backoff;
      return surplus::tool::run_up(options);
    }
    if (migrate->parsed()) {
      return surplus::tool::run_migrate(layout, services);
    }
    return surplus::tool::run_seed(layout, services);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "surplus: %s\n", error.what());
  }
  return 1;
}
