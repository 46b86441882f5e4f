#include "same_name.hpp"

#include <string>

#include <gtest/gtest.h>

namespace surplus::graphql::detail {
namespace {

// Lengths around the eight-byte steps, with the difference at every position.
TEST(SameName, ComparesEveryByteOfEveryLength) {
  for (std::size_t length = 0; length <= 26; ++length) {
    const std::string name(length, 'a');
    EXPECT_TRUE(same_name(name, std::string(length, 'a'))) << length;
    EXPECT_FALSE(same_name(name, std::string(length + 1, 'a'))) << length;
    for (std::size_t at = 0; at < length; ++at) {
      std::string other = name;
      other[at] = 'b';
      EXPECT_FALSE(same_name(name, other)) << length << " at " << at;
    }
  }
  EXPECT_TRUE(same_name("", ""));
  EXPECT_FALSE(same_name("quantity", "category"));
}

}  // namespace
}  // namespace surplus::graphql::detail
