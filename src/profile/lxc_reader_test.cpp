#include <gtest/gtest.h>

#include "profile/text_test_util.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/formats.hpp"

namespace seccage {
namespace {

ForeignPolicy read(const std::string& text, Arch host = Arch::x86_64) {
  ForeignPolicyOptions o;
  o.host_arch = host;
  return read_lxc_policy_text(text, "c.seccomp", o);
}

std::string error_of(const std::string& text) {
  try {
    (void)read(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

Action decide(const ForeignPolicy& p, std::string_view name, std::array<std::uint64_t, 6> args = {},
              Arch arch = Arch::x86_64) {
  return text_test::decide(compile(p.policy), arch, name, args);
}

TEST(LxcReader, Version1IsAnAllowlistOfNumbers) {
  const ForeignPolicy p = read("1\nallowlist\n0\n1\n60\n");
  EXPECT_EQ(p.policy.default_action, Action::kill_thread());
  EXPECT_EQ(decide(p, "read"), Action::allow());
  EXPECT_EQ(decide(p, "exit"), Action::allow());
  EXPECT_EQ(decide(p, "openat"), Action::kill_thread());
  EXPECT_EQ(p.policy.arches, std::vector<Arch>{Arch::x86_64}) << "numbers of the native arch only";
  EXPECT_NE(error_of("1\nallowlist\n0\nread\n").find("c.seccomp:4: LXC: version 1 lines are syscall numbers"),
            std::string::npos);
  EXPECT_NE(error_of("1\ndenylist\n").find("only 'allowlist'"), std::string::npos);
}

TEST(LxcReader, DenylistDefaultsAndActions) {
  const ForeignPolicy p = read("2\ndenylist\nmount\nkexec_load errno 1\numount2 errno 13 [1,1,&=,1]\nptrace trap\n"
                               "bpf notify\n");
  EXPECT_EQ(p.policy.default_action, Action::allow());
  EXPECT_EQ(decide(p, "mount"), Action::kill_thread()) << "a rule with no action gets kill in a denylist";
  EXPECT_EQ(decide(p, "kexec_load"), Action::errno_(1));
  EXPECT_EQ(decide(p, "umount2", {0, 3}), Action::errno_(13));
  EXPECT_EQ(decide(p, "umount2", {0, 2}), Action::allow());
  EXPECT_EQ(decide(p, "ptrace"), Action::trap());
  EXPECT_EQ(decide(p, "bpf"), Action::user_notif());
  EXPECT_EQ(decide(p, "mount", {}, Arch::i386), Action::kill_thread()) << "the filter covers the compat arches";
  EXPECT_EQ(read("2\nblacklist errno 38\nmount\n").policy.default_action, Action::errno_(38));
  // Each rule's origin is its file and line; lxc lines have no column.
  ASSERT_FALSE(p.policy.rules.empty());
  EXPECT_EQ(p.policy.rules.front().origin, RuleOrigin::in_text("c.seccomp", 3));
  EXPECT_EQ(p.policy.rules.front().origin.to_string(), "c.seccomp:3");
}

TEST(LxcReader, SectionsApplyOnTheirHostsOnly) {
  const std::string conf = "2\nallowlist errno 1\n[arm64]\nread\n[ALL]\nwrite\n[x86_64]\nclose\n";
  const ForeignPolicy x86 = read(conf);
  EXPECT_EQ(decide(x86, "read"), Action::errno_(1));
  EXPECT_EQ(decide(x86, "write"), Action::allow());
  EXPECT_EQ(decide(x86, "close"), Action::allow());
  EXPECT_EQ(decide(x86, "close", {}, Arch::i386), Action::allow()) << "lxc adds section rules to every arch";
  const ForeignPolicy arm = read(conf, Arch::aarch64);
  EXPECT_EQ(arm.policy.arches, (std::vector<Arch>{Arch::aarch64, Arch::arm}));
  EXPECT_EQ(decide(arm, "read", {}, Arch::aarch64), Action::allow());
  EXPECT_EQ(decide(arm, "close", {}, Arch::aarch64), Action::errno_(1));
  EXPECT_NE(error_of("2\nallowlist\n[i386]\n").find("c.seccomp:3: LXC: unsupported architecture section '[i386]' (lxc calls it [x86])"),
            std::string::npos)
      << error_of("2\nallowlist\n[i386]\n");
  EXPECT_NE(error_of("2\nallowlist\n[X86_64\n").find("unsupported architecture"), std::string::npos);
}

TEST(LxcReader, Arguments) {
  const ForeignPolicy p = read("2\nallowlist\nfcntl allow [1,4,SCMP_CMP_LE] [0,0x10,<]\nsocket allow [0,1,==]\n");
  EXPECT_EQ(decide(p, "fcntl", {3, 4}), Action::allow());
  EXPECT_EQ(decide(p, "fcntl", {16, 4}), Action::kill_thread());
  EXPECT_EQ(decide(p, "socket", {1}), Action::allow());
  EXPECT_EQ(decide(p, "socket", {0x100000001}), Action::kill_thread()) << "64-bit comparison, as libseccomp";
  EXPECT_NE(error_of("2\nallowlist\nfcntl [1,4,==]\n").find("needs the action before it"), std::string::npos);
  EXPECT_NE(error_of("2\nallowlist\nfcntl allow [1,4,=~]\n").find("unknown comparison '=~'"), std::string::npos);
  EXPECT_NE(error_of("2\nallowlist\nfcntl allow [6,4,==]\n").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("2\nallowlist\nfcntl allow [1,4,==] [1,5,==]\n").find("two conditions on argument 1"),
            std::string::npos);
  EXPECT_NE(error_of("2\nallowlist\nfcntl allow [1,x,==]\n").find("not an unsigned 64-bit number"), std::string::npos);
}

TEST(LxcReader, ErrorsAndWarnings) {
  EXPECT_NE(error_of("3\nallowlist\n").find("c.seccomp:1: LXC: the first line must be the version"), std::string::npos);
  EXPECT_NE(error_of("2\ngreylist\n").find("c.seccomp:2: LXC: expected 'allowlist' or 'denylist'"), std::string::npos);
  EXPECT_NE(error_of("2\nallowlist debug\n").find("debug"), std::string::npos);
  EXPECT_NE(error_of("2\nallowlist\nread frobnicate\n").find("c.seccomp:3: LXC: unknown action 'frobnicate'"),
            std::string::npos);
  EXPECT_NE(error_of("2\nallowlist\nread kill\n").find("is the default action"), std::string::npos);
  EXPECT_NE(error_of("2\nallowlist\nread errno 5000\n").find("0 to 4095"), std::string::npos);
  const ForeignPolicy p = read("2\nallowlist\nreed\n# comment\n\nread # allowed\n");
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_NE(p.warnings[0].find("c.seccomp:3: LXC: 'reed' is not a syscall"), std::string::npos) << p.warnings[0];
  EXPECT_EQ(decide(p, "read"), Action::allow());
}

}  // namespace
}  // namespace seccage
