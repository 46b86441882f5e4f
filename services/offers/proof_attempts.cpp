#include "proof_attempts.hpp"

#include <surplus/core/error.hpp>

namespace surplus::offers {
namespace {

std::int64_t lockout_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(kProofLockout).count();
}

}  // namespace

void require_proof_attempt_allowed(db::Session& session, const std::string& delivery_id,
                                   core::Timestamp now) {
  auto row = session
                 .execute("SELECT proof_failures, proof_failed_at FROM deliveries WHERE id = $1",
                          {delivery_id})
                 .maybe_one();
  if (!row || row->get<std::int64_t>("proof_failures") < kMaxProofFailures) {
    return;
  }
  auto failed_at = row->get<std::optional<std::int64_t>>("proof_failed_at");
  std::int64_t unlocks_at = failed_at.value_or(0) + lockout_micros();
  std::int64_t remaining = unlocks_at - core::to_unix_micros(now);
  if (remaining <= 0) {
    return;
  }
  auto seconds = std::chrono::seconds(remaining / 1'000'000 + 1);
  throw core::Error(core::ErrorCode::kRateLimited,
                    "delivery " + delivery_id + " had " + std::to_string(kMaxProofFailures) +
                        " wrong proof-of-delivery codes; ask the customer for the code again "
                        "and retry in " +
                        std::to_string(seconds.count()) + " seconds")
      .with_retry_after(seconds);
}

void record_proof_failure(db::Database& database, const std::string& delivery_id,
                          core::Timestamp now) {
  std::int64_t micros = core::to_unix_micros(now);
  database.transaction([&](db::Session& session) {
    session.execute(
        "UPDATE deliveries SET proof_failures = CASE WHEN proof_failed_at IS NULL OR "
        "proof_failed_at <= $2 THEN 1 ELSE proof_failures + 1 END, proof_failed_at = $3 "
        "WHERE id = $1",
        {delivery_id, micros - lockout_micros(), micros});
  });
}

}  // namespace surplus::offers
