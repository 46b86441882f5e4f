#pragma once

#include <tao/pegtl.hpp>

// Lexical grammar of GraphQL (specification, October 2021, section 2.1), as PEGTL rules.
// The lexer in lexer.cpp matches one token at a time with these rules, and reports a
// token that starts well but breaks off (`1.`, `"abc`) at the character where it breaks,
// as graphql-js does. Names (2.1.9) and the white space, commas, line terminators and
// comments between tokens, which make up most of a document, it scans with plain loops
// instead.
namespace surplus::graphql::grammar {

namespace pegtl = tao::pegtl;

// 2.1.2 UnicodeBOM: U+FEFF, ignored anywhere between tokens.
struct unicode_bom : pegtl::string<'\xEF', '\xBB', '\xBF'> {};

// 2.1.3 WhiteSpace: horizontal tab and space.
struct white_space : pegtl::one<' ', '\t'> {};

// 2.1.4 LineTerminator: "\r\n" counts as one terminator.
struct line_terminator : pegtl::sor<pegtl::string<'\r', '\n'>, pegtl::one<'\n', '\r'>> {};

// 2.1.5 Comment: from "#" to the end of the line.
struct comment : pegtl::seq<pegtl::one<'#'>, pegtl::star<pegtl::not_one<'\n', '\r'>>> {};

// 2.1.6 Comma: insignificant, like white space.
struct comma : pegtl::one<','> {};

// 2.1.7 Ignored tokens between lexical tokens.
struct ignored
    : pegtl::star<pegtl::sor<unicode_bom, white_space, line_terminator, comment, comma>> {};

// 2.1.8 Punctuator "...".
struct spread : pegtl::string<'.', '.', '.'> {};

// 2.9.1 IntegerPart :: NegativeSign? 0 | NegativeSign? NonZeroDigit Digit*
struct negative_sign : pegtl::one<'-'> {};
struct digits : pegtl::plus<pegtl::digit> {};

// 2.9.2 FractionalPart :: . Digit+ and ExponentPart :: ExponentIndicator Sign? Digit+
struct exponent_indicator : pegtl::one<'e', 'E'> {};
struct exponent_sign : pegtl::one<'+', '-'> {};

// 2.9.4 StringValue delimiters; the body is decoded in lexer.cpp, which needs to report
// an invalid escape at the backslash.
struct quote : pegtl::one<'"'> {};
struct block_quote : pegtl::string<'"', '"', '"'> {};
struct escaped_block_quote : pegtl::string<'\\', '"', '"', '"'> {};

}  // namespace surplus::graphql::grammar
