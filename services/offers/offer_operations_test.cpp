#include "offer_operations.hpp"

#include <gtest/gtest.h>

#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>

#include "inventory_operations.hpp"
#include "inventory_store.hpp"
#include "offer_search.hpp"
#include "offers_store.hpp"
#include "offers_test_support.hpp"

namespace surplus::offers {
namespace {

using std::chrono::minutes;
using testing::bag_request;
using testing::staff_of;
using testing::window_json;

// The fields of a VALIDATION_FAILED error, or an empty list with a test failure when the
// call does not fail that way.
template <class F>
std::vector<std::string> invalid_fields(F&& call) {
  std::vector<std::string> fields;
  try {
    call();
    ADD_FAILURE() << "no validation error";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kValidationFailed) << error.message();
    for (const auto& field : error.fields()) {
      fields.push_back(field["field"].get<std::string>());
    }
  }
  return fields;
}

template <class F>
core::ErrorCode error_code(F&& call) {
  try {
    call();
  } catch (const core::Error& error) {
    return error.code();
  }
  ADD_FAILURE() << "no error";
  return core::ErrorCode::kInternal;
}

bool contains(const std::vector<std::string>& fields, const std::string& field) {
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

TEST(OfferTransitionsTest, AllowsOnlySensibleMoves) {
  using S = OfferStatus;
  const std::vector<S> all{S::kDraft, S::kActive, S::kSoldOut, S::kExpired, S::kCancelled};
  const std::vector<std::pair<S, S>> allowed{
      {S::kDraft, S::kActive},    {S::kDraft, S::kCancelled},  {S::kActive, S::kSoldOut},
      {S::kActive, S::kExpired},  {S::kActive, S::kCancelled}, {S::kSoldOut, S::kActive},
      {S::kSoldOut, S::kExpired}, {S::kSoldOut, S::kCancelled}};
  for (S from : all) {
    for (S to : all) {
      bool expected =
          std::find(allowed.begin(), allowed.end(), std::pair{from, to}) != allowed.end();
      EXPECT_EQ(is_allowed_transition(from, to), expected)
          << offer_status_name(from) << " -> " << offer_status_name(to);
    }
  }
}

TEST(OfferInputTest, RejectsPriceAtOrAboveValue) {
  auto request = bag_request();
  request["price"]["amount"] = 900;
  auto fields = invalid_fields([&] {
    Offer offer;
    apply_offer_input(offer, parse_offer_input(request, true));
    offer.max_per_customer = 1;
    validate_offer(offer, core::now());
  });
  EXPECT_TRUE(contains(fields, "price"));
}

TEST(OfferInputTest, RejectsMixedCurrencies) {
  auto request = bag_request();
  request["price"]["currency"] = "USD";
  auto fields = invalid_fields([&] {
    Offer offer;
    apply_offer_input(offer, parse_offer_input(request, true));
    validate_offer(offer, core::now());
  });
  EXPECT_TRUE(contains(fields, "price.currency"));
}

TEST(OfferInputTest, RejectsZeroAndNegativeQuantity) {
  for (int quantity : {0, -1, -100}) {
    auto fields = invalid_fields([&] { parse_offer_input(bag_request(quantity), true); });
    EXPECT_TRUE(contains(fields, "quantity")) << quantity;
  }
}

TEST(OfferInputTest, RejectsNegativeAmounts) {
  auto request = bag_request();
  request["price"]["amount"] = -5;
  auto fields = invalid_fields([&] { parse_offer_input(request, true); });
  EXPECT_TRUE(contains(fields, "price.amount"));
}

TEST(OfferInputTest, RejectsWindowInThePast) {
  auto request = bag_request();
  request["pickupWindow"] = window_json(minutes(-180), minutes(60));
  auto fields = invalid_fields([&] {
    Offer offer;
    apply_offer_input(offer, parse_offer_input(request, true));
    offer.max_per_customer = 1;
    validate_offer(offer, core::now());
  });
  EXPECT_TRUE(contains(fields, "pickupWindow"));
}

TEST(OfferInputTest, RejectsWindowEndingBeforeStart) {
  auto request = bag_request();
  auto start = core::now() + minutes(120);
  request["pickupWindow"] = {{"start", core::format_rfc3339(start)},
                             {"end", core::format_rfc3339(start - minutes(30))}};
  auto fields = invalid_fields([&] {
    Offer offer;
    apply_offer_input(offer, parse_offer_input(request, true));
    offer.max_per_customer = 1;
    validate_offer(offer, core::now());
  });
  EXPECT_TRUE(contains(fields, "pickupWindow"));
}

TEST(OfferInputTest, ListsEveryMissingField) {
  auto fields = invalid_fields([&] { parse_offer_input(nlohmann::json::object(), true); });
  for (const char* name :
       {"title", "category", "price", "originalValue", "quantity", "pickupWindow"}) {
    EXPECT_TRUE(contains(fields, name)) << name;
  }
}

TEST(OfferInputTest, RejectsUnknownFieldsAndBadTokens) {
  auto request = bag_request();
  request["colour"] = "red";
  request["category"] = "Bakery!";
  request["dietaryTags"] = {"vegan", "NOT OK"};
  auto fields = invalid_fields([&] { parse_offer_input(request, true); });
  EXPECT_TRUE(contains(fields, "colour"));
  EXPECT_TRUE(contains(fields, "category"));
  EXPECT_TRUE(contains(fields, "dietaryTags"));
}

TEST(OfferInputTest, ProductOfferNeedsProductId) {
  auto request = bag_request();
  request["kind"] = "PRODUCT";
  auto fields = invalid_fields([&] {
    Offer offer;
    apply_offer_input(offer, parse_offer_input(request, true));
    offer.max_per_customer = 1;
    validate_offer(offer, core::now());
  });
  EXPECT_TRUE(contains(fields, "productId"));
}

class OfferOperationsTest : public testing::OffersDatabaseTest {
 protected:
  Offer reload(const std::string& id) {
    return db().transaction([&](db::Session& session) { return *find_offer(session, id); });
  }

  nlohmann::json product_request(const std::string& product_id, int quantity) {
    auto request = bag_request(quantity);
    request["kind"] = "PRODUCT";
    request["productId"] = product_id;
    request["title"] = "Sourdough loaf";
    return request;
  }

  void stock(const std::string& restaurant, const std::string& product, std::int64_t quantity) {
    directory().store_product(product, restaurant);
    set_inventory(db(), directory(), staff_of(restaurant),
                  {restaurant, product, quantity, "piece", "2026-12-31", core::now()}, core::now());
  }

  std::int64_t on_hand(const std::string& restaurant, const std::string& product) {
    return get_inventory(db(), staff_of(restaurant), restaurant, product).quantity;
  }
};

TEST_P(OfferOperationsTest, CreatesDraftWithoutEvents) {
  std::string restaurant = add_restaurant();
  Offer draft = create_offer(db(), directory(), staff_of(restaurant), restaurant,
                             parse_offer_input(bag_request(), true), core::now());
  EXPECT_EQ(draft.status, OfferStatus::kDraft);
  EXPECT_FALSE(draft.location.has_value());
  EXPECT_EQ(draft.max_per_customer, 5);
  EXPECT_EQ(reload(draft.id).title, "Bakery surprise bag");
  EXPECT_EQ(outbox_count("offer.published"), 0);
}

TEST_P(OfferOperationsTest, PublishCopiesLocationAndWritesEvent) {
  std::string restaurant = add_restaurant({52.4986, 13.4194});
  auto actor = staff_of(restaurant);
  Offer draft = create_offer(db(), directory(), actor, restaurant,
                             parse_offer_input(bag_request(), true), core::now());
  Offer published = publish_offer(db(), directory(), actor, draft.id, core::now());
  EXPECT_EQ(published.status, OfferStatus::kActive);
  ASSERT_TRUE(published.location.has_value());
  EXPECT_DOUBLE_EQ(published.location->latitude, 52.4986);
  EXPECT_DOUBLE_EQ(published.location->longitude, 13.4194);
  ASSERT_TRUE(published.published_at.has_value());
  auto events = outbox_events("offer.published");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["data"]["id"], draft.id);
  EXPECT_EQ(events[0]["data"]["status"], "ACTIVE");
  EXPECT_EQ(events[0]["channels"].size(), 3u);
  EXPECT_TRUE(core::is_uuid(events[0]["id"].get<std::string>()));

  EXPECT_EQ(error_code([&] { publish_offer(db(), directory(), actor, draft.id, core::now()); }),
            core::ErrorCode::kConflict);
}

TEST_P(OfferOperationsTest, OnlyStaffOfRestaurantOrAdminMayCreate) {
  std::string restaurant = add_restaurant();
  std::string other = add_restaurant();
  auto input = parse_offer_input(bag_request(), true);
  EXPECT_EQ(error_code([&] {
              create_offer(db(), directory(), staff_of(other), restaurant, input, core::now());
            }),
            core::ErrorCode::kForbidden);
  EXPECT_EQ(error_code([&] {
              create_offer(db(), directory(), testing::customer(core::new_uuid_v7()), restaurant,
                           input, core::now());
            }),
            core::ErrorCode::kForbidden);
  EXPECT_EQ(error_code([&] {
              create_offer(db(), directory(), Actor::user(auth::Identity::anonymous()), restaurant,
                           input, core::now());
            }),
            core::ErrorCode::kUnauthenticated);
  Offer by_admin =
      create_offer(db(), directory(), testing::admin(), restaurant, input, core::now());
  EXPECT_EQ(by_admin.restaurant_id, restaurant);
}

TEST_P(OfferOperationsTest, DraftsHiddenFromCustomers) {
  std::string restaurant = add_restaurant();
  Offer draft = create_offer(db(), directory(), staff_of(restaurant), restaurant,
                             parse_offer_input(bag_request(), true), core::now());
  EXPECT_EQ(error_code([&] { get_offer(db(), testing::customer("c"), draft.id); }),
            core::ErrorCode::kNotFound);
  EXPECT_EQ(get_offer(db(), staff_of(restaurant), draft.id).id, draft.id);
}

TEST_P(OfferOperationsTest, ProductOfferDrawsAndReturnsInventory) {
  std::string restaurant = add_restaurant();
  std::string product = core::new_uuid_v7();
  stock(restaurant, product, 10);
  Offer offer = publish(restaurant, product_request(product, 4));
  EXPECT_EQ(offer.quantity_available, 4);
  EXPECT_EQ(on_hand(restaurant, product), 6);

  Offer cancelled = cancel_offer(db(), staff_of(restaurant), offer.id, core::now());
  EXPECT_EQ(cancelled.status, OfferStatus::kCancelled);
  EXPECT_EQ(on_hand(restaurant, product), 10);
  EXPECT_EQ(outbox_count("offer.updated"), 1);
}

TEST_P(OfferOperationsTest, ShortInventoryKeepsDraft) {
  std::string restaurant = add_restaurant();
  std::string product = core::new_uuid_v7();
  stock(restaurant, product, 3);
  auto actor = staff_of(restaurant);
  Offer draft = create_offer(db(), directory(), actor, restaurant,
                             parse_offer_input(product_request(product, 4), true), core::now());
  EXPECT_EQ(error_code([&] { publish_offer(db(), directory(), actor, draft.id, core::now()); }),
            core::ErrorCode::kInsufficientInventory);
  EXPECT_EQ(reload(draft.id).status, OfferStatus::kDraft);
  EXPECT_EQ(on_hand(restaurant, product), 3);
  EXPECT_EQ(outbox_count("offer.published"), 0);
}

TEST_P(OfferOperationsTest, ExpiryReturnsUnsoldProducts) {
  std::string restaurant = add_restaurant();
  std::string product = core::new_uuid_v7();
  stock(restaurant, product, 5);
  Offer offer = publish(restaurant, product_request(product, 5));
  Offer bag = publish(restaurant, bag_request(2));
  EXPECT_EQ(on_hand(restaurant, product), 0);

  EXPECT_EQ(expire_ended_offers(db(), core::now()), 0u);
  auto after_end = offer.pickup.end + std::chrono::seconds(1);
  EXPECT_EQ(expire_ended_offers(db(), after_end), 2u);
  EXPECT_EQ(reload(offer.id).status, OfferStatus::kExpired);
  EXPECT_EQ(reload(bag.id).status, OfferStatus::kExpired);
  EXPECT_EQ(on_hand(restaurant, product), 5);
  EXPECT_EQ(expire_ended_offers(db(), after_end), 0u);
  EXPECT_EQ(error_code([&] { cancel_offer(db(), staff_of(restaurant), offer.id, after_end); }),
            core::ErrorCode::kConflict);
}

TEST_P(OfferOperationsTest, LiveOfferEditsWriteEvent) {
  std::string restaurant = add_restaurant();
  Offer offer = publish(restaurant, bag_request());
  auto edit = parse_offer_input(
      {{"title", "Evening bag"}, {"price", {{"amount", 250}, {"currency", "EUR"}}}}, false);
  Offer edited = update_offer(db(), directory(), staff_of(restaurant), offer.id, edit, core::now());
  EXPECT_EQ(edited.title, "Evening bag");
  EXPECT_EQ(edited.price.amount, 250);
  EXPECT_EQ(edited.quantity_available, 5);
  EXPECT_EQ(outbox_count("offer.updated"), 1);

  auto quantity = parse_offer_input({{"quantity", 9}}, false);
  EXPECT_EQ(error_code([&] {
              update_offer(db(), directory(), staff_of(restaurant), offer.id, quantity,
                           core::now());
            }),
            core::ErrorCode::kValidationFailed);
  auto too_expensive =
      parse_offer_input({{"price", {{"amount", 1000}, {"currency", "EUR"}}}}, false);
  EXPECT_EQ(error_code([&] {
              update_offer(db(), directory(), staff_of(restaurant), offer.id, too_expensive,
                           core::now());
            }),
            core::ErrorCode::kValidationFailed);
}

TEST_P(OfferOperationsTest, DraftEditsChangeQuantity) {
  std::string restaurant = add_restaurant();
  auto actor = staff_of(restaurant);
  Offer draft = create_offer(db(), directory(), actor, restaurant,
                             parse_offer_input(bag_request(8), true), core::now());
  Offer edited = update_offer(db(), directory(), actor, draft.id,
                              parse_offer_input({{"quantity", 3}}, false), core::now());
  EXPECT_EQ(edited.quantity_total, 3);
  EXPECT_EQ(edited.max_per_customer, 3);
  EXPECT_EQ(reload(draft.id).quantity_available, 3);
}

TEST_P(OfferOperationsTest, CancelledOfferCannotBeEdited) {
  std::string restaurant = add_restaurant();
  Offer offer = publish(restaurant, bag_request());
  cancel_offer(db(), staff_of(restaurant), offer.id, core::now());
  EXPECT_EQ(error_code([&] {
              update_offer(db(), directory(), staff_of(restaurant), offer.id,
                           parse_offer_input({{"title", "x"}}, false), core::now());
            }),
            core::ErrorCode::kConflict);
}

TEST_P(OfferOperationsTest, UnknownRestaurantCannotPublish) {
  std::string restaurant = core::new_uuid_v7();  // not stored, no orders service configured
  EXPECT_EQ(error_code([&] { publish(restaurant, bag_request()); }), core::ErrorCode::kNotFound);
}

// The core::Error that `call` throws. Without one, the test fails and the result is INTERNAL.
template <class F>
core::Error caught_error(F&& call) {
  try {
    call();
  } catch (const core::Error& error) {
    return error;
  }
  ADD_FAILURE() << "no error";
  return core::Error::internal("no error");
}

TEST_P(OfferOperationsTest, ForeignProductIsRejected) {
  std::string owner = add_restaurant();
  std::string other = add_restaurant();
  std::string product = add_product(owner);
  std::string expected_message = "product " + product + " belongs to restaurant " + owner +
                                 ", not to restaurant " + other + "; use one of restaurant " +
                                 other + "'s own products";

  for (const Actor& actor : {staff_of(other), testing::admin()}) {
    auto stocked = caught_error([&] {
      set_inventory(db(), directory(), actor,
                    {other, product, 5, "piece", std::nullopt, core::now()}, core::now());
    });
    EXPECT_EQ(stocked.code(), core::ErrorCode::kValidationFailed);
    EXPECT_EQ(stocked.message(), expected_message);
    ASSERT_EQ(stocked.fields().size(), 1u);
    EXPECT_EQ(stocked.fields()[0]["field"], "productId");
    EXPECT_EQ(stocked.fields()[0]["message"], expected_message);

    auto request = product_request(product, 2);
    request["publish"] = true;
    auto published = caught_error([&] {
      create_offer(db(), directory(), actor, other, parse_offer_input(request, true), core::now());
    });
    EXPECT_EQ(published.code(), core::ErrorCode::kValidationFailed);
    ASSERT_EQ(published.fields().size(), 1u);
    EXPECT_EQ(published.fields()[0]["message"], expected_message);
  }

  // Nothing was written: no stock, no offer and no event.
  auto inventory = db().transaction(
      [&](db::Session& session) { return find_inventory(session, other, product); });
  EXPECT_FALSE(inventory.has_value());
  auto offers = db().transaction([&](db::Session& session) {
    return list_restaurant_offers(session, other, {}, std::nullopt, 10);
  });
  EXPECT_TRUE(offers.empty());
  EXPECT_EQ(outbox_count("offer.published"), 0);

  // The owner may stock and offer it.
  stock(owner, product, 5);
  EXPECT_EQ(publish(owner, product_request(product, 2)).status, OfferStatus::kActive);
  EXPECT_EQ(on_hand(owner, product), 3);
}

TEST_P(OfferOperationsTest, DraftRejectsForeignProduct) {
  std::string owner = add_restaurant();
  std::string other = add_restaurant();
  std::string own_product = add_product(other);
  std::string foreign_product = add_product(owner);
  stock(other, own_product, 5);
  Offer draft = create_offer(db(), directory(), staff_of(other), other,
                             parse_offer_input(product_request(own_product, 2), true), core::now());

  auto edited = caught_error([&] {
    update_offer(db(), directory(), staff_of(other), draft.id,
                 parse_offer_input({{"productId", foreign_product}}, false), core::now());
  });
  EXPECT_EQ(edited.code(), core::ErrorCode::kValidationFailed);
  EXPECT_EQ(reload(draft.id).product_id, own_product);

  // A draft saved with a foreign product before products were checked is stopped when it is
  // published, before inventory is touched.
  db().execute("UPDATE offers SET product_id = $1 WHERE id = $2", {foreign_product, draft.id});
  auto published = caught_error(
      [&] { publish_offer(db(), directory(), staff_of(other), draft.id, core::now()); });
  EXPECT_EQ(published.code(), core::ErrorCode::kValidationFailed);
  EXPECT_EQ(reload(draft.id).status, OfferStatus::kDraft);
  EXPECT_EQ(on_hand(other, own_product), 5);
}

TEST_P(OfferOperationsTest, UnknownProductIsNotFound) {
  std::string restaurant = add_restaurant();
  std::string product = core::new_uuid_v7();  // not stored, no orders service configured
  EXPECT_EQ(error_code([&] {
              set_inventory(db(), directory(), staff_of(restaurant),
                            {restaurant, product, 5, "piece", std::nullopt, core::now()},
                            core::now());
            }),
            core::ErrorCode::kNotFound);
}

TEST_P(OfferOperationsTest, MoveTakesLiveOffersAlong) {
  core::GeoPoint berlin{52.5, 13.4};
  core::GeoPoint sydney{-33.86, 151.2};
  std::string restaurant = add_restaurant(berlin);
  Offer active = publish(restaurant, bag_request());
  Offer draft = create_offer(db(), directory(), staff_of(restaurant), restaurant,
                             parse_offer_input(bag_request(), true), core::now());
  Offer cancelled = publish(restaurant, bag_request());
  cancel_offer(db(), staff_of(restaurant), cancelled.id, core::now());
  auto changed_at = core::now();

  directory().store({restaurant, "Moved", sydney, core::now(), changed_at});

  ASSERT_TRUE(reload(active.id).location.has_value());
  EXPECT_DOUBLE_EQ(reload(active.id).location->latitude, -33.86);
  EXPECT_DOUBLE_EQ(reload(active.id).location->longitude, 151.2);
  EXPECT_FALSE(reload(draft.id).location.has_value());
  EXPECT_DOUBLE_EQ(reload(cancelled.id).location->latitude, 52.5);
  auto find_near = [&](core::GeoPoint center) {
    OfferSearch search;
    search.center = center;
    search.radius_km = 1;
    auto page = db().transaction(
        [&](db::Session& session) { return search_offers(session, search, core::now()); });
    std::vector<std::string> ids;
    for (const auto& hit : page.hits) {
      ids.push_back(hit.offer.id);
    }
    return ids;
  };
  EXPECT_EQ(find_near(sydney), std::vector<std::string>{active.id});
  EXPECT_TRUE(find_near(berlin).empty());
  auto events = outbox_events("offer.updated");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["data"]["id"], active.id);
  EXPECT_EQ(events.back()["data"]["location"]["latitude"], -33.86);

  // A late copy of the state before the move changes nothing.
  directory().store({restaurant, "Old", berlin, core::now(), changed_at - std::chrono::seconds(1)});
  EXPECT_EQ(find_near(sydney), std::vector<std::string>{active.id});
  EXPECT_EQ(directory().find(restaurant).name, "Moved");

  // A new offer gets the new location.
  Offer later = publish(restaurant, bag_request());
  EXPECT_DOUBLE_EQ(later.location->latitude, -33.86);
}

SURPLUS_DB_INSTANTIATE_ALL(OfferOperationsTest);

}  // namespace
}  // namespace surplus::offers
