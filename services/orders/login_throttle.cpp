#include "login_throttle.hpp"

namespace surplus::orders {
namespace {

std::int64_t micros(std::chrono::seconds duration) {
  return std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
}

}  // namespace

std::optional<std::chrono::seconds> login_blocked_for(db::Session& session, const std::string& key,
                                                      int max_failures, std::chrono::seconds window,
                                                      core::Timestamp now) {
  auto row =
      session
          .execute("SELECT window_start, failures FROM login_throttle WHERE throttle_key = $1",
                   {key})
          .maybe_one();
  if (!row || row->get<std::int64_t>("failures") < max_failures) {
    return std::nullopt;
  }
  std::int64_t window_end = row->get<std::int64_t>("window_start") + micros(window);
  std::int64_t remaining = window_end - core::to_unix_micros(now);
  if (remaining <= 0) {
    return std::nullopt;
  }
  // Rounded up, so a client that waits Retry-After seconds is let in.
  return std::chrono::seconds((remaining + 999'999) / 1'000'000);
}

void record_login_failure(db::Session& session, const std::string& key, std::chrono::seconds window,
                          core::Timestamp now) {
  std::int64_t now_micros = core::to_unix_micros(now);
  std::int64_t expired_before = now_micros - micros(window);
  session.execute(
      "INSERT INTO login_throttle (throttle_key, window_start, failures) VALUES ($1, $2, 1) "
      "ON CONFLICT (throttle_key) DO UPDATE SET "
      "failures = CASE WHEN login_throttle.window_start <= $3 THEN 1 "
      "ELSE login_throttle.failures + 1 END, "
      "window_start = CASE WHEN login_throttle.window_start <= $3 THEN $2 "
      "ELSE login_throttle.window_start END",
      {key, now_micros, expired_before});
  session.execute("DELETE FROM login_throttle WHERE window_start <= $1 AND throttle_key <> $2",
                  {expired_before, key});
}

void clear_login_failures(db::Session& session, const std::string& key) {
  session.execute("DELETE FROM login_throttle WHERE throttle_key = $1", {key});
}

}  // namespace surplus::orders
