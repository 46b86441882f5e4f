#include "validation.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include <surplus/core/id.hpp>

namespace surplus::orders {
namespace {

using nlohmann::json;

bool is_continuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  return text;
}

bool is_domain_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
    return false;
  }
  return std::all_of(label.begin(), label.end(),
                     [](char c) { return is_ascii_letter(c) || is_ascii_digit(c) || c == '-'; });
}

std::string allowed_list(const std::vector<std::string_view>& allowed) {
  std::string list;
  for (auto value : allowed) {
    list += list.empty() ? "" : ", ";
    list += value;
  }
  return list;
}

}  // namespace

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return !is_continuation(static_cast<unsigned char>(c));
  }));
}

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return std::string(text);
  }
  std::size_t end = max_bytes;
  while (end > 0 && is_continuation(static_cast<unsigned char>(text[end]))) {
    --end;
  }
  return std::string(text.substr(0, end));
}

std::string ascii_lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

bool is_valid_email(std::string_view email) {
  if (email.size() > 254) {
    return false;
  }
  auto at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view local = email.substr(0, at);
  std::string_view domain = email.substr(at + 1);
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return false;
  }
  constexpr std::string_view kLocalSpecials = "!#$%&'*+-/=?^_`{|}~.";
  for (char c : local) {
    if (!is_ascii_letter(c) && !is_ascii_digit(c) &&
        kLocalSpecials.find(c) == std::string_view::npos) {
      return false;
    }
  }
  std::size_t labels = 0;
  std::string_view last_label;
  while (true) {
    auto dot = domain.find('.');
    std::string_view label = domain.substr(0, dot);
    if (!is_domain_label(label)) {
      return false;
    }
    ++labels;
    last_label = label;
    if (dot == std::string_view::npos) {
      break;
    }
    domain.remove_prefix(dot + 1);
  }
  // A top-level domain is letters, or an internationalised one in its ASCII form
  // (RFC 5891 A-label, "xn--" then letters, digits and hyphens), such as xn--p1ai.
  bool letters_only = std::all_of(last_label.begin(), last_label.end(), is_ascii_letter);
  bool a_label = last_label.size() > 4 && ascii_lower(last_label.substr(0, 4)) == "xn--";
  return labels >= 2 && last_label.size() >= 2 && (letters_only || a_label);
}

bool has_non_ascii(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

bool is_valid_time_zone(std::string_view name) {
  if (name == "UTC") {
    return true;
  }
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/' ||
      name.find("//") != std::string_view::npos || name.find('/') == std::string_view::npos ||
      name.find("..") != std::string_view::npos) {
    return false;
  }
  return is_ascii_letter(name.front()) && std::all_of(name.begin(), name.end(), [](char c) {
           return is_ascii_letter(c) || is_ascii_digit(c) || c == '/' || c == '_' || c == '-' ||
                  c == '+';
         });
}

bool is_valid_phone(std::string_view phone) {
  if (phone.size() < 3 || phone.size() > 32) {
    return false;
  }
  constexpr std::string_view kAllowed = "0123456789 +()-/";
  bool characters_ok = std::all_of(phone.begin(), phone.end(), [&](char c) {
    return kAllowed.find(c) != std::string_view::npos;
  });
  return characters_ok && std::count_if(phone.begin(), phone.end(), is_ascii_digit) >= 3;
}

FieldReader::FieldReader(json body, std::initializer_list<std::string_view> known)
    : body_(std::move(body)) {
  if (!body_.is_object()) {
    problem("body", "expected a JSON object");
    return;
  }
  for (const auto& [name, value] : body_.items()) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      problem(truncate_utf8(name, 64), "unknown field");
    }
  }
}

const json* FieldReader::find(std::string_view name) const {
  if (!body_.is_object()) {
    return nullptr;
  }
  auto it = body_.find(std::string(name));
  if (it == body_.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

bool FieldReader::has(std::string_view name) const {
  return find(name) != nullptr;
}

std::optional<std::string> FieldReader::read_text(std::string_view name, const json& value,
                                                  const TextRule& rule) {
  if (!value.is_string()) {
    problem(std::string(name), "expected a string");
    return std::nullopt;
  }
  const auto& raw = value.get_ref<const std::string&>();
  // The JSON parser already rejects ill-formed UTF-8; this guards callers that build
  // the JSON from other sources.
  if (!is_valid_utf8(raw)) {
    problem(std::string(name), "is not valid UTF-8");
    return std::nullopt;
  }
  std::string_view text = rule.trim ? trim_spaces(raw) : std::string_view(raw);
  if (core::has_control_character(text, rule.multiline)) {
    problem(std::string(name), "contains control characters");
    return std::nullopt;
  }
  std::size_t length = utf8_length(text);
  if (length < rule.min_length) {
    problem(std::string(name),
            rule.min_length == 1
                ? std::string("must not be empty")
                : fmt::format("must have at least {} characters", rule.min_length));
    return std::nullopt;
  }
  if (length > rule.max_length) {
    problem(std::string(name), fmt::format("must have at most {} characters", rule.max_length));
    return std::nullopt;
  }
  return std::string(text);
}

std::string FieldReader::text(std::string_view name, const TextRule& rule) {
  const json* value = find(name);
  if (value == nullptr) {
    problem(std::string(name), "is required");
    return {};
  }
  return read_text(name, *value, rule).value_or("");
}

std::optional<std::string> FieldReader::optional_text(std::string_view name, const TextRule& rule) {
  const json* value = find(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  return read_text(name, *value, rule);
}

std::optional<std::string> FieldReader::optional_one_of(
    std::string_view name, const std::vector<std::string_view>& allowed) {
  const json* value = find(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_string() || std::find(allowed.begin(), allowed.end(),
                                       value->get_ref<const std::string&>()) == allowed.end()) {
    problem(std::string(name), "must be one of " + allowed_list(allowed));
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::string FieldReader::one_of(std::string_view name,
                                const std::vector<std::string_view>& allowed) {
  if (!has(name)) {
    problem(std::string(name), "is required; one of " + allowed_list(allowed));
    return {};
  }
  return optional_one_of(name, allowed).value_or("");
}

std::optional<double> FieldReader::optional_number(std::string_view name, double min, double max) {
  const json* value = find(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_number()) {
    problem(std::string(name), "expected a number");
    return std::nullopt;
  }
  double number = value->get<double>();
  if (!std::isfinite(number) || number < min || number > max) {
    problem(std::string(name),
            fmt::format("must be between {} and {}, got {}", min, max, value->dump()));
    return std::nullopt;
  }
  return number;
}

double FieldReader::number(std::string_view name, double min, double max) {
  if (!has(name)) {
    problem(std::string(name), "is required");
    return 0;
  }
  return optional_number(name, min, max).value_or(0);
}

std::optional<bool> FieldReader::optional_boolean(std::string_view name) {
  const json* value = find(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_boolean()) {
    problem(std::string(name), "expected true or false");
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<core::Money> FieldReader::optional_money(std::string_view name,
                                                       std::int64_t max_amount) {
  const json* value = find(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  std::string prefix(name);
  if (!value->is_object()) {
    problem(prefix, R"(expected an object {"amount": minor units, "currency": "EUR"})");
    return std::nullopt;
  }
  core::Money money;
  bool ok = true;
  auto amount = value->find("amount");
  if (amount == value->end() || !amount->is_number_integer()) {
    problem(prefix + ".amount", "expected a whole number of minor units, e.g. 450 for 4.50");
    ok = false;
  } else if (amount->is_number_unsigned()
                 ? amount->get<std::uint64_t>() > static_cast<std::uint64_t>(max_amount)
                 : (amount->get<std::int64_t>() < 0 || amount->get<std::int64_t>() > max_amount)) {
    problem(prefix + ".amount",
            fmt::format("must be between 0 and {}, got {}", max_amount, amount->dump()));
    ok = false;
  } else {
    money.amount = amount->get<std::int64_t>();
  }
  auto currency = value->find("currency");
  if (currency == value->end() || !currency->is_string() ||
      !core::is_iso4217(currency->get_ref<const std::string&>())) {
    problem(prefix + ".currency", "expected an ISO 4217 code such as EUR");
    ok = false;
  } else {
    money.currency = currency->get<std::string>();
  }
  for (const auto& [key, unused] : value->items()) {
    if (key != "amount" && key != "currency") {
      problem(prefix + "." + truncate_utf8(key, 64), "unknown field");
      ok = false;
    }
  }
  if (!ok) {
    return std::nullopt;
  }
  return money;
}

core::Money FieldReader::money(std::string_view name, std::int64_t max_amount) {
  if (!has(name)) {
    problem(std::string(name), "is required");
    return {};
  }
  return optional_money(name, max_amount).value_or(core::Money{});
}

std::optional<std::vector<std::string>> FieldReader::optional_tags(
    std::string_view name, const std::vector<std::string_view>& allowed, std::size_t max_items) {
  const json* value = find(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_array() || value->size() > max_items) {
    problem(std::string(name), fmt::format("expected an array of at most {} values", max_items));
    return std::nullopt;
  }
  std::vector<std::string> tags;
  for (const auto& item : *value) {
    if (!item.is_string() || std::find(allowed.begin(), allowed.end(),
                                       item.get_ref<const std::string&>()) == allowed.end()) {
      problem(std::string(name), "each value must be one of " + allowed_list(allowed));
      return std::nullopt;
    }
    if (std::find(tags.begin(), tags.end(), item.get<std::string>()) == tags.end()) {
      tags.push_back(item.get<std::string>());
    }
  }
  return tags;
}

void FieldReader::problem(std::string field, std::string message) {
  problems_.emplace_back(std::move(field), std::move(message));
}

bool FieldReader::has_problem(std::string_view field) const {
  return std::any_of(problems_.begin(), problems_.end(),
                     [field](const auto& problem) { return problem.first == field; });
}

void FieldReader::finish() const {
  if (problems_.empty()) {
    return;
  }
  core::Error error(core::ErrorCode::kValidationFailed, "the request has invalid fields");
  for (const auto& [field, message] : problems_) {
    error.with_field(field, message);
  }
  throw error;
}

void require_uuid(std::string_view field, std::string_view value) {
  if (!core::is_uuid(value)) {
    throw core::Error::validation(std::string(field), "expected a UUID");
  }
}

}  // namespace surplus::orders
