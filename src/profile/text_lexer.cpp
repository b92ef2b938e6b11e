#include "profile/text_lexer.hpp"

#include <fmt/core.h>

#include "seccage/error.hpp"

namespace seccage::text_detail {
namespace {

bool word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool digit(char c) { return c >= '0' && c <= '9'; }
// '-' belongs to words (kill-process, @system-service).
bool word_char(char c) { return word_start(c) || digit(c) || c == '-'; }

std::string printable(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", u);
}

}  // namespace

std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::Newline: return "end of line";
    case Tok::End: return "end of file";
    case Tok::String: return fmt::format("string \"{}\"", t.text);
    default: return fmt::format("'{}'", t.text);
  }
}

std::vector<Token> tokenize(std::string_view text, std::string_view source, bool keep_comments) {
  std::vector<Token> out;
  std::uint32_t line = 1;
  std::size_t line_start = 0;
  std::size_t i = 0;
  auto col_of = [&](std::size_t pos) { return static_cast<std::uint32_t>(pos - line_start + 1); };
  auto fail = [&](std::size_t pos, const std::string& what) {
    return InputError(fmt::format("{}:{}:{}: {}", source, line, col_of(pos), what));
  };
  auto push = [&](Tok kind, std::size_t start, std::string t) {
    out.push_back(Token{kind, std::move(t), line, col_of(start)});
  };

  while (i < text.size()) {
    const char c = text[i];
    const std::size_t start = i;
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (c == '\n') {
      push(Tok::Newline, start, "\\n");
      ++i;
      ++line;
      line_start = i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      if (keep_comments) {
        std::size_t end = i;
        while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r')) --end;
        push(Tok::Comment, start, std::string(text.substr(start, end - start)));
      }
    } else if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
      // A backslash at the end of a line continues the statement.
      i += text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n' ? 3 : 2;
      ++line;
      line_start = i;
    } else if (word_start(c) || (c == '@' && i + 1 < text.size() && word_char(text[i + 1]))) {
      ++i;
      // '.' inside a word only so `include common.policy` (quotes
      // forgotten) is reported as such, not as a stray '.'.
      while (i < text.size() && (word_char(text[i]) || text[i] == '.')) ++i;
      push(c == '@' ? Tok::Group : Tok::Word, start, std::string(text.substr(start, i - start)));
    } else if (digit(c) || (c == '-' && i + 1 < text.size() && digit(text[i + 1]))) {
      ++i;
      // Letters are swallowed too so "0x1g" or "12ab" is one bad number, not
      // a number and a word.
      while (i < text.size() && (word_char(text[i]) && text[i] != '-')) ++i;
      push(Tok::Number, start, std::string(text.substr(start, i - start)));
    } else if (c == '"') {
      ++i;
      std::string s;
      for (;;) {
        if (i >= text.size() || text[i] == '\n') throw fail(start, "unterminated string (expected '\"' before the end of the line)");
        if (text[i] == '"') break;
        if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\')) ++i;
        s += text[i++];
      }
      ++i;
      push(Tok::String, start, std::move(s));
    } else {
      auto two = [&](char next) { return i + 1 < text.size() && text[i + 1] == next; };
      Tok kind;
      std::size_t len = 1;
      switch (c) {
        case ',': kind = Tok::Comma; break;
        case ':': kind = Tok::Colon; break;
        case '(': kind = Tok::LParen; break;
        case ')': kind = Tok::RParen; break;
        case '{': kind = Tok::LBrace; break;
        case '}': kind = Tok::RBrace; break;
        case '|': kind = two('|') ? Tok::OrOr : Tok::Pipe; len = two('|') ? 2 : 1; break;
        case '&': kind = two('&') ? Tok::AndAnd : Tok::Amp; len = two('&') ? 2 : 1; break;
        case '=':
          if (!two('=')) throw fail(start, "unexpected '=' (comparisons are written '==')");
          kind = Tok::Eq; len = 2; break;
        case '!':
          if (!two('=')) throw fail(start, "unexpected '!' (did you mean '!='?)");
          kind = Tok::Ne; len = 2; break;
        case '<': kind = two('=') ? Tok::Le : Tok::Lt; len = two('=') ? 2 : 1; break;
        case '>': kind = two('=') ? Tok::Ge : Tok::Gt; len = two('=') ? 2 : 1; break;
        default:
          throw fail(start, fmt::format("unexpected {}", printable(c)));
      }
      push(kind, start, std::string(text.substr(start, len)));
      i += len;
    }
  }
  out.push_back(Token{Tok::End, "", line, col_of(i)});
  return out;
}

}  // namespace seccage::text_detail
