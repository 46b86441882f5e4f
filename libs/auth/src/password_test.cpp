#include <string>

#include <gtest/gtest.h>

#include <surplus/auth/password.hpp>
#include <surplus/core/config.hpp>

namespace surplus::auth {
namespace {

// Cheap parameters keep the suite fast; the algorithm and encoding are the same.
PasswordHashParams cheap_params() {
  return {.ops_limit = 1, .mem_limit = 64 * 1024, .max_concurrent = 2};
}

core::EnvReader env_of(std::map<std::string, std::string> values) {
  return core::EnvReader([values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional(it->second);
  });
}

TEST(PasswordHasher, VerifiesTheRightPasswordOnly) {
  PasswordHasher hasher(cheap_params());
  std::string encoded = hasher.hash("correct horse battery staple");
  EXPECT_TRUE(encoded.starts_with("$argon2id$v=19$m=64,t=1,p=1$")) << encoded;
  EXPECT_TRUE(hasher.verify(encoded, "correct horse battery staple"));
  EXPECT_FALSE(hasher.verify(encoded, "correct horse battery stapl"));
  EXPECT_FALSE(hasher.verify(encoded, ""));
}

TEST(PasswordHasher, SaltsEveryHash) {
  PasswordHasher hasher(cheap_params());
  EXPECT_NE(hasher.hash("same password"), hasher.hash("same password"));
}

TEST(PasswordHasher, HandlesEmbeddedNulAndUnicode) {
  PasswordHasher hasher(cheap_params());
  std::string with_nul("abc\0def", 7);
  std::string encoded = hasher.hash(with_nul);
  EXPECT_TRUE(hasher.verify(encoded, with_nul));
  EXPECT_FALSE(hasher.verify(encoded, "abc"));
  std::string unicode = hasher.hash("pässwörd-日本");
  EXPECT_TRUE(hasher.verify(unicode, "pässwörd-日本"));
}

TEST(PasswordHasher, MalformedHashIsAMismatch) {
  PasswordHasher hasher(cheap_params());
  EXPECT_FALSE(hasher.verify("", "x"));
  EXPECT_FALSE(hasher.verify("$argon2id$garbage", "x"));
  EXPECT_FALSE(hasher.verify(std::string(200, 'a'), "x"));
  EXPECT_FALSE(hasher.verify_dummy("anything"));
}

TEST(PasswordHasher, NeedsRehashWhenParametersChange) {
  PasswordHasher weak(cheap_params());
  PasswordHasher strong({.ops_limit = 2, .mem_limit = 128 * 1024, .max_concurrent = 1});
  std::string encoded = weak.hash("secret password");
  EXPECT_FALSE(weak.needs_rehash(encoded));
  EXPECT_TRUE(strong.needs_rehash(encoded));
  EXPECT_TRUE(strong.verify(encoded, "secret password"));
  EXPECT_TRUE(weak.needs_rehash("not a hash"));
}

TEST(PasswordHashParams, DefaultsAndEnvironment) {
  auto defaults = PasswordHashParams::from_env(env_of({}));
  EXPECT_EQ(defaults.ops_limit, 2U);
  EXPECT_EQ(defaults.mem_limit, 19U * 1024 * 1024);
  EXPECT_EQ(defaults.max_concurrent, 2);

  auto custom = PasswordHashParams::from_env(env_of(
      {{"ARGON2_OPS_LIMIT", "3"}, {"ARGON2_MEM_LIMIT", "64MiB"}, {"ARGON2_MAX_CONCURRENT", "4"}}));
  EXPECT_EQ(custom.ops_limit, 3U);
  EXPECT_EQ(custom.mem_limit, 64U * 1024 * 1024);
  EXPECT_EQ(custom.max_concurrent, 4);
}

TEST(PasswordHashParams, BadValuesNameTheVariable) {
  const std::pair<const char*, const char*> cases[] = {
      {"ARGON2_OPS_LIMIT", "0"},    {"ARGON2_OPS_LIMIT", "many"}, {"ARGON2_MEM_LIMIT", "1KiB"},
      {"ARGON2_MEM_LIMIT", "2GiB"}, {"ARGON2_MEM_LIMIT", "lots"}, {"ARGON2_MAX_CONCURRENT", "0"},
  };
  for (const auto& [name, value] : cases) {
    try {
      PasswordHashParams::from_env(env_of({{name, value}}));
      ADD_FAILURE() << name << "=" << value << " was accepted";
    } catch (const core::ConfigError& error) {
      EXPECT_EQ(error.variable(), name);
    }
  }
}

}  // namespace
}  // namespace surplus::auth
