#include "offers_app.hpp"

#include <utility>

#include <surplus/auth/keys.hpp>

namespace surplus::offers {

OffersConfig OffersConfig::from_env(const core::EnvReader& env) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  OffersConfig config;
  config.orders_url = env.string("ORDERS_URL", config.orders_url);
  if (config.orders_url == "off") {
    config.orders_url.clear();
  }
  config.restaurant_location_max_age = duration_cast<seconds>(
      env.duration("RESTAURANT_LOCATION_MAX_AGE", config.restaurant_location_max_age));
  config.offer_expiry_interval =
      env.duration("OFFER_EXPIRY_INTERVAL", config.offer_expiry_interval);
  if (config.offer_expiry_interval < milliseconds(100)) {
    throw core::ConfigError("OFFER_EXPIRY_INTERVAL", "must be at least 100ms");
  }
  config.delivery.courier_location_max_age = duration_cast<seconds>(
      env.duration("COURIER_LOCATION_MAX_AGE", config.delivery.courier_location_max_age));
  config.route_stop_dwell =
      duration_cast<seconds>(env.duration("ROUTE_STOP_DWELL", config.route_stop_dwell));
  config.notifications_url = env.string("NOTIFICATIONS_URL", config.notifications_url);
  config.outbox_relay_enabled = env.boolean("OUTBOX_RELAY_ENABLED", config.outbox_relay_enabled);
  return config;
}

OffersApp::OffersApp(db::Database& database_in, OffersConfig config_in,
                     auth::TokenVerifier verifier_in, auth::ServiceSecret secret)
    : database(database_in),
      config(std::move(config_in)),
      verifier(std::move(verifier_in)),
      service_secret(secret),
      directory(database_in, config.orders_url, secret, config.restaurant_location_max_age) {}

std::shared_ptr<OffersApp> make_offers_app(const core::EnvReader& env, db::Database& database,
                                           bool verify_tokens) {
  auto config = OffersConfig::from_env(env);
  auto secret = auth::ServiceSecret::from_env(env);
  // A new key whose private half is discarded, so every signature check fails.
  auto verifier = verify_tokens ? auth::load_token_verifier(env)
                                : auth::TokenVerifier(auth::KeyPair::generate().public_key());
  return std::make_shared<OffersApp>(database, std::move(config), std::move(verifier),
                                     std::move(secret));
}

}  // namespace surplus::offers
