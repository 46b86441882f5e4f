#include <memory>

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <surplus/core/config.hpp>
#include <surplus/core/log.hpp>

namespace surplus::core {
namespace {

thread_local std::string t_request_id = "-";

void append_escaped(std::string_view text, spdlog::memory_buf_t& dest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t clean_from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != 0x7f) {
      continue;
    }
    dest.append(text.data() + clean_from, text.data() + i);
    const char escaped[] = {'\\', 'x', kHex[byte >> 4], kHex[byte & 0xf]};
    dest.append(escaped, escaped + sizeof(escaped));
    clean_from = i + 1;
  }
  dest.append(text.data() + clean_from, text.data() + text.size());
}

// Writes the message for the pattern flag %Q with control characters escaped. Messages
// quote paths, ids and headers that clients chose, and a raw newline or NUL there would let
// a client write a line that looks like the service's own, or make the log unreadable.
class EscapedMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    append_escaped(std::string_view(message.payload.data(), message.payload.size()), dest);
  }

  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedMessageFlag>();
  }
};

// Writes "req=<id>" for the pattern flag %q.
class RequestIdFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    dest.append(std::string_view("req="));
    dest.append(t_request_id.data(), t_request_id.data() + t_request_id.size());
  }

  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<RequestIdFlag>();
  }
};

}  // namespace

void init_logging(std::string_view service, std::string_view level) {
  auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    throw ConfigError("LOG_LEVEL", fmt::format("LOG_LEVEL='{}' is invalid: expected trace, debug, "
                                               "info, warn, error, critical or off",
                                               level));
  }
  auto logger = std::make_shared<spdlog::logger>(std::string(service),
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<RequestIdFlag>('q');
  formatter->add_flag<EscapedMessageFlag>('Q');
  formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%L%$ %n %q %Q");
  logger->set_formatter(std::move(formatter));
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

std::string escape_control_characters(std::string_view text) {
  spdlog::memory_buf_t buffer;
  append_escaped(text, buffer);
  return fmt::to_string(buffer);
}

const std::string& current_request_id() {
  return t_request_id;
}

ScopedRequestId::ScopedRequestId(std::string id) : previous_(std::move(t_request_id)) {
  t_request_id = std::move(id);
}

ScopedRequestId::~ScopedRequestId() {
  t_request_id = std::move(previous_);
}

std::string redact_url(std::string_view url) {
  std::string result(url);
  auto scheme_end = result.find("://");
  if (scheme_end != std::string::npos) {
    auto authority_start = scheme_end + 3;
    auto at = result.find('@', authority_start);
    auto slash = result.find('/', authority_start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      auto colon = result.find(':', authority_start);
      if (colon != std::string::npos && colon < at) {
        result.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  for (std::string_view key : {"password=", "sslpassword="}) {
    auto pos = result.find(key);
    if (pos != std::string::npos) {
      auto value_start = pos + key.size();
      auto value_end = result.find_first_of(" &", value_start);
      result.replace(value_start,
                     (value_end == std::string::npos ? result.size() : value_end) - value_start,
                     "***");
    }
  }
  return result;
}

}  // namespace surplus::core
