#include "fragment_map.hpp"

#include <string>

#include <gtest/gtest.h>

#include <surplus/graphql/parser.hpp>

namespace surplus::graphql::detail {
namespace {

TEST(FragmentMap, LaterDefinitionOfANameWins) {
  const auto document =
      parse("{ ...B } fragment B on T { first } fragment A on T { a } fragment B on T { second }");
  const FragmentMap fragments(document);
  const auto* b = fragments.find("B");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->selections.size(), 1u);
  EXPECT_EQ(b->selections[0].name, "second");
  ASSERT_NE(fragments.find("A"), nullptr);
  EXPECT_EQ(fragments.find("A")->selections[0].name, "a");
  EXPECT_EQ(fragments.find("C"), nullptr);
  EXPECT_EQ(fragments.find(""), nullptr);
}

// More fragments than the linear search covers, defined out of order, with a duplicate.
TEST(FragmentMap, FindsEveryNameOfALongList) {
  std::string source = "{ a }";
  for (int index = 19; index >= 0; --index) {
    source += " fragment F" + std::to_string(index) + " on T { f" + std::to_string(index) + " }";
  }
  source += " fragment F7 on T { last }";
  const auto document = parse(source);
  const FragmentMap fragments(document);
  for (int index = 0; index < 20; ++index) {
    const auto* fragment = fragments.find("F" + std::to_string(index));
    ASSERT_NE(fragment, nullptr) << index;
    EXPECT_EQ(fragment->selections[0].name, index == 7 ? "last" : "f" + std::to_string(index));
  }
  EXPECT_EQ(fragments.find("F20"), nullptr);
  EXPECT_EQ(fragments.find("F"), nullptr);
  EXPECT_FALSE(fragments.empty());
  EXPECT_TRUE(FragmentMap(parse("{ a }")).empty());
}

}  // namespace
}  // namespace surplus::graphql::detail
