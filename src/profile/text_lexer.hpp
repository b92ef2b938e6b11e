// Tokens of the text policy language (docs/policy-language.md). Newlines end
// statements, so they are tokens; comments (# to end of line) are dropped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace seccage::text_detail {

enum class Tok : std::uint8_t {
  Word,     // allow, write, kill-thread, AF_INET, arg0, x86_64
  Group,    // @system-service (text keeps the '@')
  Number,   // 42, 0x2a, 052 (octal), 0b101010, -100 (text as written)
  String,   // "common.policy" (text without quotes, escapes resolved)
  Comma, Colon, LParen, RParen, LBrace, RBrace,
  Pipe,     // |
  OrOr,     // ||
  Amp,      // &
  AndAnd,   // &&
  Eq, Ne, Lt, Le, Gt, Ge,
  Newline,
  Comment,  // "# ..." to the end of the line; only with keep_comments
  End,
};

struct Token {
  Tok kind = Tok::End;
  std::string text;
  std::uint32_t line = 1;
  std::uint32_t col = 1;  // 1-based, in bytes
};

// How a token is shown in "expected X but found Y".
std::string describe(const Token& t);

// Splits `text` into tokens ending with End. Throws InputError
// "source:line:col: ..." on a character that starts no token or an
// unterminated string.
// With keep_comments, comments are tokens too (for `seccage fmt`, which
// keeps them); the parser never sees them.
std::vector<Token> tokenize(std::string_view text, std::string_view source, bool keep_comments = false);

}  // namespace seccage::text_detail
