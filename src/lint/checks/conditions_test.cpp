// The check in conditions.cpp, on small profiles written for it.
#include <gtest/gtest.h>

#include <algorithm>

#include "lint/checks/check_test_util.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

using namespace lint_testing;

TEST(LintConditions, NeverAndAlwaysMatching) {
  const LintReport r = lint_json(profile(
      R"({"names": ["mmap"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 2, "value": 4, "valueTwo": 5, "op": "SCMP_CMP_MASKED_EQ"}]},
         {"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 18446744073709551615, "op": "SCMP_CMP_GT"}]},
         {"names": ["write"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_LT"}]},
         {"names": ["close"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_GE"}]})"));
  // mmap's valueTwo 5 outside the mask 4 can match: libseccomp compares
  // with 5 & 4 = 4 (issue 12: check said it never matches).
  const auto never = with_code(r, "never-matches");
  ASSERT_EQ(never.size(), 2u) << dump(r);
  for (const auto& f : never) EXPECT_EQ(f.subject.find("mmap"), std::string::npos) << f.message;
  const auto masked = with_code(r, "masked-value-outside-mask");
  ASSERT_EQ(masked.size(), 1u) << dump(r);
  EXPECT_NE(masked[0].message.find("masked argument is 0x4"), std::string::npos) << masked[0].message;
  const auto always = with_code(r, "always-matches");
  ASSERT_EQ(always.size(), 1u) << dump(r);
  EXPECT_EQ(always[0].severity, Severity::Info);
}

TEST(LintConditions, WideOperandOn32BitArch) {
  const LintReport r = lint_json(
      profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967297, "op": "SCMP_CMP_EQ"}]})",
              R"("SCMP_ACT_ERRNO", "defaultErrnoRet": 38)", R"(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"])"));
  const auto f = with_code(r, "wide-operand-on-32bit");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("i386"), std::string::npos);
}

TEST(LintNoise, MaskedValueOutsideTheMaskIsReportedOnce) {
  const LintReport r = lint_json(profile(
      R"({"names": ["mmap"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 2, "value": 4, "valueTwo": 5, "op": "SCMP_CMP_MASKED_EQ"}]})"));
  EXPECT_EQ(with_code(r, "masked-value-outside-mask").size(), 1u) << dump(r);
  for (const Finding& x : with_code(r, "profile-warning"))
    EXPECT_EQ(x.message.find("outside the mask"), std::string::npos) << dump(r);
}

}  // namespace
}  // namespace seccage
