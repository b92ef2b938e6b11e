#include "profile/text_lexer.hpp"

#include <gtest/gtest.h>

#include "seccage/error.hpp"

namespace seccage::text_detail {
namespace {

TEST(TextLexer, TokensWithPositions) {
  auto t = tokenize("kill write: arg0 != 1 # why\n  allow @system-service, -100 \"a\\\"b\"", "f");
  std::vector<std::pair<Tok, std::string>> want = {
      {Tok::Word, "kill"}, {Tok::Word, "write"}, {Tok::Colon, ":"},  {Tok::Word, "arg0"},
      {Tok::Ne, "!="},     {Tok::Number, "1"},   {Tok::Newline, "\\n"}, {Tok::Word, "allow"},
      {Tok::Group, "@system-service"}, {Tok::Comma, ","}, {Tok::Number, "-100"}, {Tok::String, "a\"b"},
      {Tok::End, ""}};
  ASSERT_EQ(t.size(), want.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_EQ(t[i].kind, want[i].first) << i;
    EXPECT_EQ(t[i].text, want[i].second) << i;
  }
  EXPECT_EQ(t[7].line, 2u);
  EXPECT_EQ(t[7].col, 3u);
  EXPECT_EQ(t[8].col, 9u);
}

TEST(TextLexer, OperatorsAndContinuation) {
  auto t = tokenize("a || b && c | d & e <= f >= g < h > i == j \\\n k", "f");
  std::vector<Tok> kinds;
  for (const Token& x : t) kinds.push_back(x.kind);
  EXPECT_EQ(kinds, (std::vector<Tok>{Tok::Word, Tok::OrOr, Tok::Word, Tok::AndAnd, Tok::Word, Tok::Pipe, Tok::Word,
                                     Tok::Amp, Tok::Word, Tok::Le, Tok::Word, Tok::Ge, Tok::Word, Tok::Lt, Tok::Word,
                                     Tok::Gt, Tok::Word, Tok::Eq, Tok::Word, Tok::Word, Tok::End}));
  EXPECT_EQ(t[19].line, 2u);
}

TEST(TextLexer, ErrorsCarryTheLocation) {
  auto err = [](std::string_view s) {
    try {
      tokenize(s, "f.policy");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(err("allow\n  read ; x"), "f.policy:2:8: unexpected ';'");
  EXPECT_EQ(err("x \"abc\ny"), "f.policy:1:3: unterminated string (expected '\"' before the end of the line)");
  EXPECT_EQ(err("a = b"), "f.policy:1:3: unexpected '=' (comparisons are written '==')");
  EXPECT_EQ(err("a ! b"), "f.policy:1:3: unexpected '!' (did you mean '!='?)");
  EXPECT_EQ(err("\x01"), "f.policy:1:1: unexpected byte 0x01");
}

}  // namespace
}  // namespace seccage::text_detail
