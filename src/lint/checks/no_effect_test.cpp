// The check in no_effect.cpp, on small profiles written for it.
#include <gtest/gtest.h>

#include <algorithm>

#include "lint/checks/check_test_util.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

using namespace lint_testing;

TEST(LintNoEffect, TextConditionalAllowAfterAnAllowOfTheSyscallLimitsNothing) {
  const LintReport r = lint_text(
      "default errno(EPERM)\narch x86_64\nallow read, socket, mmap\n"
      "allow socket: arg0 == AF_INET || arg0 == AF_UNIX\n"
      "allow mmap: arg2 & PROT_EXEC == 0\n");
  const auto f = with_code(r, "no-effect");
  ASSERT_EQ(f.size(), 2u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_EQ(f[0].subject, "socket");
  EXPECT_EQ(f[0].location.line, 4u);
  EXPECT_NE(f[0].message.find("t.policy:3:"), std::string::npos) << f[0].message;  // the earlier statement
  EXPECT_NE(f[0].message.find("arg0 == 2 || arg0 == 1"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[1].subject, "mmap");
  EXPECT_EQ(f[1].location.line, 5u);
  // The earlier statement is not reported as well.
  for (const Finding& x : r.findings) EXPECT_NE(x.location.line, 3u) << dump(r);
}

TEST(LintNoEffect, TextTakingTheSyscallBackFirstMakesTheConditionCount) {
  const LintReport r = lint_text(
      "default errno(EPERM)\narch x86_64\nallow read, socket\ndeny socket\n"
      "allow socket: arg0 == AF_INET\n");
  EXPECT_TRUE(with_code(r, "no-effect").empty()) << dump(r);
}

TEST(LintNoEffect, TextAloneOrNarrowingIsNotReported) {
  // One statement deciding the syscall by itself, and a later allow on part
  // of what an earlier conditional statement left denied, both matter.
  LintReport r = lint_text("default errno(EPERM)\narch x86_64\nallow socket: arg0 == AF_INET || arg0 != AF_INET\n");
  EXPECT_TRUE(with_code(r, "no-effect").empty()) << dump(r);
  r = lint_text("default errno(EPERM)\narch x86_64\nallow socket: arg0 == AF_INET\nallow socket: arg0 == AF_UNIX\n");
  EXPECT_TRUE(with_code(r, "no-effect").empty()) << dump(r);
}

TEST(LintNoEffect, JsonConditionalAllowBesideAnUnconditionalAllow) {
  // In JSON the order does not matter (libseccomp): the unconditional rule
  // decides socket whether it comes first or last.
  for (const bool unconditional_first : {true, false}) {
    const std::string all = R"({"names": ["read", "socket"], "action": "SCMP_ACT_ALLOW"})";
    const std::string cond =
        R"({"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]})";
    const LintReport r =
        lint_json(profile(unconditional_first ? all + "," + cond : cond + "," + all, R"("SCMP_ACT_ERRNO")"));
    const auto f = with_code(r, "no-effect");
    ASSERT_EQ(f.size(), 1u) << dump(r);
    EXPECT_EQ(f[0].location.pointer, unconditional_first ? "/syscalls/1/names/0" : "/syscalls/0/names/0");
    EXPECT_NE(f[0].message.find("unconditionally"), std::string::npos) << f[0].message;
  }
}

TEST(LintNoEffect, JsonConditionalAllowThatLimitsIsNotReported) {
  const LintReport r = lint_json(profile(
      R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"},
         {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]})",
      R"("SCMP_ACT_ERRNO")"));
  EXPECT_TRUE(with_code(r, "no-effect").empty()) << dump(r);
}

}  // namespace
}  // namespace seccage
