#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <surplus/auth/keys.hpp>
#include <surplus/core/config.hpp>
#include <surplus/http/response.hpp>
#include <surplus/http/server.hpp>

namespace surplus::auth {
namespace {

namespace fs = std::filesystem;

core::EnvReader env_of(std::map<std::string, std::string> values) {
  return core::EnvReader([values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional(it->second);
  });
}

mode_t file_mode(const fs::path& path) {
  struct stat status {};
  EXPECT_EQ(::stat(path.c_str(), &status), 0) << path;
  return status.st_mode & 0777;
}

void write_file(const fs::path& path, const std::string& content, fs::perms perms) {
  std::ofstream(path) << content;
  fs::permissions(path, perms);
}

// A fresh folder per test, removed afterwards.
class KeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "surplus-keys-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string expect_config_error(const std::function<void()>& action,
                                  const std::string& variable) {
    try {
      action();
      ADD_FAILURE() << "no ConfigError for " << variable;
    } catch (const core::ConfigError& error) {
      EXPECT_EQ(error.variable(), variable) << error.what();
      return error.what();
    }
    return {};
  }

  fs::path dir_;
};

TEST_F(KeysTest, GeneratesKeyFilesOnFirstStartAndReloadsThem) {
  fs::path private_file = dir_ / "auth" / "ed25519.key";
  fs::path public_file = dir_ / "auth" / "ed25519.pub";
  auto env = env_of({{"AUTH_PRIVATE_KEY_FILE", private_file.string()},
                     {"AUTH_PUBLIC_KEY_FILE", public_file.string()}});

  KeyPair first = load_signing_key(env);
  EXPECT_EQ(file_mode(private_file), 0600U);
  EXPECT_EQ(file_mode(private_file.parent_path()), 0700U);
  EXPECT_EQ(file_mode(public_file), 0644U);
  EXPECT_EQ(read_public_key_file(public_file, "X"), first.public_key());

  KeyPair second = load_signing_key(env);
  EXPECT_EQ(second.public_key(), first.public_key());
  EXPECT_EQ(second.seed_base64(), first.seed_base64());
}

TEST_F(KeysTest, CreateKeepsAnExistingFile) {
  fs::path path = dir_ / "key";
  KeyPair created = create_private_key_file(path, "AUTH_PRIVATE_KEY_FILE");
  KeyPair again = create_private_key_file(path, "AUTH_PRIVATE_KEY_FILE");
  EXPECT_EQ(again.public_key(), created.public_key());
}

TEST_F(KeysTest, PrivateKeyFromEnvironmentWins) {
  KeyPair key = KeyPair::generate();
  fs::path public_file = dir_ / "pub";
  auto env = env_of({{"AUTH_PRIVATE_KEY", key.seed_base64()},
                     {"AUTH_PRIVATE_KEY_FILE", (dir_ / "unused.key").string()},
                     {"AUTH_PUBLIC_KEY_FILE", public_file.string()}});
  EXPECT_EQ(load_signing_key(env).public_key(), key.public_key());
  EXPECT_FALSE(fs::exists(dir_ / "unused.key"));
  EXPECT_EQ(read_public_key_file(public_file, "X"), key.public_key());
}

TEST_F(KeysTest, BadPrivateKeyNamesTheVariable) {
  expect_config_error(
      [] {
        load_signing_key(env_of({{"AUTH_PRIVATE_KEY", "bm90IGEga2V5"}}));
      },
      "AUTH_PRIVATE_KEY");

  fs::path garbage = dir_ / "garbage.key";
  write_file(garbage, "not a key\n", fs::perms::owner_read | fs::perms::owner_write);
  auto message = expect_config_error(
      [&] {
        load_signing_key(env_of({{"AUTH_PRIVATE_KEY_FILE", garbage.string()}}));
      },
      "AUTH_PRIVATE_KEY_FILE");
  EXPECT_NE(message.find(garbage.string()), std::string::npos);
}

TEST_F(KeysTest, PrivateKeyReadableByOthersIsRejected) {
  fs::path path = dir_ / "open.key";
  write_file(path, KeyPair::generate().seed_base64(),
             fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  auto message = expect_config_error([&] { read_private_key_file(path, "AUTH_PRIVATE_KEY_FILE"); },
                                     "AUTH_PRIVATE_KEY_FILE");
  EXPECT_NE(message.find("chmod 600"), std::string::npos);
}

TEST_F(KeysTest, PublicKeyFromEnvironmentOrFile) {
  KeyPair key = KeyPair::generate();
  EXPECT_EQ(load_public_key(env_of({{"AUTH_PUBLIC_KEY", key.public_key().to_base64()}})),
            key.public_key());

  fs::path file = dir_ / "key.pub";
  write_public_key_file(file, key.public_key());
  EXPECT_EQ(load_public_key(env_of({{"AUTH_PUBLIC_KEY_FILE", file.string()}})), key.public_key());
}

TEST_F(KeysTest, BadPublicKeyNamesTheVariable) {
  expect_config_error(
      [] {
        load_public_key(env_of({{"AUTH_PUBLIC_KEY", "abc"}}));
      },
      "AUTH_PUBLIC_KEY");
  expect_config_error(
      [&] {
        load_public_key(env_of({{"AUTH_PUBLIC_KEY_FILE", (dir_ / "missing").string()}}));
      },
      "AUTH_PUBLIC_KEY_FILE");
  fs::path bad = dir_ / "bad.pub";
  write_file(bad, "xyz", fs::perms::owner_all);
  expect_config_error(
      [&] {
        load_public_key(env_of({{"AUTH_PUBLIC_KEY_FILE", bad.string()}}));
      },
      "AUTH_PUBLIC_KEY_FILE");
  expect_config_error(
      [] {
        load_token_verifier(
            env_of({{"AUTH_PUBLIC_KEY", KeyPair::generate().public_key().to_base64()},
                    {"AUTH_CLOCK_LEEWAY", "1h"}}));
      },
      "AUTH_CLOCK_LEEWAY");
}

// The default search runs in the working directory, so these tests move into the
// temporary folder and back.
class PublicKeyDiscoveryTest : public KeysTest {
 protected:
  void SetUp() override {
    KeysTest::SetUp();
    previous_ = fs::current_path();
    fs::current_path(dir_);
  }
  void TearDown() override {
    fs::current_path(previous_);
    KeysTest::TearDown();
  }

  fs::path previous_;
};

TEST_F(PublicKeyDiscoveryTest, FetchesKeyFromOrdersService) {
  KeyPair key = KeyPair::generate();
  http::Router router;
  router.get("/auth/public-key", [&key](http::Request&) {
    return http::Response::json(public_key_document(key.public_key()));
  });
  http::Server server({.port = 0, .worker_threads = 1}, std::move(router));
  server.start();
  auto env = env_of({{"ORDERS_URL", "http://127.0.0.1:" + std::to_string(server.port())},
                     {"AUTH_PUBLIC_KEY_WAIT", "5s"}});
  EXPECT_EQ(load_public_key(env), key.public_key());
  server.stop();
}

TEST_F(PublicKeyDiscoveryTest, ReadsDefaultFileWrittenByOrders) {
  KeyPair key = KeyPair::generate();
  write_public_key_file(kDefaultPublicKeyFile, key.public_key());
  auto env = env_of({{"ORDERS_URL", "http://127.0.0.1:9"}, {"AUTH_PUBLIC_KEY_WAIT", "0s"}});
  EXPECT_EQ(load_public_key(env), key.public_key());
}

TEST_F(PublicKeyDiscoveryTest, NoKeyAnywhereNamesTheVariable) {
  // Port 9 (discard) on loopback has no listener here, so the connection is refused.
  auto env = env_of({{"ORDERS_URL", "http://127.0.0.1:9"}, {"AUTH_PUBLIC_KEY_WAIT", "0s"}});
  auto message = expect_config_error([&] { load_public_key(env); }, "AUTH_PUBLIC_KEY");
  EXPECT_NE(message.find("AUTH_PUBLIC_KEY_FILE"), std::string::npos) << message;
}

TEST(PublicKeyDocument, RoundTripsAndRejectsOtherForms) {
  KeyPair key = KeyPair::generate();
  auto document = public_key_document(key.public_key());
  EXPECT_EQ(document["keyId"], key.public_key().key_id());
  EXPECT_EQ(parse_public_key_document(document), key.public_key());

  auto other_algorithm = document;
  other_algorithm["algorithm"] = "RS256";
  EXPECT_FALSE(parse_public_key_document(other_algorithm));
  EXPECT_FALSE(parse_public_key_document(nlohmann::json::array()));
  EXPECT_FALSE(parse_public_key_document({{"algorithm", "EdDSA"}, {"publicKey", 5}}));
}

}  // namespace
}  // namespace surplus::auth
