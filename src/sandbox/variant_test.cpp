// The supervised variant must send exactly the deny paths (plus exec) to the
// supervisor: checked by evaluating both policies on every syscall number of
// each preset and of Docker's profile, at argument values around every
// constant the policies compare with.
#include "sandbox/variant.hpp"

#include <gtest/gtest.h>

#include "seccage/presets.hpp"
#include "seccage/sandbox.hpp"
#include "support/probe_args.hpp"

namespace seccage::sandbox {
namespace {

void expect_variant_sound(const Policy& original) {
  const Policy variant = notify_variant(original);
  Classifier orig(original), var(variant);
  const Arch arch = native_arch();
  const std::uint32_t audit = arch_info(arch).audit_arch;
  const auto args_list = test::probe_args(original);
  std::vector<std::uint32_t> numbers;
  for (const auto& e : syscall_table(arch)) numbers.push_back(e.nr);
  numbers.push_back(arch_info(arch).max_nr + 7);  // unknown to the table
  for (std::uint32_t nr : numbers) {
    const bool exec = syscall_name(arch, nr) == "execve" || syscall_name(arch, nr) == "execveat";
    for (const auto& args : args_list) {
      const Action o = orig.classify(audit, nr, args).action;
      const Action v = var.classify(audit, nr, args).action;
      if (exec || (o.denies() && o.kind != ActionKind::Trap)) {
        ASSERT_EQ(v, Action::user_notif()) << "nr " << nr << " original " << o.to_string();
      } else {
        ASSERT_EQ(v, o) << "nr " << nr;
      }
    }
  }
}

TEST(SandboxVariant, PresetsKeepAllowsInTheKernelAndNotifyDenials) {
  for (const auto& p : presets()) {
    SCOPED_TRACE(std::string(p.name));
    expect_variant_sound(preset_policy(p.name));
  }
}

// A TRAP is the kernel's to carry out (only it can raise SIGSYS with
// SYS_SECCOMP); a foreign ABI's call goes to the supervisor, which names it.
TEST(SandboxVariant, TrapsStayInTheKernelAndForeignArchesNotify) {
  Policy p;
  p.default_action = Action::trap();
  p.rules.push_back({std::string("write"), Action::allow(), {}, "t"});
  p.rules.push_back({std::string("getpid"), Action::kill_process(), {}, "t"});
  const Policy v = notify_variant(p);
  EXPECT_EQ(v.default_action, Action::trap());
  EXPECT_EQ(v.bad_arch_action, Action::user_notif());
  Classifier var(v);
  const Arch arch = native_arch();
  const std::uint32_t audit = arch_info(arch).audit_arch;
  EXPECT_EQ(var.classify(audit, *syscall_number(arch, "getppid"), {}).action, Action::trap());
  EXPECT_EQ(var.classify(audit, *syscall_number(arch, "getpid"), {}).action, Action::user_notif());
  EXPECT_EQ(var.classify(audit, *syscall_number(arch, "write"), {}).action, Action::allow());
  p.bad_arch_action = Action::trap();
  EXPECT_EQ(notify_variant(p).bad_arch_action, Action::trap());
  // --permissive: traps are reported and let through like every denial.
  const Policy permissive = notify_variant(p, {}, false);
  EXPECT_EQ(permissive.default_action, Action::user_notif());
  EXPECT_EQ(permissive.bad_arch_action, Action::user_notif());
}

TEST(SandboxVariant, SeedPolicyAndMixedActions) {
  Policy p;
  p.default_action = Action::allow();
  p.rules.push_back({std::string("write"), Action::kill_process(), {arg(0) != 1}, "seed"});
  p.rules.push_back({std::string("openat"), Action::errno_(13), {(arg(2) & 3) == 1}, "t"});
  p.rules.push_back({std::string("openat"), Action::trap(), {(arg(2) & 3) == 2}, "t"});
  p.rules.push_back({std::string("getppid"), Action::trap(), {}, "t"});
  p.rules.push_back({std::string("getpid"), Action::log(), {}, "t"});
  p.rules.push_back({std::string("execve"), Action::allow(), {}, "t"});
  expect_variant_sound(p);
  Policy q = p;
  q.default_action = Action::kill_process();
  q.rules.push_back({std::string("read"), Action::allow(), {arg(0) == 0}, "t"});
  expect_variant_sound(q);
}

TEST(SandboxVariant, ClassifierNamesTheRule) {
  Policy p;
  p.default_action = Action::allow();
  p.rules.push_back({std::string("write"), Action::kill_process(), {arg(0) != 1}, "--kill write:arg0!=1"});
  p.rules.push_back({std::string("execve"), Action::errno_(1), {}, "--deny execve:EPERM"});
  Classifier c(p);
  const Arch arch = native_arch();
  const std::uint32_t audit = arch_info(arch).audit_arch;
  auto w = c.classify(audit, *syscall_number(arch, "write"), {2, 0, 0, 0, 0, 0});
  EXPECT_EQ(w.action, Action::kill_process());
  EXPECT_EQ(w.rule, 0);
  EXPECT_EQ(w.rule_text, "write: arg0 != 1");
  EXPECT_EQ(w.origin.to_string(), "--kill write:arg0!=1");
  auto e = c.classify(audit, *syscall_number(arch, "execve"), {});
  EXPECT_EQ(e.rule, 1);  // unconditional: found from the decision's fallthrough
  EXPECT_EQ(e.rule_text, "execve");
  auto ok = c.classify(audit, *syscall_number(arch, "write"), {1, 0, 0, 0, 0, 0});
  EXPECT_EQ(ok.action, Action::allow());
  auto foreign = c.classify(0x12345, 1, {});
  EXPECT_FALSE(foreign.known_arch);
  EXPECT_EQ(foreign.action, p.bad_arch_action);
  // Numbers newer than the table get ENOSYS when the default denies.
  Policy k;
  k.default_action = Action::kill_process();
  Classifier ck(k);
  auto u = ck.classify(audit, arch_info(arch).max_nr + 7, {});
  EXPECT_TRUE(u.unknown_number);
  EXPECT_EQ(u.action, Action::errno_(38));
}

}  // namespace
}  // namespace seccage::sandbox
