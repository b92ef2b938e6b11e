#include <gtest/gtest.h>

#include <map>

#include <fmt/format.h>

#include "profile/text_test_util.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/formats.hpp"

namespace seccage {
namespace {

ForeignPolicy read(const std::string& text, std::vector<Arch> arches = {Arch::x86_64},
                   std::map<std::string, std::string> files = {}) {
  ForeignPolicyOptions o;
  o.arches = std::move(arches);
  o.read_file = [files](const std::filesystem::path& p) {
    auto it = files.find(p.string());
    if (it == files.end()) throw InputError("no such file");
    return it->second;
  };
  return read_minijail_policy_text(text, "dir/t.policy", o);
}

std::string error_of(const std::string& text, std::vector<Arch> arches = {Arch::x86_64}) {
  try {
    (void)read(text, std::move(arches));
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

Action decide(const ForeignPolicy& p, std::string_view name, std::array<std::uint64_t, 6> args = {},
              Arch arch = Arch::x86_64) {
  return text_test::decide(compile(p.policy), arch, name, args);
}

TEST(MinijailReader, UnlistedSyscallsAreKilled) {
  const ForeignPolicy p = read("read: 1\nwrite: allow\n");
  EXPECT_EQ(p.policy.default_action, Action::kill_process());
  EXPECT_EQ(decide(p, "read"), Action::allow());
  EXPECT_EQ(decide(p, "write"), Action::allow());
  EXPECT_EQ(decide(p, "openat"), Action::kill_process());
  EXPECT_EQ(p.policy.rules[0].origin.to_string(), "dir/t.policy:1:1");
}

TEST(MinijailReader, ReturnAfterAnExpressionIsWhatFailsIt) {
  // libminijail: allowed when the expression holds, errno otherwise.
  const ForeignPolicy p = read("ioctl: arg1 == TCGETS; return ENOTTY\nkill: return EPERM\n");
  EXPECT_EQ(decide(p, "ioctl", {0, 0x5401}), Action::allow());
  EXPECT_EQ(decide(p, "ioctl", {0, 0x5402}), Action::errno_(25));
  EXPECT_EQ(decide(p, "kill"), Action::errno_(1)) << "'kill' as a syscall name";
}

TEST(MinijailReader, Operators) {
  const ForeignPolicy p = read(
      "mmap: arg2 in ~PROT_EXEC\nclone: arg0 & CLONE_THREAD|CLONE_VM\nfcntl: arg1 >= 1 && arg1 <= 3 || arg1 > 100\n"
      "getrandom: arg2 < 8 && arg1 != 0\nmprotect: arg2 in (PROT_READ | PROT_WRITE)\nlseek: arg1 == -1\n");
  EXPECT_EQ(decide(p, "mmap", {0, 0, 3}), Action::allow());
  EXPECT_EQ(decide(p, "mmap", {0, 0, 7}), Action::kill_process());
  EXPECT_EQ(decide(p, "clone", {0x100}), Action::allow());
  EXPECT_EQ(decide(p, "clone", {0x11}), Action::kill_process());
  EXPECT_EQ(decide(p, "fcntl", {0, 2}), Action::allow());
  EXPECT_EQ(decide(p, "fcntl", {0, 4}), Action::kill_process());
  EXPECT_EQ(decide(p, "fcntl", {0, 101}), Action::allow());
  EXPECT_EQ(decide(p, "getrandom", {0, 1, 7}), Action::allow());
  EXPECT_EQ(decide(p, "getrandom", {0, 0, 7}), Action::kill_process());
  EXPECT_EQ(decide(p, "mprotect", {0, 0, 3}), Action::allow());
  EXPECT_EQ(decide(p, "mprotect", {0, 0, 4}), Action::kill_process());
  EXPECT_EQ(decide(p, "lseek", {0, ~0ull}), Action::allow());
  EXPECT_EQ(decide(p, "lseek", {0, 0xffffffff}), Action::kill_process()) << "-1 is 64 bits wide on x86_64";
}

TEST(MinijailReader, ThirtyTwoBitArchesCompareTheLowWord) {
  const ForeignPolicy p = read("read: arg0 == -1\nwrite: arg0 in ~1\n", {Arch::i386});
  EXPECT_EQ(decide(p, "read", {0xffffffff}, Arch::i386), Action::allow());
  EXPECT_EQ(decide(p, "write", {2}, Arch::i386), Action::allow());
  EXPECT_EQ(decide(p, "write", {3}, Arch::i386), Action::kill_process());
  EXPECT_NE(error_of("read: arg0 == 0x100000000\n", {Arch::i386}).find("does not fit in a 32-bit arch's word"),
            std::string::npos);
}

TEST(MinijailReader, Actions) {
  const ForeignPolicy p = read("ptrace: kill-thread\nuname: log\ngetpid: trap\nfutex: user-notify\ngetppid: trace\n"
                               "exit: kill\n@default trap\n");
  EXPECT_EQ(decide(p, "ptrace"), Action::kill_thread());
  EXPECT_EQ(decide(p, "uname"), Action::log());
  EXPECT_EQ(decide(p, "getpid"), Action::trap());
  EXPECT_EQ(decide(p, "futex"), Action::user_notif());
  EXPECT_EQ(decide(p, "getppid"), Action::trace(0));
  EXPECT_EQ(decide(p, "exit"), Action::kill_process());
  EXPECT_EQ(decide(p, "read"), Action::trap()) << "@default";
}

TEST(MinijailReader, IncludesAreRelativeToTheFile) {
  const ForeignPolicy p = read("@include ./common.policy\nread: 1\n", {Arch::x86_64},
                               {{"dir/common.policy", "close: 1\n"}});
  EXPECT_EQ(p.files, (std::vector<std::string>{"dir/t.policy", "dir/common.policy"}));
  EXPECT_EQ(decide(p, "close"), Action::allow());
  EXPECT_NE(error_of("@include common.policy\n").find("implicit relative"), std::string::npos);
  EXPECT_NE(error_of("@include ./missing.policy\n").find("dir/t.policy:1:10: minijail: cannot @include dir/missing.policy"),
            std::string::npos)
      << error_of("@include ./missing.policy\n");
  try {
    (void)read("@include ./t.policy\n", {Arch::x86_64}, {{"dir/t.policy", "@include ./t.policy\n"}});
    ADD_FAILURE() << "a cycle must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cycle"), std::string::npos) << e.what();
  }
}

TEST(MinijailReader, ErrorsNameTheFormatLineAndColumn) {
  EXPECT_NE(error_of("read: 1\nwrite: arg0 == O_NOPE\n").find("dir/t.policy:2:16: minijail: unknown constant 'O_NOPE'"),
            std::string::npos)
      << error_of("read: 1\nwrite: arg0 == O_NOPE\n");
  EXPECT_NE(error_of("reed: 1\n").find("dir/t.policy:1:1: minijail: nonexistent syscall 'reed' on x86_64 (did you mean 'read'?)"),
            std::string::npos)
      << error_of("reed: 1\n");
  EXPECT_NE(error_of("_llseek: 1\n").find("exists on other arches"), std::string::npos);
  EXPECT_NE(error_of("read: 1\nread: 1\n").find("already has a filter at dir/t.policy:1"), std::string::npos);
  EXPECT_NE(error_of("read: arg0 = 1\n").find("1:12: minijail: expected an operator"), std::string::npos)
      << error_of("read: arg0 = 1\n");
  EXPECT_NE(error_of("read: arg0 == 1; kill\n").find("expects 'return ERRNO'"), std::string::npos);
  EXPECT_NE(error_of("read: { allow }\n").find("not supported"), std::string::npos);
  EXPECT_NE(error_of("io@libc: 1\n").find("syscall groups"), std::string::npos);
  EXPECT_NE(error_of("read[arch=x86_64]: 1\n").find("metadata"), std::string::npos);
  EXPECT_NE(error_of("@denylist\n").find("not supported"), std::string::npos);
  EXPECT_NE(error_of("read: return 5000\n").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("read: 1 2\n").find("unexpected '2'"), std::string::npos);
  EXPECT_NE(error_of("@default allow\n").find("cannot be the default"), std::string::npos);
}

TEST(MinijailReader, HostileInputGetsAnErrorNotACrash) {
  EXPECT_NE(error_of("read: arg0 == " + std::string(100000, '(') + "1\n").find("nested too deep"), std::string::npos);
  std::string wide = "read: arg0 != 1";
  for (int i = 1; i < 6; ++i) wide += fmt::format(" && arg{} != {}", i, i);
  for (int k = 0; k < 12; ++k) wide += fmt::format(" || arg0 & {} && arg1 & {} && arg2 & {}", 1 << k, 2 << k, 4 << k);
  const std::string e = error_of(wide + "\n");
  EXPECT_TRUE(e == "no error" || e.find("split it") != std::string::npos) << e;
  EXPECT_NE(error_of("read: arg0 == 99999999999999999999\n").find("does not fit in 64 bits"), std::string::npos);
  EXPECT_NE(error_of("read: arg0 == 0x\n").find("not a number"), std::string::npos);
}

TEST(MinijailReader, ContinuationsAndComments) {
  const ForeignPolicy p = read("# comment\nwrite: arg0 == 1 || \\\n  arg0 == 2  # trailing\n");
  EXPECT_EQ(decide(p, "write", {2}), Action::allow());
  EXPECT_EQ(decide(p, "write", {3}), Action::kill_process());
  EXPECT_EQ(p.policy.rules.at(0).origin.to_string(), "dir/t.policy:2:1");
  EXPECT_EQ(p.policy.rules.at(0).origin, RuleOrigin::in_text("dir/t.policy", 2, 1));
}

}  // namespace
}  // namespace seccage
