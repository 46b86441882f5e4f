#pragma once

#include <chrono>
#include <string>

#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>

namespace surplus::offers {

// Wrong proof-of-delivery codes allowed per delivery before code attempts pause, and the
// length of the pause after the latest wrong code. At 5 tries per 15 minutes (480 a day),
// guessing a six-digit code takes about 500,000 tries, close to three years on average.
inline constexpr int kMaxProofFailures = 5;
inline constexpr std::chrono::minutes kProofLockout{15};

// Throws RATE_LIMITED, with Retry-After, while the delivery has had kMaxProofFailures
// wrong codes and the latest one is less than kProofLockout old.
void require_proof_attempt_allowed(db::Session& session, const std::string& delivery_id,
                                   core::Timestamp now);

// Counts one wrong code in its own transaction, so the count survives the rollback of the
// request that carried the code. A failure after the lockout has passed starts a new count.
void record_proof_failure(db::Database& database, const std::string& delivery_id,
                          core::Timestamp now);

}  // namespace surplus::offers
