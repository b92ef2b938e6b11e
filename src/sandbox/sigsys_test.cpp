#include "sandbox/sigsys.hpp"

#include <gtest/gtest.h>

namespace seccage::sandbox {
namespace {

SigsysFacts supervised() {
  SigsysFacts f;
  f.supervised = true;
  return f;
}

TEST(SandboxSigsys, SeccagesOwnKillIsThePolicys) {
  SigsysFacts f = supervised();
  f.killed_by_seccage = true;
  f.policy_traps = f.own_filter = true;  // seccage's kill is certain: nothing else matters
  const SigsysVerdict v = explain_sigsys(f);
  EXPECT_EQ(v.cause.cause, "policy_kill");
  EXPECT_FALSE(v.violation);  // recorded when the call was made
}

TEST(SandboxSigsys, AnObservedSenderIsASignal) {
  SigsysFacts f = supervised();
  f.sent_by = "pid 2: kill(pid=2, sig=SIGSYS)";
  f.policy_traps = true;
  const SigsysVerdict v = explain_sigsys(f);
  EXPECT_EQ(v.cause.cause, "signal");
  EXPECT_NE(v.cause.detail.find("kill(pid=2"), std::string::npos);
  EXPECT_FALSE(v.violation);
}

TEST(SandboxSigsys, AnUnhandledTrapIsOneViolationNamingTheRule) {
  SigsysFacts f = supervised();
  f.policy_traps = true;
  f.trap_rule = "write: arg0 != 1";
  const SigsysVerdict v = explain_sigsys(f);
  EXPECT_EQ(v.cause.cause, "policy_trap");
  EXPECT_TRUE(v.violation);
  EXPECT_EQ(v.rule, "write: arg0 != 1");
}

TEST(SandboxSigsys, TheProgramsOwnFilterIsNotThePolicysViolation) {
  SigsysFacts f = supervised();
  f.own_filter = true;
  const SigsysVerdict v = explain_sigsys(f);
  EXPECT_EQ(v.cause.cause, "own_filter");
  EXPECT_FALSE(v.violation);
  f.policy_traps = true;  // both could have: said so
  const SigsysVerdict both = explain_sigsys(f);
  EXPECT_EQ(both.cause.cause, "uncertain");
  EXPECT_TRUE(both.violation);
}

TEST(SandboxSigsys, NothingInsideCouldHaveSoItCameFromOutside) {
  const SigsysVerdict v = explain_sigsys(supervised());
  EXPECT_EQ(v.cause.cause, "signal");
  EXPECT_NE(v.cause.detail.find("outside"), std::string::npos);
  EXPECT_FALSE(v.violation);
}

TEST(SandboxSigsys, WithoutNotificationOnlyThePolicysPossibilities) {
  SigsysFacts f;
  f.policy_kills = true;
  const SigsysVerdict v = explain_sigsys(f);
  EXPECT_EQ(v.cause.cause, "uncertain");
  EXPECT_TRUE(v.violation);
  EXPECT_EQ(v.rule, "the policy (plain filter)");
  const SigsysVerdict none = explain_sigsys(SigsysFacts{});
  EXPECT_EQ(none.cause.cause, "unknown");
  EXPECT_FALSE(none.violation);
}

}  // namespace
}  // namespace seccage::sandbox
