#include "refresh_tokens.hpp"

#include <array>

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <surplus/auth/jwt.hpp>
#include <surplus/core/id.hpp>

namespace surplus::orders {
namespace {

void revoke_family(db::Session& session, const std::string& family_id, core::Timestamp now) {
  session.execute(
      "UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL",
      {core::to_unix_micros(now), family_id});
}

}  // namespace

std::string new_refresh_token() {
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return auth::base64url_encode(std::string_view(reinterpret_cast<char*>(bytes.data()), 32));
}

std::string refresh_token_hash(std::string_view token) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

void insert_refresh_token(db::Session& session, const std::string& family_id,
                          const std::string& user_id, std::string_view token, core::Timestamp now,
                          core::Timestamp expires_at) {
  session.execute(
      "INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, created_at, expires_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {core::new_uuid_v7(), family_id, user_id, refresh_token_hash(token),
       core::to_unix_micros(now), core::to_unix_micros(expires_at)});
}

Rotation rotate_refresh_token(db::Session& session, std::string_view token, core::Timestamp now) {
  auto row = session
                 .execute(
                     "SELECT id, family_id, user_id, expires_at, used_at, revoked_at "
                     "FROM refresh_tokens WHERE token_hash = $1",
                     {refresh_token_hash(token)})
                 .maybe_one();
  Rotation rotation;
  if (!row) {
    return rotation;
  }
  rotation.user_id = row->get<std::string>("user_id");
  rotation.family_id = row->get<std::string>("family_id");
  auto id = row->get<std::string>("id");

  if (!row->is_null("revoked_at")) {
    rotation.outcome = RotationOutcome::kRevoked;
    return rotation;
  }
  if (!row->is_null("used_at")) {
    revoke_family(session, rotation.family_id, now);
    rotation.outcome = RotationOutcome::kReused;
    return rotation;
  }
  if (row->get<std::int64_t>("expires_at") <= core::to_unix_micros(now)) {
    rotation.outcome = RotationOutcome::kExpired;
    return rotation;
  }
  // The condition makes two concurrent refreshes with the same token a reuse: only one
  // of them marks it used.
  auto updated =
      session.execute("UPDATE refresh_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
                      {core::to_unix_micros(now), id});
  if (updated.affected_rows() != 1) {
    revoke_family(session, rotation.family_id, now);
    rotation.outcome = RotationOutcome::kReused;
    return rotation;
  }
  rotation.outcome = RotationOutcome::kRotated;
  return rotation;
}

void revoke_refresh_family(db::Session& session, std::string_view token, core::Timestamp now) {
  auto row = session
                 .execute("SELECT family_id FROM refresh_tokens WHERE token_hash = $1",
                          {refresh_token_hash(token)})
                 .maybe_one();
  if (row) {
    revoke_family(session, row->get<std::string>("family_id"), now);
  }
}

}  // namespace surplus::orders
