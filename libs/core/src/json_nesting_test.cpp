#include <string>

#include <gtest/gtest.h>

#include <surplus/core/json_nesting.hpp>

namespace surplus::core {
namespace {

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(JsonNestingTest, CountsArraysAndObjectsTogether) {
  EXPECT_TRUE(json_nesting_within(R"({"a":[{"b":[1]}]})", 4));
  EXPECT_FALSE(json_nesting_within(R"({"a":[{"b":[1]}]})", 3));
}

TEST(JsonNestingTest, AcceptsTheLimitAndRefusesOneMore) {
  EXPECT_TRUE(json_nesting_within(nested_arrays(kMaxJsonNesting)));
  EXPECT_FALSE(json_nesting_within(nested_arrays(kMaxJsonNesting + 1)));
}

TEST(JsonNestingTest, SiblingsDoNotAddUp) {
  std::string siblings = "[";
  for (int i = 0; i < 1000; ++i) {
    siblings += i == 0 ? "[[1]]" : ",[[1]]";
  }
  siblings += "]";
  EXPECT_TRUE(json_nesting_within(siblings, 3));
}

TEST(JsonNestingTest, IgnoresBracketsInsideStrings) {
  std::string text = R"({"q":"[[[[{{{{ \" [[[[ \\"})";
  EXPECT_TRUE(json_nesting_within(text, 1));
  // After the escaped backslash the string ends, so the bracket that follows counts.
  EXPECT_FALSE(json_nesting_within(R"({"q":"\\",[[1]]})", 2));
}

TEST(JsonNestingTest, RefusesAMegabyteOfOpeningBrackets) {
  EXPECT_FALSE(json_nesting_within(std::string(1 << 20, '[')));
}

TEST(JsonNestingTest, StrayClosersDoNotHideDepth) {
  EXPECT_FALSE(json_nesting_within("]]]]" + nested_arrays(3), 2));
}

}  // namespace
}  // namespace surplus::core
