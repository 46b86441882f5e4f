#include "name_set.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace surplus::graphql::detail {
namespace {

TEST(NameSet, InsertReportsNewNamesOnly) {
  NameSet set;
  EXPECT_TRUE(set.insert("a"));
  EXPECT_TRUE(set.insert("b"));
  EXPECT_FALSE(set.insert("a"));
  EXPECT_EQ(set.size(), 2u);
  EXPECT_TRUE(set.contains("a"));
  EXPECT_TRUE(set.contains("b"));
  EXPECT_FALSE(set.contains("c"));
  EXPECT_FALSE(set.contains(""));
}

// Enough names to fill the inline storage, the vector after it and the hash index, checked
// at every size so that each change of storage keeps the earlier names.
TEST(NameSet, KeepsNamesAcrossEveryStorage) {
  std::vector<std::string> names;
  for (int index = 0; index < 40; ++index) {
    names.push_back("name" + std::to_string(index));
  }
  NameSet set;
  for (std::size_t count = 0; count < names.size(); ++count) {
    ASSERT_TRUE(set.insert(names[count])) << names[count];
    ASSERT_FALSE(set.insert(names[count])) << names[count];
    ASSERT_EQ(set.size(), count + 1);
    for (std::size_t known = 0; known <= count; ++known) {
      ASSERT_TRUE(set.contains(names[known])) << names[known] << " after " << count + 1;
    }
    for (std::size_t unknown = count + 1; unknown < names.size(); ++unknown) {
      ASSERT_FALSE(set.contains(names[unknown])) << names[unknown] << " after " << count + 1;
    }
  }
}

TEST(NameSet, ReserveKeepsTheSetEmpty) {
  NameSet set;
  set.reserve(100);
  EXPECT_EQ(set.size(), 0u);
  EXPECT_FALSE(set.contains("a"));
  EXPECT_TRUE(set.insert("a"));
  EXPECT_TRUE(set.contains("a"));
}

}  // namespace
}  // namespace surplus::graphql::detail
