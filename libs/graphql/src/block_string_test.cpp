#include "block_string.hpp"

#include <gtest/gtest.h>

namespace surplus::graphql::detail {
namespace {

TEST(BlockString, RemovesCommonIndentation) {
  EXPECT_EQ(block_string_value("\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  "),
            "Hello,\n  World!\n\nYours,\n  GraphQL.");
}

TEST(BlockString, FirstLineKeepsItsIndentation) {
  EXPECT_EQ(block_string_value("  first\n    second\n    third"), "  first\nsecond\nthird");
}

TEST(BlockString, BlankLinesDoNotSetIndentation) {
  EXPECT_EQ(block_string_value("\n  a\n \n  b\n"), "a\n\nb");
}

TEST(BlockString, NormalisesLineTerminators) {
  EXPECT_EQ(block_string_value("a\r\nb\rc"), "a\nb\nc");
}

TEST(BlockString, EmptyStaysEmpty) {
  EXPECT_EQ(block_string_value("  \n  \n"), "");
}

}  // namespace
}  // namespace surplus::graphql::detail
