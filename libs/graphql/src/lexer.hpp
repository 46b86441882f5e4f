#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <surplus/graphql/ast.hpp>

namespace surplus::graphql::detail {

// Section 2.1.7 token kinds.
enum class TokenKind {
  kStartOfFile,
  kEndOfFile,
  kBang,
  kDollar,
  kAmp,
  kParenL,
  kParenR,
  kSpread,
  kColon,
  kEquals,
  kAt,
  kBracketL,
  kBracketR,
  kBraceL,
  kPipe,
  kBraceR,
  kName,
  kInt,
  kFloat,
  kString,
  kBlockString,
};

struct Token {
  TokenKind kind = TokenKind::kStartOfFile;
  ast::Location location;
  // A name, as a view of the source: names are most tokens, and a view costs no copy.
  std::string_view name;
  // A number lexeme or the decoded value of a string; empty for names.
  std::string value;

  // The name or the value, whichever the kind has.
  std::string_view text() const { return kind == TokenKind::kName ? name : value; }
};

// Describes a token the way graphql-js error messages do: `Name "foo"`, `"{"`, `<EOF>`.
std::string describe(const Token& token);
std::string describe(TokenKind kind);

// Produces tokens one at a time on request, so a syntax error earlier in the document
// wins over a lexical error later in it. Throws SyntaxError.
class Lexer {
 public:
  Lexer(std::string_view source, std::size_t max_tokens);
  ~Lexer();
  Lexer(const Lexer&) = delete;
  Lexer& operator=(const Lexer&) = delete;

  const Token& current() const { return current_; }
  // Moves to the next token and returns it. Inline, because the parser calls it for every
  // token: only the lexing itself is a call.
  const Token& advance() {
    if (has_next_) {
      return take_lookahead();
    }
    read_next(*impl_, current_);
    return current_;
  }
  // The token after current(), without moving.
  const Token& lookahead();
  // Moves the text out of current(). Call advance() before reading current() again.
  std::string take_value();

 private:
  class Impl;
  // Reads the token after the last one `impl` read into `token`.
  static void read_next(Impl& impl, Token& token);
  const Token& take_lookahead();

  std::unique_ptr<Impl> impl_;
  Token current_;
  Token next_;
  bool has_next_ = false;
};

}  // namespace surplus::graphql::detail
