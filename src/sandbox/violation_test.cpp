#include "sandbox/violation.hpp"

#include <gtest/gtest.h>

namespace seccage::sandbox {
namespace {

Classification denied_write() {
  Classification c;
  c.known_arch = true;
  c.arch = Arch::x86_64;
  c.action = Action::kill_process();
  c.rule = 3;
  c.rule_text = "write: arg0 != 1";
  c.origin = RuleOrigin::in_text("p.policy", 4, 1);
  c.name = "write";
  return c;
}

HeldCall write_to_stderr() {
  HeldCall call;
  call.tid = 42;
  call.nr = 1;
  call.audit_arch = 0xc000003e;
  call.args = {2, 0x1000, 19, 0, 0, 0};
  return call;
}

TEST(SandboxViolation, TakesTheCallFromTheNotificationAndTheVerdictFromTheClassification) {
  Violation v = violation_of(write_to_stderr(), denied_write());
  EXPECT_EQ(v.syscall, "write");
  EXPECT_EQ(v.nr, 1u);
  EXPECT_EQ(v.arch, "x86_64");
  EXPECT_EQ(v.pid, 42);  // until the caller reads the thread group
  EXPECT_EQ(v.tid, 42);
  EXPECT_EQ(v.args[2], 19u);
  EXPECT_TRUE(v.args_known);
  EXPECT_EQ(v.action, Action::kill_process());
  EXPECT_EQ(v.rule, "write: arg0 != 1");
  EXPECT_EQ(v.origin, RuleOrigin::in_text("p.policy", 4, 1));
  EXPECT_EQ(v.origin.to_string(), "p.policy:4:1");
  EXPECT_TRUE(v.outcome.empty());  // the supervisor says what it did
}

TEST(SandboxViolation, AnUnnamedCallOfAForeignAbiKeepsTheKernelsNumbers) {
  Classification c = denied_write();
  c.known_arch = false;
  c.name.reset();
  HeldCall call = write_to_stderr();
  call.nr = 4;
  call.audit_arch = 0x40000003;  // i386, in a policy without it
  Violation v = violation_of(call, c);
  EXPECT_EQ(v.syscall, "#4");
  EXPECT_EQ(v.arch, "audit 0x40000003");
}

TEST(SandboxViolation, DecodesFromRegistersWhenMemoryCannotBeRead) {
  Violation v = violation_of(write_to_stderr(), denied_write());
  decode_arguments(v, denied_write(), MemoryReader{}, DecodeOptions{});
  EXPECT_EQ(v.decoded.rfind("write(fd=2", 0), 0u) << v.decoded;
  ASSERT_EQ(v.arguments.size(), 3u);
  EXPECT_EQ(v.arguments[0].name, "fd");
  EXPECT_EQ(v.arguments[2].raw, 19u);
}

TEST(SandboxViolation, AKernelKillShowsNoCall) {
  Violation v = violation_unseen(7, "write: arg0 != 1", RuleOrigin::named("policy"), Action::kill_process());
  EXPECT_EQ(v.pid, 7);
  EXPECT_EQ(v.tid, 7);
  EXPECT_EQ(v.syscall, "?");
  EXPECT_FALSE(v.args_known);
  EXPECT_TRUE(v.arguments.empty());
  EXPECT_EQ(v.rule, "write: arg0 != 1");
  EXPECT_EQ(v.origin.to_string(), "policy");
}

}  // namespace
}  // namespace seccage::sandbox
