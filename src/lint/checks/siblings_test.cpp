// The check in siblings.cpp, on small profiles written for it.
#include <gtest/gtest.h>

#include <algorithm>

#include "lint/checks/check_test_util.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

using namespace lint_testing;

TEST(LintSiblings, DenyingOneNameWhileItsSiblingRunsIsReported) {
  const LintReport text = lint_text("default allow\narch x86_64\nkill mkdir\nerrno(EACCES) open\n");
  auto f = with_code(text, "sibling-open");
  ASSERT_EQ(f.size(), 2u) << dump(text);
  EXPECT_EQ(f[0].location.line, 3u);
  EXPECT_NE(f[0].message.find("mkdirat still runs"), std::string::npos) << f[0].message;
  EXPECT_NE(f[1].message.find("openat, openat2 still run"), std::string::npos) << f[1].message;

  const LintReport json = lint_json(profile(R"({"names": ["mkdir"], "action": "SCMP_ACT_KILL"})", R"("SCMP_ACT_ALLOW")"));
  f = with_code(json, "sibling-open");
  ASSERT_EQ(f.size(), 1u) << dump(json);
  EXPECT_EQ(f[0].location.pointer, "/syscalls/0/names/0");
}

TEST(LintSiblings, CoveredSiblingsAndPlainAllowListsAreQuiet) {
  // Every sibling gets the action: nothing to say.
  LintReport r = lint_text("default allow\narch x86_64\nkill mkdir, mkdirat\n");
  EXPECT_TRUE(with_code(r, "sibling-open").empty()) << dump(r);
  // An allow-list that allows openat and never names open is how such lists
  // are written, not a hole.
  r = lint_json(profile(R"({"names": ["openat", "read"], "action": "SCMP_ACT_ALLOW"})"));
  EXPECT_TRUE(with_code(r, "sibling-open").empty()) << dump(r);
}

}  // namespace
}  // namespace seccage
