#include "lexer.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <utility>

#include <surplus/graphql/parser.hpp>

#include "block_string.hpp"
#include "lexer_grammar.hpp"
#include "unicode.hpp"

namespace surplus::graphql::detail {
namespace {

namespace pegtl = tao::pegtl;
using Input = pegtl::memory_input<pegtl::tracking_mode::lazy>;

constexpr std::string_view kKindNames[] = {
    "<SOF>",   "<EOF>", "\"!\"", "\"$\"", "\"&\"", "\"(\"",  "\")\"",
    "\"...\"", "\":\"", "\"=\"", "\"@\"", "\"[\"", "\"]\"",  "\"{\"",
    "\"|\"",   "\"}\"", "Name",  "Int",   "Float", "String", "BlockString"};

std::optional<TokenKind> punctuator(char c) {
  switch (c) {
    case '!':
      return TokenKind::kBang;
    case '$':
      return TokenKind::kDollar;
    case '&':
      return TokenKind::kAmp;
    case '(':
      return TokenKind::kParenL;
    case ')':
      return TokenKind::kParenR;
    case ':':
      return TokenKind::kColon;
    case '=':
      return TokenKind::kEquals;
    case '@':
      return TokenKind::kAt;
    case '[':
      return TokenKind::kBracketL;
    case ']':
      return TokenKind::kBracketR;
    case '{':
      return TokenKind::kBraceL;
    case '|':
      return TokenKind::kPipe;
    case '}':
      return TokenKind::kBraceR;
    default:
      return std::nullopt;
  }
}

constexpr bool is_digit(int c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_name_start(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Section 2.1.9 NameContinue as a table, which the name loop reads once per character.
constexpr auto kNameContinue = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[static_cast<std::size_t>(c)] = is_name_start(c) || is_digit(c);
  }
  return table;
}();

bool is_name_continue(unsigned char c) {
  return kNameContinue[c];
}

// Quotes a character for an error message the way graphql-js does.
std::string quote_char(std::string_view rest) {
  if (rest.empty()) {
    return "<EOF>";
  }
  const auto c = static_cast<unsigned char>(rest.front());
  if (c < 0x20 || c == 0x7F) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04X", c);
    return buffer;
  }
  // Appended piece by piece, because `"\"" + std::string(...)` trips a false -Wrestrict
  // warning of g++ 12 at -O2 and above.
  std::string quoted = "\"";
  quoted.append(rest.substr(0, std::min(utf8_sequence_length(c), rest.size())));
  quoted += '"';
  return quoted;
}

}  // namespace

std::string describe(TokenKind kind) {
  return std::string(kKindNames[static_cast<int>(kind)]);
}

std::string describe(const Token& token) {
  std::string text = describe(token.kind);
  switch (token.kind) {
    case TokenKind::kName:
    case TokenKind::kInt:
    case TokenKind::kFloat:
    case TokenKind::kString:
    case TokenKind::kBlockString:
      text += " \"";
      text += token.text();
      text += '"';
      break;
    default:
      break;
  }
  return text;
}

class Lexer::Impl {
 public:
  // Rejects a source that is not UTF-8, because every later step, and the JSON of the
  // response, assumes Unicode text (section 2.1.1 SourceCharacter).
  Impl(std::string_view source, std::size_t max_tokens)
      : source_(source),
        in_(source.data(), source.data() + source.size(), "graphql"),
        max_tokens_(max_tokens) {
    if (const std::size_t invalid = find_invalid_utf8(source); invalid != std::string_view::npos) {
      fail(invalid, "Invalid UTF-8 byte sequence.");
    }
  }

  // Reads the next token into `token`, reusing its string buffer.
  void next(Token& token);

 private:
  std::size_t offset() const { return static_cast<std::size_t>(in_.current() - source_.data()); }
  std::string_view rest() const { return source_.substr(offset()); }
  int peek(std::size_t ahead = 0) const {
    const std::size_t at = offset() + ahead;
    return at < source_.size() ? static_cast<unsigned char>(source_[at]) : -1;
  }

  ast::Location location_at(std::size_t offset) const;
  ast::Location current_location() const;
  void track(std::size_t from, std::size_t to);
  [[noreturn]] void fail(std::size_t at, const std::string& message) const;
  // The error paths of next(), out of line, so that building their messages does not
  // weigh on the path of every token.
  [[noreturn, gnu::cold, gnu::noinline]] void fail_token_limit() const;
  [[noreturn, gnu::cold, gnu::noinline]] void fail_unexpected_character() const;

  void skip_ignored();
  void read_number(Token& token);
  void read_digits(std::string& lexeme);
  void read_string(Token& token);
  void read_block_string(Token& token);
  void read_escape(std::string& value);
  std::uint32_t read_unicode_escape(std::size_t escape_start);

  std::string_view source_;
  Input in_;
  std::size_t max_tokens_;
  std::size_t token_count_ = 0;
  // Line of the current offset, the offset where that line starts, and the UTF-16 code
  // units minus the bytes of the line before the current offset. The difference is
  // negative after multi-byte UTF-8 sequences, which only strings, comments and byte order
  // marks contain. Only block strings and ignored tokens contain line terminators.
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;
  std::int64_t column_adjustment_ = 0;
};

// Counts from the start of the source with the same rules as track(). Only errors need a
// location inside a token, so this scan runs at most once per document.
ast::Location Lexer::Impl::location_at(std::size_t target) const {
  ast::Location location{1, 1};
  for (std::size_t at = 0; at < target; ++at) {
    const auto c = static_cast<unsigned char>(source_[at]);
    const bool crlf = c == '\r' && at + 1 < source_.size() && source_[at + 1] == '\n';
    if (c == '\n' || (c == '\r' && !crlf)) {
      ++location.line;
      location.column = 1;
    } else if (c == '\r' || (c & 0xC0) == 0x80) {
      // A '\r' before '\n' is counted at the '\n', and continuation bytes add no code unit.
    } else {
      // UTF-16 code units: a four-byte UTF-8 sequence is a surrogate pair.
      location.column += c >= 0xF0 ? 2 : 1;
    }
  }
  return location;
}

ast::Location Lexer::Impl::current_location() const {
  const auto bytes = static_cast<std::int64_t>(offset() - line_start_);
  return {line_, static_cast<std::uint32_t>(bytes + column_adjustment_ + 1)};
}

// Updates the line and column state over source bytes in [from, to) that may contain line
// terminators or bytes outside ASCII. A carriage return followed by a line feed is one
// line terminator, and a column counts UTF-16 code units.
void Lexer::Impl::track(std::size_t from, std::size_t to) {
  for (std::size_t at = from; at < to; ++at) {
    const auto c = static_cast<unsigned char>(source_[at]);
    if (c < 0x80 && c != '\n' && c != '\r') {
      continue;
    }
    const bool crlf = c == '\r' && at + 1 < source_.size() && source_[at + 1] == '\n';
    if (c == '\n' || (c == '\r' && !crlf)) {
      ++line_;
      line_start_ = at + 1;
      column_adjustment_ = 0;
    } else if ((c & 0xC0) == 0x80) {
      --column_adjustment_;
    } else if (c >= 0xF0) {
      ++column_adjustment_;
    }
  }
}

void Lexer::Impl::fail(std::size_t at, const std::string& message) const {
  throw SyntaxError("Syntax Error: " + message, location_at(at));
}

// Section 2.1.7 Ignored tokens. White space, line terminators, commas and comments, which
// make up almost all of them, are skipped directly; byte order marks go through the grammar
// rule.
void Lexer::Impl::skip_ignored() {
  const char* const begin = source_.data();
  const char* const end = begin + source_.size();
  const char* at = in_.current();
  while (at != end) {
    const char c = *at;
    if (c == ' ' || c == '\t' || c == ',') {
      ++at;
    } else if (c == '\n' || (c == '\r' && (at + 1 == end || at[1] != '\n'))) {
      ++at;
      ++line_;
      line_start_ = static_cast<std::size_t>(at - begin);
      column_adjustment_ = 0;
    } else if (c == '\r') {
      // The '\n' of the pair ends the line.
      ++at;
    } else if (c == '#') {
      // 2.1.5 Comment: every byte up to the next line terminator. The constructor has
      // checked that the bytes are UTF-8, and only bytes outside ASCII change the column.
      const char* const comment = at;
      bool ascii = true;
      while (at != end && *at != '\n' && *at != '\r') {
        ascii = ascii && static_cast<unsigned char>(*at) < 0x80;
        ++at;
      }
      if (!ascii) {
        track(static_cast<std::size_t>(comment - begin), static_cast<std::size_t>(at - begin));
      }
    } else if (c == '\xEF') {
      in_.bump(static_cast<std::size_t>(at - in_.current()));
      const std::size_t before = offset();
      pegtl::parse<grammar::ignored>(in_);
      if (offset() == before) {
        return;
      }
      track(before, offset());
      at = in_.current();
    } else {
      break;
    }
  }
  in_.bump(static_cast<std::size_t>(at - in_.current()));
}

void Lexer::Impl::next(Token& token) {
  // Spaces, tabs, commas and line feeds are skipped here, without a call; carriage returns,
  // comments and byte order marks go the longer way through skip_ignored().
  const char* const begin = source_.data();
  const char* const end = begin + source_.size();
  const char* at = in_.current();
  while (at != end) {
    const char c = *at;
    if (c == ' ' || c == ',' || c == '\t') {
      ++at;
    } else if (c == '\n') {
      ++at;
      ++line_;
      line_start_ = static_cast<std::size_t>(at - begin);
      column_adjustment_ = 0;
    } else {
      break;
    }
  }
  in_.bump(static_cast<std::size_t>(at - in_.current()));
  if (at != end && (*at == '\r' || *at == '#' || *at == '\xEF')) {
    skip_ignored();
    at = in_.current();
  }
  token.location = current_location();
  token.value.clear();
  if (in_.empty()) {
    token.kind = TokenKind::kEndOfFile;
    return;
  }
  if (++token_count_ > max_tokens_) {
    fail_token_limit();
  }

  const int c = peek();
  if (auto kind = punctuator(static_cast<char>(c))) {
    in_.bump(1);
    token.kind = *kind;
    return;
  }
  const std::size_t start = offset();
  if (is_name_start(c)) {
    // 2.1.9 Name, with a plain loop that keeps the position in a register: names are
    // about half of all tokens.
    const char* const first = at;
    const char* last = first + 1;
    while (last != end && is_name_continue(static_cast<unsigned char>(*last))) {
      ++last;
    }
    const auto length = static_cast<std::size_t>(last - first);
    in_.bump(length);
    token.kind = TokenKind::kName;
    token.name = std::string_view(first, length);
    return;
  }
  if (c == '.' && pegtl::parse<grammar::spread>(in_)) {
    token.kind = TokenKind::kSpread;
    return;
  }
  if (c == '-' || is_digit(c)) {
    read_number(token);
    return;
  }
  if (pegtl::parse<grammar::block_quote>(in_)) {
    read_block_string(token);
    track(start, offset());
    return;
  }
  if (pegtl::parse<grammar::quote>(in_)) {
    read_string(token);
    track(start, offset());
    return;
  }
  fail_unexpected_character();
}

void Lexer::Impl::fail_token_limit() const {
  fail(offset(),
       "Document contains more than " + std::to_string(max_tokens_) + " tokens. Parsing aborted.");
}

void Lexer::Impl::fail_unexpected_character() const {
  if (peek() == '\'') {
    fail(offset(),
         "Unexpected single quote character ('), did you mean to use a double quote (\")?");
  }
  fail(offset(), "Unexpected character: " + quote_char(rest()) + ".");
}

void Lexer::Impl::read_digits(std::string& lexeme) {
  const std::size_t start = offset();
  if (!pegtl::parse<grammar::digits>(in_)) {
    fail(offset(), "Invalid number, expected digit but got: " + quote_char(rest()) + ".");
  }
  lexeme += source_.substr(start, offset() - start);
}

// 2.9.1 IntValue and 2.9.2 FloatValue, including the lookahead restrictions that forbid a
// digit after a leading zero and a "." or NameStart right after the number.
void Lexer::Impl::read_number(Token& token) {
  std::string lexeme;
  if (pegtl::parse<grammar::negative_sign>(in_)) {
    lexeme += '-';
  }
  if (peek() == '0') {
    in_.bump(1);
    lexeme += '0';
    if (is_digit(peek())) {
      fail(offset(), "Invalid number, unexpected digit after 0: " + quote_char(rest()) + ".");
    }
  } else {
    read_digits(lexeme);
  }
  bool is_float = false;
  if (peek() == '.') {
    is_float = true;
    in_.bump(1);
    lexeme += '.';
    read_digits(lexeme);
  }
  if (peek() == 'e' || peek() == 'E') {
    is_float = true;
    in_.bump(1);
    lexeme += 'e';
    if (peek() == '+' || peek() == '-') {
      lexeme += static_cast<char>(peek());
      in_.bump(1);
    }
    read_digits(lexeme);
  }
  if (peek() == '.' || is_name_start(peek())) {
    fail(offset(), "Invalid number, expected digit but got: " + quote_char(rest()) + ".");
  }
  token.kind = is_float ? TokenKind::kFloat : TokenKind::kInt;
  token.value = std::move(lexeme);
}

// 2.9.4 StringCharacter; the opening quote is already consumed.
void Lexer::Impl::read_string(Token& token) {
  std::string value;
  while (true) {
    const int c = peek();
    if (c < 0 || c == '\n' || c == '\r') {
      fail(offset(), "Unterminated string.");
    }
    if (c == '"') {
      in_.bump(1);
      break;
    }
    if (c == '\\') {
      read_escape(value);
      continue;
    }
    // Any Unicode scalar value may appear (section 2.1.1 SourceCharacter), control
    // characters included.
    const std::size_t length =
        std::min(utf8_sequence_length(static_cast<unsigned char>(c)), source_.size() - offset());
    value += source_.substr(offset(), length);
    in_.bump(length);
  }
  token.kind = TokenKind::kString;
  token.value = std::move(value);
}

// 2.9.4 EscapedCharacter and EscapedUnicode, including surrogate pairs written as two
// fixed-width escapes.
void Lexer::Impl::read_escape(std::string& value) {
  const std::size_t start = offset();
  const int c = peek(1);
  if (c == 'u') {
    append_utf8(value, read_unicode_escape(start));
    return;
  }
  static constexpr std::string_view kFrom = "\"\\/bfnrt";
  static constexpr std::string_view kTo = "\"\\/\b\f\n\r\t";
  const auto found = c < 0 ? std::string_view::npos : kFrom.find(static_cast<char>(c));
  if (found == std::string_view::npos) {
    fail(start, "Invalid character escape sequence: \"" +
                    std::string(source_.substr(start, c < 0 ? 1 : 2)) + "\".");
  }
  value += kTo[found];
  in_.bump(2);
}

std::uint32_t Lexer::Impl::read_unicode_escape(std::size_t escape_start) {
  const auto invalid = [&](std::size_t length) {
    fail(escape_start, "Invalid Unicode escape sequence: \"" +
                           std::string(source_.substr(escape_start, length)) + "\".");
  };
  std::string_view text = source_.substr(escape_start);
  if (text.size() > 2 && text[2] == '{') {
    const auto close = text.find('}');
    std::uint32_t code = 0;
    if (close == std::string_view::npos || close == 3 ||
        !parse_hex(text.substr(3, close - 3), code) || code > 0x10FFFF || is_surrogate(code)) {
      invalid(close == std::string_view::npos ? std::min<std::size_t>(text.size(), 3) : close + 1);
    }
    in_.bump(close + 1);
    return code;
  }
  std::uint32_t code = 0;
  if (text.size() < 6 || !parse_hex(text.substr(2, 4), code)) {
    invalid(std::min<std::size_t>(text.size(), 6));
  }
  if (is_leading_surrogate(code)) {
    std::uint32_t trailing = 0;
    if (text.size() >= 12 && text.substr(6, 2) == "\\u" && parse_hex(text.substr(8, 4), trailing) &&
        is_trailing_surrogate(trailing)) {
      in_.bump(12);
      return 0x10000 + ((code - 0xD800) << 10) + (trailing - 0xDC00);
    }
    invalid(6);
  }
  if (is_trailing_surrogate(code)) {
    invalid(6);
  }
  in_.bump(6);
  return code;
}

// 2.9.4 BlockStringCharacter; the opening triple quote is already consumed.
void Lexer::Impl::read_block_string(Token& token) {
  std::string raw;
  while (true) {
    if (in_.empty()) {
      fail(offset(), "Unterminated string.");
    }
    if (pegtl::parse<grammar::block_quote>(in_)) {
      break;
    }
    if (pegtl::parse<grammar::escaped_block_quote>(in_)) {
      raw += "\"\"\"";
      continue;
    }
    raw += static_cast<char>(peek());
    in_.bump(1);
  }
  token.kind = TokenKind::kBlockString;
  token.value = block_string_value(raw);
}

Lexer::Lexer(std::string_view source, std::size_t max_tokens)
    : impl_(std::make_unique<Impl>(source, max_tokens)) {}

Lexer::~Lexer() = default;

void Lexer::read_next(Impl& impl, Token& token) {
  impl.next(token);
}

const Token& Lexer::take_lookahead() {
  std::swap(current_, next_);
  has_next_ = false;
  return current_;
}

const Token& Lexer::lookahead() {
  if (!has_next_) {
    impl_->next(next_);
    has_next_ = true;
  }
  return next_;
}

std::string Lexer::take_value() {
  if (current_.kind == TokenKind::kName) {
    return std::string(current_.name);
  }
  return std::move(current_.value);
}

}  // namespace surplus::graphql::detail
