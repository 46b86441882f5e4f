#include "url.hpp"

#include <charconv>
#include <memory>
#include <string_view>

#include <fmt/format.h>
#include <libpq-fe.h>

#include <surplus/core/config.hpp>
#include <surplus/core/log.hpp>

namespace surplus::db::detail {
namespace {

constexpr std::string_view kAcceptedForms =
    "expected sqlite:///absolute/path/file.db, sqlite://relative/path/file.db, "
    "sqlite::memory: or postgres://user:password@host:port/dbname";

[[noreturn]] void reject(const std::string& url, std::string_view reason) {
  throw core::ConfigError("DATABASE_URL",
                          fmt::format("DATABASE_URL '{}' is invalid: {}; {}", core::redact_url(url),
                                      reason, kAcceptedForms));
}

DatabaseUrl parse_sqlite(const std::string& url) {
  DatabaseUrl parsed;
  parsed.dialect = Dialect::kSqlite;
  if (url == "sqlite::memory:" || url == "sqlite://:memory:") {
    parsed.memory = true;
    return parsed;
  }
  constexpr std::string_view kPrefix = "sqlite://";
  if (!url.starts_with(kPrefix)) {
    reject(url, "a SQLite URL starts with sqlite:// or is sqlite::memory:");
  }
  parsed.sqlite_path = url.substr(kPrefix.size());
  if (parsed.sqlite_path.empty() || parsed.sqlite_path.back() == '/') {
    reject(url, "the SQLite URL names no file");
  }
  if (parsed.sqlite_path.find('?') != std::string::npos) {
    reject(url, "SQLite URLs take no query parameters");
  }
  return parsed;
}

// Checks a libpq port value, which may list one port per host separated by commas.
bool valid_ports(std::string_view ports) {
  while (true) {
    auto comma = ports.find(',');
    std::string_view port = ports.substr(0, comma);
    unsigned number = 0;
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || error != std::errc() || end != port.data() + port.size() || number == 0 ||
        number > 65535) {
      return false;
    }
    if (comma == std::string_view::npos) {
      return true;
    }
    ports.remove_prefix(comma + 1);
  }
}

DatabaseUrl parse_postgres(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  std::unique_ptr<char, decltype(&PQfreemem)> error_guard(error, &PQfreemem);
  if (options == nullptr) {
    std::string reason = error != nullptr ? error : "libpq could not parse it";
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) {
      reason.pop_back();
    }
    reject(url, reason);
  }
  // libpq checks the port only when connecting; a start-up error is clearer.
  std::string bad_port;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (std::string_view(option->keyword) == "port" && option->val != nullptr &&
        !valid_ports(option->val)) {
      bad_port = option->val;
    }
  }
  PQconninfoFree(options);
  if (!bad_port.empty()) {
    reject(url, fmt::format("port '{}' is not a number from 1 to 65535", bad_port));
  }

  DatabaseUrl parsed;
  parsed.dialect = Dialect::kPostgres;
  parsed.postgres_uri = url;
  return parsed;
}

}  // namespace

DatabaseUrl parse_database_url(const std::string& url) {
  if (url.empty()) {
    reject(url, "it is empty");
  }
  if (url.starts_with("sqlite:")) {
    return parse_sqlite(url);
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    return parse_postgres(url);
  }
  reject(url, "the scheme is not sqlite or postgres");
}

}  // namespace surplus::db::detail
