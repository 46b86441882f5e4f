#include "services.hpp"

#include <algorithm>
#include <cctype>
#include <system_error>

#include <fmt/format.h>
#include <unistd.h>

namespace surplus::tool {
namespace {

std::optional<std::string> find_env_entry(const std::vector<std::string>& env,
                                          const std::string& name) {
  std::string prefix = name + "=";
  for (const auto& entry : env) {
    if (entry.starts_with(prefix)) {
      return entry.substr(prefix.size());
    }
  }
  return std::nullopt;
}

void remove_env_entry(std::vector<std::string>& env, const std::string& name) {
  std::string prefix = name + "=";
  std::erase_if(env, [&prefix](const std::string& entry) { return entry.starts_with(prefix); });
}

bool is_executable_file(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error) && ::access(path.c_str(), X_OK) == 0;
}

std::string service_names() {
  std::string names;
  for (const auto& service : all_services()) {
    names += names.empty() ? "" : ", ";
    names += service.name;
  }
  return names;
}

}  // namespace

const std::vector<ServiceInfo>& all_services() {
  static const std::vector<ServiceInfo> services = {
      {.name = "gateway", .port_offset = 0, .has_database = false},
      {.name = "orders", .port_offset = 1, .has_database = true},
      {.name = "offers", .port_offset = 2, .has_database = true},
      {.name = "notifications", .port_offset = 3, .has_database = true},
  };
  return services;
}

const ServiceInfo& find_service(std::string_view name) {
  for (const auto& service : all_services()) {
    if (service.name == name) {
      return service;
    }
  }
  throw ToolError(fmt::format("unknown service '{}': expected one of {}", name, service_names()));
}

std::vector<ServiceInfo> select_services(std::string_view names) {
  if (names.empty()) {
    return all_services();
  }
  std::vector<ServiceInfo> selected;
  std::size_t start = 0;
  while (true) {
    auto comma = names.find(',', start);
    const auto& service = find_service(names.substr(start, comma - start));
    bool duplicate = std::any_of(selected.begin(), selected.end(),
                                 [&](const ServiceInfo& s) { return s.name == service.name; });
    if (!duplicate) {
      selected.push_back(service);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  // Port order keeps log and URL listings stable whatever order the user typed.
  std::sort(selected.begin(), selected.end(), [](const ServiceInfo& a, const ServiceInfo& b) {
    return a.port_offset < b.port_offset;
  });
  return selected;
}

std::uint16_t service_port(const ServiceInfo& service, const Layout& layout) {
  return static_cast<std::uint16_t>(layout.base_port + service.port_offset);
}

std::filesystem::path find_service_binary(const ServiceInfo& service, const Layout& layout) {
  std::string file_name = fmt::format("surplus-{}", service.name);
  std::vector<std::filesystem::path> candidates;
  if (layout.bin_dir) {
    candidates.push_back(*layout.bin_dir / file_name);
  } else {
    candidates.push_back(layout.tool_dir / file_name);
    candidates.push_back(layout.tool_dir.parent_path().parent_path() / "services" /
                         std::string(service.name) / file_name);
  }
  for (const auto& candidate : candidates) {
    if (is_executable_file(candidate)) {
      return candidate;
    }
  }
  std::string tried;
  for (const auto& candidate : candidates) {
    tried += tried.empty() ? "" : ", ";
    tried += candidate.string();
  }
  throw ToolError(fmt::format(
      "surplus-{} not found or not executable (tried {}); build it with `make build` or point "
      "--bin-dir or SURPLUS_BIN_DIR at the folder that contains it",
      service.name, tried));
}

std::vector<std::string> service_environment(const ServiceInfo& service, const Layout& layout,
                                             std::vector<std::string> inherited) {
  std::vector<std::string> env = std::move(inherited);
  set_env_entry(env, "PORT", std::to_string(service_port(service, layout)));

  if (service.has_database) {
    auto override_url =
        find_env_entry(env, fmt::format("SURPLUS_{}_DATABASE_URL", upper_case(service.name)));
    if (override_url && !override_url->empty()) {
      set_env_entry(env, "DATABASE_URL", *override_url);
    } else {
      auto file = layout.var_dir / fmt::format("{}.db", service.name);
      set_env_entry(env, "DATABASE_URL", "sqlite://" + file.string());
    }
  } else {
    // An inherited DATABASE_URL would suggest a database that this service does not have.
    remove_env_entry(env, "DATABASE_URL");
  }

  for (const auto& peer : all_services()) {
    set_env_entry(env, fmt::format("{}_URL", upper_case(peer.name)),
                  fmt::format("http://127.0.0.1:{}", service_port(peer, layout)));
    if (peer.name == "notifications") {
      // The gateway reads subscription events from the notifications WebSocket.
      set_env_entry(env, "NOTIFICATIONS_WS_URL",
                    fmt::format("ws://127.0.0.1:{}/ws", service_port(peer, layout)));
    }
  }
  return env;
}

Command service_command(const ServiceInfo& service, const Layout& layout,
                        std::vector<std::string> args) {
  return Command{.path = find_service_binary(service, layout).string(),
                 .args = std::move(args),
                 .env = service_environment(service, layout, current_environment())};
}

std::string upper_case(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return result;
}

}  // namespace surplus::tool
