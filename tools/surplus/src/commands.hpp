#pragma once

#include <chrono>
#include <vector>

#include "services.hpp"
#include "supervisor.hpp"

namespace surplus::tool {

struct UpOptions {
  Layout layout{};
  std::vector<ServiceInfo> services{};
  SupervisorPolicy policy{};
  // After this long without every /healthz returning 200, a warning names the services
  // that do not; checking goes on.
  std::chrono::milliseconds ready_warning_after{60'000};
};

// `surplus up`: supervises the services until SIGINT or SIGTERM. Returns the exit status.
int run_up(const UpOptions& options);

// `surplus migrate`: runs `surplus-<name> --migrate` for each service with a database.
int run_migrate(const Layout& layout, const std::vector<ServiceInfo>& services);

// `surplus seed`: runs `surplus-<name> --seed` for each service with a database, skipping
// those not built, and stores the demo accounts they print in <var dir>/demo-accounts.json.
int run_seed(const Layout& layout, const std::vector<ServiceInfo>& services);

// Prints the accounts stored by the last `surplus seed`, or a line saying there are none.
void print_demo_accounts(const Layout& layout);

}  // namespace surplus::tool
