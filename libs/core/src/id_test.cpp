#include <set>

#include <gtest/gtest.h>

#include <surplus/core/id.hpp>

namespace surplus::core {
namespace {

TEST(UuidV7Test, HasCanonicalFormVersionAndVariant) {
  auto id = new_uuid_v7();
  ASSERT_EQ(id.size(), 36u);
  EXPECT_TRUE(is_uuid(id));
  EXPECT_EQ(id[14], '7');                                          // version nibble
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);  // RFC 9562 variant
}

TEST(UuidV7Test, IdsIncreaseWithinProcess) {
  std::string previous = new_uuid_v7();
  std::set<std::string> seen{previous};
  for (int i = 0; i < 10000; ++i) {
    auto id = new_uuid_v7();
    EXPECT_LT(previous, id);
    EXPECT_TRUE(seen.insert(id).second);
    previous = id;
  }
}

TEST(IsUuidTest, RejectsMalformed) {
  EXPECT_TRUE(is_uuid("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"));
  EXPECT_TRUE(is_uuid("0193A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B"));
  EXPECT_FALSE(is_uuid(""));
  EXPECT_FALSE(is_uuid("0193a1b2c3d47e5f8a9b0c1d2e3f4a5b"));
  EXPECT_FALSE(is_uuid("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5g"));
  EXPECT_FALSE(is_uuid("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b0"));
}

}  // namespace
}  // namespace surplus::core
