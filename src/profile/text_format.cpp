// `seccage fmt` for text policies: the file as written, laid out one way.
// It works on tokens, not on the compiled policy, so nothing the author
// wrote is lost: comments, includes, groups, `on` sections and the order of
// statements (which is meaning: later statements win) all stay.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "profile/text_lexer.hpp"
#include "seccage/error.hpp"
#include "seccage/policy_text.hpp"

namespace seccage {
namespace {

using text_detail::Tok;
using text_detail::Token;

// One output line: its code and its trailing comment, either may be empty.
struct Line {
  std::string indent;
  std::string code;
  std::string comment;
  bool blank = false;
};

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string spelled(const Token& t) { return t.kind == Tok::String ? quoted(t.text) : t.text; }

// Whether a space goes between two tokens on one line.
bool space_between(const Token& prev, const Token& t) {
  switch (t.kind) {
    case Tok::Comma: case Tok::Colon: case Tok::RParen: return false;
    case Tok::Pipe: return false;  // O_WRONLY|O_CREAT: one value
    case Tok::LParen: return prev.kind != Tok::Word;  // errno(EPERM), but == (X)
    default: break;
  }
  return prev.kind != Tok::LParen && prev.kind != Tok::Pipe;
}

// A newline after these continues the statement on the next line.
bool continues(Tok k) { return k == Tok::Comma || k == Tok::Colon || k == Tok::OrOr || k == Tok::AndAnd; }

class Formatter {
 public:
  std::vector<Line> run(const std::vector<Token>& tokens) {
    for (const Token& t : tokens) {
      switch (t.kind) {
        case Tok::End: flush(); break;
        case Tok::Newline: newline(); break;
        case Tok::Comment: comment(t); break;
        case Tok::LBrace:
          append(t);
          flush();
          ++depth_;
          broke_line_ = true;
          break;
        case Tok::RBrace:
          flush();
          depth_ = depth_ > 0 ? depth_ - 1 : 0;
          append(t);
          flush();
          broke_line_ = true;
          break;
        default: append(t); break;
      }
    }
    while (!lines_.empty() && lines_.back().blank) lines_.pop_back();
    return std::move(lines_);
  }

 private:
  std::string indent() const { return std::string(depth_ * 2 + (continuation_ ? 4 : 0), ' '); }

  void append(const Token& t) {
    broke_line_ = false;
    if (cur_.code.empty()) {
      cur_.indent = indent();
    } else if (space_between(prev_, t)) {
      cur_.code += ' ';
    }
    cur_.code += spelled(t);
    prev_ = t;
    has_prev_ = true;
  }

  void comment(const Token& t) {
    if (broke_line_ && cur_.code.empty() && !lines_.empty()) {
      // `on x86_64 {  # why`: the comment stays on the brace's line.
      lines_.back().comment = t.text;
      return;
    }
    if (cur_.code.empty()) cur_.indent = indent();
    cur_.comment = t.text;
  }

  void newline() {
    if (broke_line_) {  // the line a brace ended: already out
      broke_line_ = false;
      return;
    }
    if (!cur_.code.empty() || !cur_.comment.empty()) {
      flush();
      return;
    }
    // A blank line: kept (one at most) between statements, dropped at the
    // top, inside a statement and right after an opening brace.
    if (continuation_ || lines_.empty() || lines_.back().blank) return;
    if (!lines_.back().code.empty() && lines_.back().code.back() == '{') return;
    lines_.push_back(Line{"", "", "", true});
  }

  void flush() {
    if (cur_.code.empty() && cur_.comment.empty()) return;
    const bool had_code = !cur_.code.empty();
    push();
    if (had_code) continuation_ = has_prev_ && continues(prev_.kind);
  }

  void push() {
    // A closing brace after a blank line: the blank goes.
    if (cur_.code == "}" && !lines_.empty() && lines_.back().blank) lines_.pop_back();
    lines_.push_back(std::move(cur_));
    cur_ = Line{};
  }

  std::vector<Line> lines_;
  Line cur_;
  Token prev_;
  bool has_prev_ = false;
  bool continuation_ = false;
  bool broke_line_ = false;  // a brace ended the output line before the source line ended
  std::size_t depth_ = 0;
};

// Trailing comments of consecutive lines line up, two spaces after the
// longest code among them (as gofmt does).
std::string render(const std::vector<Line>& lines) {
  std::string out;
  std::size_t i = 0;
  while (i < lines.size()) {
    std::size_t j = i;
    std::size_t width = 0;
    while (j < lines.size() && !lines[j].code.empty() && !lines[j].comment.empty()) {
      width = std::max(width, lines[j].indent.size() + lines[j].code.size());
      ++j;
    }
    if (j == i) {
      const Line& l = lines[i];
      if (!l.blank) out += l.indent + l.code + l.comment;
      out += '\n';
      ++i;
      continue;
    }
    for (; i < j; ++i) {
      const Line& l = lines[i];
      const std::size_t used = l.indent.size() + l.code.size();
      out += l.indent + l.code + std::string(width - used + 2, ' ') + l.comment + '\n';
    }
  }
  return out;
}

// The tokens that carry meaning, newlines included (they end statements),
// but not blank lines: what formatting must leave unchanged.
std::vector<std::pair<Tok, std::string>> meaning(const std::vector<Token>& tokens) {
  std::vector<std::pair<Tok, std::string>> out;
  for (const Token& t : tokens) {
    if (t.kind == Tok::Comment) continue;
    if (t.kind == Tok::Newline && (out.empty() || out.back().first == Tok::Newline)) continue;
    out.emplace_back(t.kind, t.text);
  }
  return out;
}

}  // namespace

std::string format_text_policy(std::string_view text, std::string_view source) {
  const std::vector<Token> tokens = text_detail::tokenize(text, source, /*keep_comments=*/true);
  std::string out = render(Formatter().run(tokens));
  // The layout may move line breaks (a one-line `on` section is opened up,
  // a `\` continuation joined), so compare the statements without them:
  // the same tokens in the same order, the same comments.
  auto without_newlines = [](std::vector<std::pair<Tok, std::string>> v) {
    std::erase_if(v, [](const auto& p) { return p.first == Tok::Newline; });
    return v;
  };
  const auto again = text_detail::tokenize(out, source, true);
  auto comments = [](const std::vector<Token>& v) {
    std::vector<std::string> c;
    for (const Token& t : v)
      if (t.kind == Tok::Comment) c.push_back(t.text);
    return c;
  };
  if (without_newlines(meaning(tokens)) != without_newlines(meaning(again)) || comments(tokens) != comments(again))
    throw InputError(fmt::format("{}: formatting would change the file's statements or comments; this is a bug in "
                                 "seccage fmt, please report it (nothing was written)",
                                 source));
  return out;
}

}  // namespace seccage
