#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "process.hpp"

namespace surplus::tool {

// An error that the command line reports as one line and exit status 1.
class ToolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One of the four services and how the tool treats it.
struct ServiceInfo {
  std::string_view name;  // "orders"; the binary is surplus-<name>
  int port_offset;        // its port is the base port plus this
  bool has_database;      // gets DATABASE_URL; `surplus migrate` and `surplus seed` run it
};

// The services in port order: gateway, orders, offers, notifications.
const std::vector<ServiceInfo>& all_services();

// Looks up a service by name; throws ToolError naming the value and the valid names.
const ServiceInfo& find_service(std::string_view name);

// Parses a comma-separated list of service names; an empty text selects all services.
std::vector<ServiceInfo> select_services(std::string_view names);

// Locations of the service binaries and data, from the command line and the environment.
struct Layout {
  std::filesystem::path var_dir;                 // absolute; contains the SQLite files
  std::optional<std::filesystem::path> bin_dir;  // --bin-dir or SURPLUS_BIN_DIR
  std::filesystem::path tool_dir;                // the folder of the running surplus binary
  std::uint16_t base_port = 4000;
};

std::uint16_t service_port(const ServiceInfo& service, const Layout& layout);

// Finds surplus-<name>. With a bin dir, only <bin dir>/surplus-<name> is tried. Otherwise
// the tool's own folder (an installed layout) and then the build tree,
// <build>/services/<name>/surplus-<name> with the tool at <build>/tools/surplus/surplus.
// Throws ToolError listing the paths tried.
std::filesystem::path find_service_binary(const ServiceInfo& service, const Layout& layout);

// The environment for a service process: `inherited` plus
//   PORT            the service's port
//   DATABASE_URL    SURPLUS_<NAME>_DATABASE_URL when set, else sqlite://<var dir>/<name>.db;
//                   removed for a service without a database
//   GATEWAY_URL, ORDERS_URL, OFFERS_URL, NOTIFICATIONS_URL
//                   http://127.0.0.1:<port> of each service, for calls between services
std::vector<std::string> service_environment(const ServiceInfo& service, const Layout& layout,
                                             std::vector<std::string> inherited);

// The full command for a service binary with `args`, in the environment above.
Command service_command(const ServiceInfo& service, const Layout& layout,
                        std::vector<std::string> args);

// Returns "ORDERS" for "orders".
std::string upper_case(std::string_view text);

}  // namespace surplus::tool
