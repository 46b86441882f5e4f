#pragma once

// Shared set-up for the offers service's database tests: a migrated database per test on
// SQLite and PostgreSQL, actors of each role, restaurants with known locations and offers
// in a given state.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <surplus/core/time.hpp>
#include <surplus/db/testing.hpp>

#include "actor.hpp"
#include "offer.hpp"
#include "offer_input.hpp"
#include "restaurant_directory.hpp"

namespace surplus::offers::testing {

inline constexpr std::string_view kTestServiceSecret = "offers-test-service-secret";

auth::Identity identity(auth::Role role, std::string user_id,
                        std::vector<std::string> restaurants = {});

Actor staff_of(const std::string& restaurant_id);
Actor admin();
Actor customer(const std::string& user_id);
Actor courier_user(const std::string& user_id);

// A pickup window starting `from_now` from now and lasting `length`.
nlohmann::json window_json(std::chrono::minutes from_now, std::chrono::minutes length);

// A valid surprise-bag create request: 5 units, price 300 of value 900 EUR, pickup from
// 1 h to 3 h from now, category "bakery".
nlohmann::json bag_request(int quantity = 5);

class OffersDatabaseTest : public db::testing::DatabaseTest {
 protected:
  void SetUp() override;

  RestaurantDirectory& directory() { return *directory_; }

  // Stores a restaurant at `location` and returns its new id.
  std::string add_restaurant(core::GeoPoint location = {52.5, 13.4});

  // Stores a new product of `restaurant_id` in the directory and returns its id.
  std::string add_product(const std::string& restaurant_id);

  // Creates and publishes an offer for `restaurant_id` from `request`.
  Offer publish(const std::string& restaurant_id, const nlohmann::json& request);

  // Number of outbox rows of `type`.
  std::int64_t outbox_count(const std::string& type);
  // Envelopes of the outbox rows of `type`, oldest first.
  std::vector<nlohmann::json> outbox_events(const std::string& type);

 private:
  std::unique_ptr<RestaurantDirectory> directory_;
};

}  // namespace surplus::offers::testing
