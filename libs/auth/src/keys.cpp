#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <surplus/auth/keys.hpp>
#include <surplus/http/client.hpp>

namespace surplus::auth {
namespace {

namespace fs = std::filesystem;

std::string errno_text() {
  return std::strerror(errno);
}

// Reads a small file whole; returns nullopt when it does not exist.
std::optional<std::string> read_small_file(const fs::path& path, const std::string& variable) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (!fs::exists(path)) {
      return std::nullopt;
    }
    throw core::ConfigError(
        variable, fmt::format("{}: cannot read {}: {}", variable, path.string(), errno_text()));
  }
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

void create_parent_folder(const fs::path& path, const std::string& variable) {
  fs::path folder = path.parent_path();
  if (folder.empty()) {
    return;
  }
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) {
    throw core::ConfigError(variable, fmt::format("{}: cannot create folder {}: {}", variable,
                                                  folder.string(), error.message()));
  }
}

// Writes `content` to a new file that must not exist yet; false when it already does.
bool write_exclusive(const fs::path& path, const std::string& content, mode_t mode,
                     const std::string& variable) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) {
      return false;
    }
    throw core::ConfigError(
        variable, fmt::format("{}: cannot create {}: {}", variable, path.string(), errno_text()));
  }
  // The umask may have cleared bits of `mode`, but never added any; set it exactly.
  bool ok = ::fchmod(fd, mode) == 0 &&
            ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
  std::string failure = ok ? std::string() : errno_text();
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    throw core::ConfigError(
        variable, fmt::format("{}: cannot write {}: {}", variable, path.string(), failure));
  }
  return true;
}

std::optional<PublicKey> fetch_public_key(http::Client& client, const std::string& url) {
  try {
    auto response = client.get(url);
    if (!response.ok()) {
      return std::nullopt;
    }
    return parse_public_key_document(response.body_json());
  } catch (const core::Error&) {
    return std::nullopt;  // not up yet; the caller polls again
  }
}

}  // namespace

KeyPair read_private_key_file(const fs::path& path, const std::string& variable) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    throw core::ConfigError(
        variable, fmt::format("{}: cannot read {}: {}", variable, path.string(), errno_text()));
  }
  if ((status.st_mode & 077) != 0) {
    throw core::ConfigError(
        variable, fmt::format("{}: {} is readable by other users; run chmod 600 on it", variable,
                              path.string()));
  }
  auto content = read_small_file(path, variable);
  if (!content) {
    throw core::ConfigError(variable,
                            fmt::format("{}: {} does not exist", variable, path.string()));
  }
  auto key = KeyPair::from_base64(*content);
  sodium_memzero(content->data(), content->size());
  if (!key) {
    throw core::ConfigError(
        variable, fmt::format("{}: {} does not hold a base64 Ed25519 seed of 32 bytes", variable,
                              path.string()));
  }
  return *key;
}

KeyPair create_private_key_file(const fs::path& path, const std::string& variable) {
  create_parent_folder(path, variable);
  ::chmod(path.parent_path().empty() ? "." : path.parent_path().c_str(), 0700);
  KeyPair key = KeyPair::generate();
  std::string content = key.seed_base64() + "\n";
  bool created = write_exclusive(path, content, 0600, variable);
  sodium_memzero(content.data(), content.size());
  if (!created) {
    return read_private_key_file(path, variable);
  }
  spdlog::info("generated a new Ed25519 signing key in {} (key id {})", path.string(),
               key.public_key().key_id());
  return key;
}

void write_public_key_file(const fs::path& path, const PublicKey& key) {
  const std::string variable = "AUTH_PUBLIC_KEY_FILE";
  create_parent_folder(path, variable);
  fs::path temporary = path;
  temporary += fmt::format(".tmp{}", ::getpid());
  ::unlink(temporary.c_str());
  write_exclusive(temporary, key.to_base64() + "\n", 0644, variable);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    std::string failure = errno_text();
    ::unlink(temporary.c_str());
    throw core::ConfigError(
        variable, fmt::format("{}: cannot replace {}: {}", variable, path.string(), failure));
  }
}

PublicKey read_public_key_file(const fs::path& path, const std::string& variable) {
  auto content = read_small_file(path, variable);
  if (!content) {
    throw core::ConfigError(variable,
                            fmt::format("{}: {} does not exist", variable, path.string()));
  }
  auto key = PublicKey::from_base64(*content);
  if (!key) {
    throw core::ConfigError(
        variable, fmt::format("{}: {} does not hold a base64 Ed25519 public key of 32 bytes",
                              variable, path.string()));
  }
  return *key;
}

KeyPair load_signing_key(const core::EnvReader& env) {
  std::optional<KeyPair> key;
  if (auto text = env.raw("AUTH_PRIVATE_KEY")) {
    key = KeyPair::from_base64(*text);
    sodium_memzero(text->data(), text->size());
    if (!key) {
      throw core::ConfigError(
          "AUTH_PRIVATE_KEY",
          "AUTH_PRIVATE_KEY must be the base64 of a 32-byte Ed25519 seed (or 64-byte secret key)");
    }
    spdlog::info("signing key from AUTH_PRIVATE_KEY (key id {})", key->public_key().key_id());
  } else {
    fs::path path = env.string("AUTH_PRIVATE_KEY_FILE", kDefaultPrivateKeyFile.string());
    if (fs::exists(path)) {
      key = read_private_key_file(path, "AUTH_PRIVATE_KEY_FILE");
      spdlog::info("signing key from {} (key id {})", path.string(), key->public_key().key_id());
    } else {
      key = create_private_key_file(path, "AUTH_PRIVATE_KEY_FILE");
    }
  }

  fs::path public_path = env.string("AUTH_PUBLIC_KEY_FILE", kDefaultPublicKeyFile.string());
  write_public_key_file(public_path, key->public_key());
  return *key;
}

nlohmann::json public_key_document(const PublicKey& key) {
  return {{"algorithm", "EdDSA"}, {"keyId", key.key_id()}, {"publicKey", key.to_base64()}};
}

std::optional<PublicKey> parse_public_key_document(const nlohmann::json& document) {
  if (!document.is_object()) {
    return std::nullopt;
  }
  auto algorithm = document.find("algorithm");
  auto key = document.find("publicKey");
  if (algorithm == document.end() || *algorithm != "EdDSA" || key == document.end() ||
      !key->is_string()) {
    return std::nullopt;
  }
  return PublicKey::from_base64(key->get<std::string>());
}

PublicKey load_public_key(const core::EnvReader& env) {
  if (auto text = env.raw("AUTH_PUBLIC_KEY")) {
    auto key = PublicKey::from_base64(*text);
    if (!key) {
      throw core::ConfigError("AUTH_PUBLIC_KEY",
                              "AUTH_PUBLIC_KEY must be the base64 of a 32-byte Ed25519 public key");
    }
    return *key;
  }
  if (auto path = env.raw("AUTH_PUBLIC_KEY_FILE")) {
    return read_public_key_file(*path, "AUTH_PUBLIC_KEY_FILE");
  }

  auto wait = env.duration("AUTH_PUBLIC_KEY_WAIT", std::chrono::seconds(30));
  std::string url = env.string("ORDERS_URL", "http://127.0.0.1:4001") + "/auth/public-key";
  http::Client client({.connect_timeout = std::chrono::milliseconds(1000),
                       .request_timeout = std::chrono::milliseconds(2000),
                       .max_attempts = 1});
  auto deadline = std::chrono::steady_clock::now() + wait;
  bool logged = false;
  while (true) {
    if (fs::exists(kDefaultPublicKeyFile)) {
      return read_public_key_file(kDefaultPublicKeyFile, "AUTH_PUBLIC_KEY_FILE");
    }
    if (auto key = fetch_public_key(client, url)) {
      spdlog::info("public key {} fetched from {}", key->key_id(), url);
      return *key;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      break;
    }
    if (!logged) {
      spdlog::info("waiting up to {} ms for {} or {}", wait.count(), kDefaultPublicKeyFile.string(),
                   url);
      logged = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  throw core::ConfigError(
      "AUTH_PUBLIC_KEY",
      fmt::format("AUTH_PUBLIC_KEY: no token verification key; set AUTH_PUBLIC_KEY or "
                  "AUTH_PUBLIC_KEY_FILE, or start the orders service (tried {} and {} for {} ms)",
                  kDefaultPublicKeyFile.string(), url, wait.count()));
}

TokenVerifier load_token_verifier(const core::EnvReader& env) {
  auto leeway = env.duration("AUTH_CLOCK_LEEWAY", std::chrono::seconds(30));
  if (leeway > std::chrono::minutes(5)) {
    throw core::ConfigError("AUTH_CLOCK_LEEWAY", "AUTH_CLOCK_LEEWAY must be at most 5m");
  }
  return TokenVerifier(load_public_key(env), std::string(kDefaultIssuer),
                       std::string(kDefaultAudience),
                       std::chrono::duration_cast<std::chrono::seconds>(leeway));
}

}  // namespace surplus::auth
