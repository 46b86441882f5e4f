#pragma once

#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace surplus::core {

// Configures the default spdlog logger for a service: one line per event on stderr,
//   2026-12-04T15:40:00.123Z I orders req=0193... message
// with `req=-` outside a request. Control characters in the message (bytes below 0x20, and
// 0x7f) are written as \xNN, so one event is always one line. `level` is one of trace, debug, info,
// warn, error, critical or off; anything else throws ConfigError naming LOG_LEVEL.
void init_logging(std::string_view service, std::string_view level = "info");

// `text` with each control character (below 0x20, and 0x7f) written as \xNN, as log lines
// show them; other bytes, UTF-8 included, are kept.
std::string escape_control_characters(std::string_view text);

// The request id shown in log lines written by this thread, or "-" when none is set.
const std::string& current_request_id();

// Sets the request id for log lines written by this thread until the scope ends. Request
// handlers run on worker threads one request at a time, so a thread-local is exact there.
class ScopedRequestId {
 public:
  explicit ScopedRequestId(std::string id);
  ~ScopedRequestId();
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string previous_;
};

// Returns `url` with any password replaced by "***", so that connection strings can be
// logged: postgres://app:secret@host/db becomes postgres://app:***@host/db, and a
// password=... keyword in a libpq key-value string becomes password=***.
std::string redact_url(std::string_view url);

}  // namespace surplus::core
