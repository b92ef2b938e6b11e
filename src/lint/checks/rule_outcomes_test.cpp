// The check in rule_outcomes.cpp, on small profiles written for it.
#include <gtest/gtest.h>

#include <algorithm>

#include "lint/checks/check_test_util.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

using namespace lint_testing;

TEST(LintShadowed, ConditionalRuleAfterUnconditionalOneIsShadowed) {
  const LintReport r = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "args": [{"index": 0, "value": 3, "op": "SCMP_CMP_EQ"}]})"));
  const auto f = with_code(r, "shadowed-rule");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_EQ(f[0].location.pointer, "/syscalls/1/names/0");
  EXPECT_NE(f[0].message.find("unconditional ALLOW rule"), std::string::npos) << f[0].message;
}

TEST(LintShadowed, EarlierConditionalOverriddenByLaterUnconditionalIsTheOneReported) {
  const LintReport r = lint_json(profile(
      R"({"names": ["write"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "args": [{"index": 0, "value": 3, "op": "SCMP_CMP_EQ"}]},
         {"names": ["write"], "action": "SCMP_ACT_ALLOW"})"));
  const auto f = with_code(r, "shadowed-rule");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].location.pointer, "/syscalls/0/names/0");
}

TEST(LintShadowed, DuplicatesAndRedundantRulesAreInfo) {
  const LintReport r = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["close", "read"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 3, "op": "SCMP_CMP_EQ"}]})"));
  const auto dup = with_code(r, "duplicate-rule");
  ASSERT_EQ(dup.size(), 1u) << dump(r);
  EXPECT_EQ(dup[0].severity, Severity::Info);
  EXPECT_EQ(dup[0].location.pointer, "/syscalls/1/names/1");
  // The conditional ALLOW on a syscall already allowed outright limits
  // nothing: that is the no-effect warning, not a redundant-rule info.
  EXPECT_TRUE(with_code(r, "redundant-rule").empty()) << dump(r);
  const auto none = with_code(r, "no-effect");
  ASSERT_EQ(none.size(), 1u) << dump(r);
  EXPECT_EQ(none[0].location.pointer, "/syscalls/2/names/0");
  EXPECT_TRUE(with_code(r, "shadowed-rule").empty());
}

TEST(LintRefused, LibseccompRefusalIsAnError) {
  const LintReport r = lint_json(profile(
      R"({"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
         {"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5, "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]})"));
  const auto f = with_code(r, "refused-rule");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Error);
  EXPECT_EQ(f[0].location.pointer, "/syscalls/1/names/0");
}

TEST(LintSameAsDefault, RuleWithTheDefaultActionIsReported) {
  const LintReport r = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38})"));
  const auto f = with_code(r, "same-as-default");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Warning);
}

}  // namespace
}  // namespace seccage
