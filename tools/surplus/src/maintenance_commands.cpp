#include <cstdio>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"

namespace surplus::tool {
namespace {

std::filesystem::path demo_accounts_file(const Layout& layout) {
  return layout.var_dir / "demo-accounts.json";
}

// Reads the accounts from the stdout of `surplus-<name> --seed`: nothing (no accounts) or
// one JSON object whose optional "accounts" member is an array of {email, password, role,
// note?}. Logs go to stderr, so stdout carries only this object.
nlohmann::json parse_seed_output(const ServiceInfo& service, const std::string& output) {
  if (output.find_first_not_of(" \t\r\n") == std::string::npos) {
    return nlohmann::json::array();
  }
  auto document = nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    throw ToolError(fmt::format(
        "surplus-{} --seed printed invalid output: expected one JSON object on stdout, got '{}'",
        service.name, output.substr(0, 200)));
  }
  auto accounts = document.value("accounts", nlohmann::json::array());
  if (!accounts.is_array()) {
    throw ToolError(fmt::format(
        "surplus-{} --seed printed invalid output: \"accounts\" is not an array", service.name));
  }
  for (auto& account : accounts) {
    if (!account.is_object() || !account.contains("email") || !account.contains("password")) {
      throw ToolError(fmt::format(
          "surplus-{} --seed printed an invalid account {}: expected email and password",
          service.name, account.dump()));
    }
    account["service"] = service.name;
  }
  return accounts;
}

void write_demo_accounts(const Layout& layout, const nlohmann::json& accounts) {
  auto path = demo_accounts_file(layout);
  auto temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary);
    out << nlohmann::json{{"accounts", accounts}}.dump(2) << '\n';
    if (!out) {
      throw ToolError(fmt::format("writing {} failed", temporary.string()));
    }
  }
  std::filesystem::rename(temporary, path);
}

}  // namespace

int run_migrate(const Layout& layout, const std::vector<ServiceInfo>& services) {
  std::filesystem::create_directories(layout.var_dir);
  for (const auto& service : services) {
    if (!service.has_database) {
      continue;
    }
    auto command = service_command(service, layout, {"--migrate"});
    auto result = run_to_completion(command, /*capture_output=*/false);
    if (!result.succeeded()) {
      throw ToolError(fmt::format("{} --migrate {}; its log above names the cause", command.path,
                                  describe_wait_status(result.wait_status)));
    }
    std::fputs(fmt::format("{}: migrations applied\n", service.name).c_str(), stdout);
  }
  std::fflush(stdout);
  return 0;
}

int run_seed(const Layout& layout, const std::vector<ServiceInfo>& services) {
  std::filesystem::create_directories(layout.var_dir);
  auto accounts = nlohmann::json::array();
  for (const auto& service : services) {
    if (!service.has_database) {
      continue;
    }
    Command command;
    try {
      command = service_command(service, layout, {"--seed"});
    } catch (const ToolError&) {
      // Lets `surplus seed` run while some services are not written yet.
      std::fputs(fmt::format("{}: not built, so no demo data\n", service.name).c_str(), stdout);
      continue;
    }
    auto result = run_to_completion(command, /*capture_output=*/true);
    if (!result.succeeded()) {
      throw ToolError(fmt::format("{} --seed {}; its log above names the cause", command.path,
                                  describe_wait_status(result.wait_status)));
    }
    auto service_accounts = parse_seed_output(service, result.standard_output);
    std::string line = std::string(service.name) + ": demo data loaded";
    if (!service_accounts.empty()) {
      line += fmt::format(", {} demo account{}", service_accounts.size(),
                          service_accounts.size() == 1 ? "" : "s");
    }
    std::fputs((line + "\n").c_str(), stdout);
    for (auto& account : service_accounts) {
      accounts.push_back(std::move(account));
    }
  }
  // Rewritten on every run, so accounts of a service that stopped seeding do not linger.
  write_demo_accounts(layout, accounts);
  // `surplus up` prints the accounts next to the URLs once the health checks pass. Printing
  // them here as well showed them before any service could accept a login.
  if (!accounts.empty()) {
    std::fputs(fmt::format("Demo accounts stored in {}; `surplus up` prints them.\n",
                           demo_accounts_file(layout).string())
                   .c_str(),
               stdout);
  }
  std::fflush(stdout);
  return 0;
}

void print_demo_accounts(const Layout& layout) {
  auto path = demo_accounts_file(layout);
  nlohmann::json accounts = nlohmann::json::array();
  std::ifstream in(path);
  if (in) {
    auto document = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (document.is_object()) {
      accounts = document.value("accounts", nlohmann::json::array());
    }
  }
  if (!accounts.is_array() || accounts.empty()) {
    std::fputs("No demo accounts: no service printed any in `surplus seed`.\n", stdout);
    return;
  }
  std::string text = "Demo accounts (e-mail / password / role):\n";
  for (const auto& account : accounts) {
    text += fmt::format("  {:<32} {:<16} {}{}\n", account.value("email", ""),
                        account.value("password", ""), account.value("role", ""),
                        account.contains("note") ? fmt::format("  ({})", account.value("note", ""))
                                                 : std::string());
  }
  std::fputs(text.c_str(), stdout);
}

}  // namespace surplus::tool
