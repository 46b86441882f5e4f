#include "json_object.hpp"

#include <string>
#include <utility>

#include <gtest/gtest.h>

namespace surplus::gateway {
namespace {

TEST(MakeObject, KeepsNamesInOrder) {
  const std::string id = "o1";
  const Json object = make_object("type", "next", "id", id, "count", 3, "empty", Json());
  EXPECT_EQ(object.dump(), R"({"type":"next","id":"o1","count":3,"empty":null})");
  EXPECT_EQ(id, "o1");
}

// The array inside must be the same allocation afterwards, not a copy of it.
TEST(MakeObject, MovesRvalueValues) {
  Json edges = Json::array({Json{{"id", "o1"}}, Json{{"id", "o2"}}});
  const auto* storage = edges.get_ptr<Json::array_t*>();
  Json info = {{"hasNextPage", false}};
  const Json page = make_object("edges", std::move(edges), "pageInfo", std::move(info));
  EXPECT_EQ(page.at("edges").get_ptr<const Json::array_t*>(), storage);
  EXPECT_EQ(page.at("edges").size(), 2u);
  EXPECT_EQ(page.at("pageInfo").at("hasNextPage"), false);
}

// A copied lvalue leaves the original as it was.
TEST(MakeObject, CopiesLvalueValues) {
  const Json edges = Json::array({1, 2});
  const Json page = make_object("edges", edges);
  EXPECT_EQ(page.at("edges"), edges);
  EXPECT_NE(page.at("edges").get_ptr<const Json::array_t*>(),
            edges.get_ptr<const Json::array_t*>());
}

}  // namespace
}  // namespace surplus::gateway
