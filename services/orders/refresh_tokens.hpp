#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>

namespace surplus::orders {

// A new opaque refresh token: 32 random bytes in base64url (43 characters).
std::string new_refresh_token();

// The stored form of a token: hex SHA-256. The token has 256 random bits, so a fast hash
// is enough, because a preimage search over that space is infeasible.
std::string refresh_token_hash(std::string_view token);

// Stores a token of `family_id` (a new login starts a family with its own id).
void insert_refresh_token(db::Session& session, const std::string& family_id,
                          const std::string& user_id, std::string_view token, core::Timestamp now,
                          core::Timestamp expires_at);

enum class RotationOutcome {
  kRotated,  // the token was valid; it is now used and user_id/family_id are set
  kUnknown,  // no such token
  kExpired,
  kRevoked,  // its family was revoked (logout or an earlier reuse)
  kReused,   // it had been rotated already; its whole family is now revoked
};

struct Rotation {
  RotationOutcome outcome = RotationOutcome::kUnknown;
  std::string user_id;
  std::string family_id;
};

// Marks `token` used if it is current. The caller issues the next token of the family in
// the same transaction. A token that was already used revokes its whole family, because
// two parties hold copies of it. The caller must commit that revocation before it reports
// the error.
Rotation rotate_refresh_token(db::Session& session, std::string_view token, core::Timestamp now);

// Revokes the family of `token`; does nothing for an unknown token.
void revoke_refresh_family(db::Session& session, std::string_view token, core::Timestamp now);

}  // namespace surplus::orders
