#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <surplus/core/time.hpp>
#include <surplus/db/database.hpp>

namespace surplus::orders {

// Failed-login counting in the database, so every orders process reads the same counts.
// A key's window opens at its first failure and lasts `window`; once `max_failures` are
// counted, logins for that key are refused until the window ends.

// How long logins for `key` are still refused, or nullopt when they are allowed.
std::optional<std::chrono::seconds> login_blocked_for(db::Session& session, const std::string& key,
                                                      int max_failures, std::chrono::seconds window,
                                                      core::Timestamp now);

// Counts one failure for `key`, opening a new window when the last one ended, and removes
// rows whose window ended.
void record_login_failure(db::Session& session, const std::string& key, std::chrono::seconds window,
                          core::Timestamp now);

void clear_login_failures(db::Session& session, const std::string& key);

}  // namespace surplus::orders
