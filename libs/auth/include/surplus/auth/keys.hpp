#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <surplus/auth/jwt.hpp>
#include <surplus/core/config.hpp>

namespace surplus::auth {

// Where the signing key lives by default, relative to the working directory. The public
// key file is how services started from the same folder (`make run`) find the key.
inline const std::filesystem::path kDefaultPrivateKeyFile = "var/auth/ed25519.key";
inline const std::filesystem::path kDefaultPublicKeyFile = "var/auth/ed25519.pub";

// Loads the key pair of the service that issues tokens (orders):
//   AUTH_PRIVATE_KEY       base64 of the 32-byte Ed25519 seed; when set, it is used and
//                          no private key file is read or written
//   AUTH_PRIVATE_KEY_FILE  file holding that base64 seed [var/auth/ed25519.key]; when it
//                          does not exist, a new key pair is generated into it (mode 0600)
//   AUTH_PUBLIC_KEY_FILE   where the public key is written on every start, for other
//                          services on the same machine [var/auth/ed25519.pub]
// Throws core::ConfigError naming the variable whose value or file is unusable.
KeyPair load_signing_key(const core::EnvReader& env);

// Reads a private key file (base64 seed, surrounding whitespace ignored). Throws
// core::ConfigError naming `variable` when it cannot be read, is not a key, or is readable
// by group or others.
KeyPair read_private_key_file(const std::filesystem::path& path, const std::string& variable);

// Generates a key pair and writes its seed to `path` with mode 0600, creating the folder
// (mode 0700) when missing. The file is created exclusively, so when two processes race
// the loser reads the winner's key. Throws core::ConfigError naming `variable` on failure.
KeyPair create_private_key_file(const std::filesystem::path& path, const std::string& variable);

// Writes the base64 public key and a newline to `path` (mode 0644) through a temporary
// file and a rename, so a reader never sees half a key.
void write_public_key_file(const std::filesystem::path& path, const PublicKey& key);

// Reads a public key file. Throws core::ConfigError naming `variable`.
PublicKey read_public_key_file(const std::filesystem::path& path, const std::string& variable);

// The JSON that GET /auth/public-key of the orders service returns:
//   {"algorithm": "EdDSA", "keyId": "...", "publicKey": "<base64 of 32 bytes>"}
nlohmann::json public_key_document(const PublicKey& key);
// Returns nullopt when `document` is not of that form or names another algorithm.
std::optional<PublicKey> parse_public_key_document(const nlohmann::json& document);

// Finds the public key for a service that only verifies tokens, trying in order:
//   AUTH_PUBLIC_KEY        base64 of the 32-byte key
//   AUTH_PUBLIC_KEY_FILE   a file written by the orders service; when this variable is set
//                          the file must exist
//   otherwise it polls, for up to AUTH_PUBLIC_KEY_WAIT [30s], the default file
//   var/auth/ed25519.pub and GET ${ORDERS_URL}/auth/public-key
//                          [ORDERS_URL=http://127.0.0.1:4001], so the services of
//                          `make run` may start in any order.
// Throws core::ConfigError naming the variable that is malformed, or AUTH_PUBLIC_KEY when
// no key was found in time.
PublicKey load_public_key(const core::EnvReader& env);

// A TokenVerifier for load_public_key(env), issuer and audience "surplus", and the clock
// leeway AUTH_CLOCK_LEEWAY [30s, at most 5m].
TokenVerifier load_token_verifier(const core::EnvReader& env);

}  // namespace surplus::auth
