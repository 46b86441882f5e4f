#include <gtest/gtest.h>

#include <surplus/core/error.hpp>
#include <surplus/core/id.hpp>

#include "inventory_operations.hpp"
#include "offers_test_support.hpp"
#include "read_only.hpp"

namespace surplus::offers {
namespace {

using testing::staff_of;

class InventoryTest : public testing::OffersDatabaseTest {
 protected:
  void SetUp() override {
    OffersDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    restaurant_ = add_restaurant();
    actor_ = staff_of(restaurant_);
  }

  InventoryItem put(std::string product, std::int64_t quantity,
                    std::optional<std::string> best_before) {
    directory().store_product(product, restaurant_);
    return set_inventory(
        db(), directory(), actor_,
        {restaurant_, std::move(product), quantity, "piece", std::move(best_before), core::now()},
        core::now());
  }

  std::vector<std::string> products(InventoryOrder order, std::size_t page_size) {
    std::vector<std::string> result;
    std::optional<nlohmann::json> after;
    for (int pages = 0; pages < 10; ++pages) {
      auto items = db().transaction(
          [&](db::Session& session) {
            return list_inventory(session, restaurant_, order, after, page_size);
          },
          read_only());
      for (const auto& item : items) {
        result.push_back(item.product_id);
      }
      if (items.size() < page_size) {
        break;
      }
      after = inventory_sort_key(items.back(), order);
    }
    return result;
  }

  std::string restaurant_;
  Actor actor_;
};

TEST_P(InventoryTest, SetReplacesRow) {
  put("p1", 5, "2026-12-10");
  put("p1", 8, std::nullopt);
  auto item = get_inventory(db(), actor_, restaurant_, "p1");
  EXPECT_EQ(item.quantity, 8);
  EXPECT_FALSE(item.best_before.has_value());
}

TEST_P(InventoryTest, AdjustNeverBelowZero) {
  put("p1", 5, std::nullopt);
  EXPECT_EQ(
      adjust_inventory_by(db(), directory(), actor_, restaurant_, "p1", -3, core::now()).quantity,
      2);
  EXPECT_EQ(
      adjust_inventory_by(db(), directory(), actor_, restaurant_, "p1", 4, core::now()).quantity,
      6);
  try {
    adjust_inventory_by(db(), directory(), actor_, restaurant_, "p1", -7, core::now());
    ADD_FAILURE() << "quantity went below zero";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kInsufficientInventory);
  }
  EXPECT_EQ(get_inventory(db(), actor_, restaurant_, "p1").quantity, 6);
  EXPECT_EQ(
      adjust_inventory_by(db(), directory(), actor_, restaurant_, "p1", -6, core::now()).quantity,
      0);
}

TEST_P(InventoryTest, AdjustUnknownProductIsNotFound) {
  try {
    adjust_inventory_by(db(), directory(), actor_, restaurant_, "missing", 1, core::now());
    ADD_FAILURE() << "adjusted a missing row";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kNotFound);
  }
}

TEST_P(InventoryTest, OtherRestaurantsStaffForbidden) {
  auto other = staff_of(add_restaurant());
  try {
    set_inventory(db(), directory(), other,
                  {restaurant_, "p1", 1, "piece", std::nullopt, core::now()}, core::now());
    ADD_FAILURE() << "staff of another restaurant changed the inventory";
  } catch (const core::Error& error) {
    EXPECT_EQ(error.code(), core::ErrorCode::kForbidden);
  }
}

TEST_P(InventoryTest, ListsInEachOrderAcrossPages) {
  put("p-a", 7, "2026-12-20");
  put("p-b", 2, std::nullopt);
  put("p-c", 2, "2026-12-05");
  put("p-d", 0, "2026-12-30");
  put("p-e", 9, "2026-12-05");
  for (std::size_t page_size : {1u, 2u, 10u}) {
    EXPECT_EQ(products(InventoryOrder::kProduct, page_size),
              (std::vector<std::string>{"p-a", "p-b", "p-c", "p-d", "p-e"}))
        << page_size;
    // Lowest quantity first; equal quantities by best-before, undated last.
    EXPECT_EQ(products(InventoryOrder::kLowStock, page_size),
              (std::vector<std::string>{"p-d", "p-c", "p-b", "p-a", "p-e"}))
        << page_size;
    // Earliest best-before first; equal dates by quantity; undated last.
    EXPECT_EQ(products(InventoryOrder::kExpiring, page_size),
              (std::vector<std::string>{"p-c", "p-e", "p-a", "p-d", "p-b"}))
        << page_size;
  }
}

SURPLUS_DB_INSTANTIATE_ALL(InventoryTest);

}  // namespace
}  // namespace surplus::offers
