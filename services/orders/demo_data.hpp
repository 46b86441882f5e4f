#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "orders_config.hpp"

namespace surplus::orders {

// The password of every demo account, printed by `make run`; demo data is for local use.
inline constexpr std::string_view kDemoPassword = "surplus-demo";

struct SeedReport {
  int users_created = 0;
  int restaurants_created = 0;
  int products_created = 0;
};

// Loads the demo city (Berlin, Kreuzberg and Neukölln): one account per role, named
// customer@, store@, courier@ and admin@demo.surplus, at least 40 restaurants within a few
// kilometres, whose staff is the store account, and products for each. Idempotent: rows
// that exist (matched by e-mail, restaurant name, product name) are left alone.
SeedReport seed_demo_data(OrdersApp& app);

// The demo accounts as `surplus seed` reads them from a service's standard output:
// {"accounts": [{"email", "password", "role", "note"}]}.
nlohmann::json demo_accounts_json();

}  // namespace surplus::orders
