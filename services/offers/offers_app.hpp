#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <surplus/auth/jwt.hpp>
#include <surplus/auth/request_auth.hpp>
#include <surplus/core/config.hpp>
#include <surplus/db/database.hpp>

#include "delivery_operations.hpp"
#include "restaurant_directory.hpp"

namespace surplus::offers {

// Settings of the offers service, each from an environment variable with a default:
//   ORDERS_URL                     http://127.0.0.1:4001   where restaurant locations and
//                                  the restaurant of each product are fetched from; "off":
//                                  only stored copies are used
//   RESTAURANT_LOCATION_MAX_AGE    10m   refetch a stored restaurant location after this
//   OFFER_EXPIRY_INTERVAL          30s   how often ended offers are expired
//   COURIER_LOCATION_MAX_AGE       15m   automatic assignment ignores older locations
//   ROUTE_STOP_DWELL               3m    time per stop in route ETAs
//   NOTIFICATIONS_URL              http://127.0.0.1:4003   where the outbox relay sends
//   OUTBOX_RELAY_ENABLED           true  whether this process runs the outbox relay
// plus SERVICE_SECRET (auth::ServiceSecret::from_env) and the access-token public key
// (auth::load_token_verifier).
struct OffersConfig {
  std::string orders_url = "http://127.0.0.1:4001";
  std::chrono::seconds restaurant_location_max_age{600};
  std::chrono::milliseconds offer_expiry_interval{30000};
  DeliverySettings delivery;
  std::chrono::seconds route_stop_dwell{180};
  std::string notifications_url = "http://127.0.0.1:4003";
  bool outbox_relay_enabled = true;

  // Throws core::ConfigError naming a malformed variable.
  static OffersConfig from_env(const core::EnvReader& env);
};

// State shared by the handlers. Thread-safe.
struct OffersApp {
  db::Database& database;
  OffersConfig config;
  auth::TokenVerifier verifier;
  auth::ServiceSecret service_secret;
  RestaurantDirectory directory;

  OffersApp(db::Database& database_in, OffersConfig config_in, auth::TokenVerifier verifier_in,
            auth::ServiceSecret secret);
};

// Reads the configuration and, when `verify_tokens`, the token public key (which may wait
// for the orders service to publish it, see auth::load_public_key). Without it, every
// token is rejected. Throws core::ConfigError naming a bad variable.
std::shared_ptr<OffersApp> make_offers_app(const core::EnvReader& env, db::Database& database,
                                           bool verify_tokens = true);

}  // namespace surplus::offers
