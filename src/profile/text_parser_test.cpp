// The text language end to end: statements -> Policy -> compiled program.
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "profile/text_test_util.hpp"
#include "seccage/error.hpp"
#include "seccage/groups.hpp"
#include "seccage/policy_text.hpp"
#include "seccage/profile.hpp"

namespace seccage {
namespace {

using text_test::decide;
using text_test::same_decisions;
namespace fs = std::filesystem;

TextPolicyOptions x86() {
  TextPolicyOptions o;
  o.host_arch = Arch::x86_64;
  return o;
}

TextPolicy parse(std::string_view text, TextPolicyOptions o = x86()) { return read_text_policy_text(text, "t.policy", o); }

// The error message for `text`, or "" when it parses.
std::string error_of(std::string_view text, TextPolicyOptions o = x86()) {
  try {
    parse(text, o);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// The text language decides on what the kernel uses: conditions on int and
// unsigned int arguments carry that width (syscall_arg_width).
Condition as(Condition c, ArgWidth w) {
  c.width = w;
  return c;
}
constexpr ArgWidth kU32 = ArgWidth::U32, kS32 = ArgWidth::S32;

TEST(TextParser, SeedExampleAllowAllKillWriteToFdOtherThanOne) {
  TextPolicy p = parse("# the libseccomp seed example\ndefault allow\narch x86_64\nkill write: arg0 != 1\n");
  EXPECT_EQ(p.policy.default_action, Action::allow());
  // The rule, then the io_uring guard's three (a policy that kills writes
  // must not leave IORING_OP_WRITE open: src/policy/io_uring_guard.cpp).
  ASSERT_EQ(p.policy.rules.size(), 4u);
  const auto at = std::find_if(p.policy.rules.begin(), p.policy.rules.end(),
                               [](const Rule& x) { return x.syscall == SyscallRef{std::string("write")}; });
  ASSERT_NE(at, p.policy.rules.end());
  const Rule& r = *at;
  EXPECT_EQ(r.syscall, SyscallRef{std::string("write")});
  EXPECT_EQ(r.action, Action::kill_process());
  EXPECT_EQ(r.conditions, (std::vector<Condition>{as(arg(0) != 1, kU32)}));
  EXPECT_EQ(r.origin.to_string(), "t.policy:4:6");
  EXPECT_EQ(r.origin.file, "t.policy");
  EXPECT_EQ(r.origin.line, 4u);
  EXPECT_EQ(r.origin.column, 6u);
  EXPECT_TRUE(r.origin.json_pointer.empty());
  const bpf::Program prog = compile(p.policy);
  EXPECT_EQ(decide(prog, Arch::x86_64, "write", {1}), Action::allow());
  EXPECT_EQ(decide(prog, Arch::x86_64, "write", {2}), Action::kill_process());
  EXPECT_EQ(decide(prog, Arch::x86_64, "read", {2}), Action::allow());
}

TEST(TextParser, AlternativesBecomeSeparateRulesAndConjunctionsOneRule) {
  TextPolicy p = parse(
      "default errno(EPERM)\narch x86_64\n"
      "allow socket: arg0 == AF_INET || arg0 == AF_INET6\n"
      "allow fcntl: arg0 <= 2 && arg1 == F_GETFL\n");
  std::vector<Rule> want = {
      {std::string("fcntl"), Action::allow(), {as(arg(0) <= 2, kU32), as(arg(1) == 3, kU32)}, ""},
      {std::string("socket"), Action::allow(), {as(arg(0) == 2, kS32)}, ""},
      {std::string("socket"), Action::allow(), {as(arg(0) == 10, kS32)}, ""},
  };
  EXPECT_EQ(p.policy.rules, want);
  EXPECT_EQ(p.policy.default_action, Action::errno_(1));
}

TEST(TextParser, MasksFlagsNumbersAndNegativeValues) {
  TextPolicy p = parse(
      "default kill\narch x86_64\n"
      "allow mmap: arg2 & PROT_EXEC == 0\n"
      "allow openat: arg0 == AT_FDCWD && arg2 & (O_WRONLY|O_RDWR) == 0\n"
      "allow ioctl: arg1 == 0x5401 || arg1 == 0b101 || arg1 == 0o17 || arg1 == 017\n");
  std::vector<Rule> want = {
      {std::string("ioctl"), Action::allow(), {as(arg(1) == 0x5401, kU32)}, ""},
      {std::string("ioctl"), Action::allow(), {as(arg(1) == 5, kU32)}, ""},
      {std::string("ioctl"), Action::allow(), {as(arg(1) == 15, kU32)}, ""},  // 0o17 and 017: one rule
      {std::string("mmap"), Action::allow(), {(arg(2) & 4) == 0}, ""},
      {std::string("openat"), Action::allow(), {as(arg(0) == ~std::uint64_t{99}, kS32), as((arg(2) & 3) == 0, kS32)}, ""},
  };
  EXPECT_EQ(p.policy.rules, want);
}

TEST(TextParser, EveryActionSpelling) {
  TextPolicy p = parse(
      "default kill-thread\narch x86_64\n"
      "allow read\nlog getpid\nnotify openat\ntrace(3) uname\ntrap(9) ptrace\ntrap bpf\n"
      "kill mount\nkill-process umount2\nerrno(ENOSYS) clone3\nerrno(13) chroot\ntrace getuid\n");
  std::map<std::string, Action> got;
  for (const Rule& r : p.policy.rules) got[std::get<std::string>(r.syscall)] = r.action;
  EXPECT_EQ(p.policy.default_action, Action::kill_thread());
  EXPECT_EQ(got["read"], Action::allow());
  EXPECT_EQ(got["getpid"], Action::log());
  EXPECT_EQ(got["openat"], Action::user_notif());
  EXPECT_EQ(got["uname"], Action::trace(3));
  EXPECT_EQ(got["getuid"], Action::trace(0));
  EXPECT_EQ(got["ptrace"], Action::trap(9));
  EXPECT_EQ(got["bpf"], Action::trap(0));
  EXPECT_EQ(got["mount"], Action::kill_process());
  EXPECT_EQ(got["umount2"], Action::kill_process());
  EXPECT_EQ(got["clone3"], Action::errno_(38));
  EXPECT_EQ(got["chroot"], Action::errno_(13));
}

TEST(TextParser, GroupsAndRemovalLaterStatementsWin) {
  TextPolicy p = parse("default errno(EPERM)\narch x86_64\nallow @system-service\ndeny @privileged, @mount\n");
  const bpf::Program prog = compile(p.policy);
  auto in = [](const std::vector<std::string>& v, const std::string& n) {
    return std::find(v.begin(), v.end(), n) != v.end();
  };
  const auto service = expand_syscall_group("@system-service");
  const auto privileged = expand_syscall_group("@privileged");
  const auto mount = expand_syscall_group("@mount");
  int allowed = 0;
  for (const SyscallEntry& e : syscall_table(Arch::x86_64)) {
    const std::string n(e.name);
    bool want = in(service, n) && !in(privileged, n) && !in(mount, n);
    if (n.rfind("io_uring_", 0) == 0) {
      // Allowed through a group, not by name: the guard answers ENOSYS,
      // since the policy denies calls io_uring could make for the program.
      EXPECT_EQ(decide(prog, Arch::x86_64, n), Action::errno_(38)) << n;
      continue;
    }
    allowed += want;
    EXPECT_EQ(decide(prog, Arch::x86_64, n), want ? Action::allow() : Action::errno_(1)) << n;
  }
  EXPECT_GT(allowed, 250);
  // setuid is in both groups: the later deny wins; read only in the first.
  EXPECT_EQ(decide(prog, Arch::x86_64, "setuid"), Action::errno_(1));
  EXPECT_EQ(decide(prog, Arch::x86_64, "read"), Action::allow());
  // And allowing one back after the deny works too.
  TextPolicy q = parse("default errno(EPERM)\narch x86_64\nallow @system-service\ndeny @privileged\nallow setuid\n");
  EXPECT_EQ(decide(compile(q.policy), Arch::x86_64, "setuid"), Action::allow());
}

TEST(TextParser, ConditionalStatementsLayerOverEarlierOnesLastMatchWins) {
  TextPolicy p = parse(
      "default kill\narch x86_64\n"
      "allow write\n"
      "kill write: arg0 > 2\n"
      "errno(EBADF) write: arg0 == 5\n"
      "allow write: arg0 == 5 && arg1 == 0\n"
      "deny write: arg0 == 7\n");
  auto oracle = [](const std::array<std::uint64_t, 6>& a) {
    if (a[0] == 7) return Action::kill_process();
    if (a[0] == 5 && a[1] == 0) return Action::allow();
    if (a[0] == 5) return Action::errno_(9);
    if (a[0] > 2) return Action::kill_process();
    return Action::allow();
  };
  const bpf::Program prog = compile(p.policy);
  for (std::uint64_t a0 : {0ull, 1ull, 2ull, 3ull, 4ull, 5ull, 6ull, 7ull, 8ull, ~0ull})
    for (std::uint64_t a1 : {0ull, 1ull, ~0ull})
      EXPECT_EQ(decide(prog, Arch::x86_64, "write", {a0, a1}), oracle({a0, a1})) << a0 << " " << a1;
  // No two emitted rules on write overlap with different actions, so
  // libseccomp's tree order never has to decide.
  for (const Rule& r : p.policy.rules) EXPECT_NE(r.action, p.policy.default_action);
}

TEST(TextParser, UnconditionalStatementReplacesEarlierConditionalOnes) {
  TextPolicy p = parse("default kill\narch x86_64\nallow write: arg0 == 1\nerrno(EPERM) write\n");
  ASSERT_EQ(p.policy.rules.size(), 1u);
  EXPECT_TRUE(p.policy.rules[0].conditions.empty());
  EXPECT_EQ(p.policy.rules[0].action, Action::errno_(1));
  EXPECT_EQ(p.policy.rules[0].origin.to_string(), "t.policy:4:14");
}

TEST(TextParser, TextAndHandWrittenOciJsonDecideTheSame) {
  TextPolicy text = parse(R"(# a small service
default errno(EPERM)
arch x86_64, aarch64
allow read, close, exit_group, openat, fstat
allow socket: arg0 == AF_INET || arg0 == AF_INET6
allow write: arg0 == 1 || arg0 == 2
allow mmap: arg2 & PROT_EXEC == 0
allow fcntl: arg0 <= 2 && arg1 == F_GETFL
errno(ENOSYS) clone3
kill ptrace
log getpid
trap kill
allow 1000
)");
  const char* json = R"({
    "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
    "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"],
    "syscalls": [
      {"names": ["read", "close", "exit_group", "openat", "fstat"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
      {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 10, "op": "SCMP_CMP_EQ"}]},
      {"names": ["write"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
      {"names": ["write"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
      {"names": ["mmap"], "action": "SCMP_ACT_ALLOW",
       "args": [{"index": 2, "value": 4, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
      {"names": ["fcntl"], "action": "SCMP_ACT_ALLOW",
       "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_LE"}, {"index": 1, "value": 3, "op": "SCMP_CMP_EQ"}]},
      {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
      {"names": ["ptrace"], "action": "SCMP_ACT_KILL_PROCESS"},
      {"names": ["getpid"], "action": "SCMP_ACT_LOG"},
      {"names": ["kill"], "action": "SCMP_ACT_TRAP"}
    ]})";
  OciResolveOptions o;
  o.host_arch = Arch::x86_64;
  OciProfile oci = read_oci_profile_text(json, "t.json", o);
  // The OCI reader has no syscall numbers; add the same one by hand.
  oci.policy.rules.push_back(Rule{std::uint32_t{1000}, Action::allow(), {}, "t.json"});
  EXPECT_TRUE(same_decisions(text.policy, oci.policy));
  // And they are not trivially equal: a change shows.
  TextPolicy other = parse(R"(default errno(EPERM)
arch x86_64, aarch64
allow read, close, exit_group, openat, fstat
allow socket: arg0 == AF_INET
)");
  EXPECT_FALSE(same_decisions(text.policy, other.policy));
}

TEST(TextParser, OnSectionsFollowTheHostArch) {
  const char* text =
      "default kill\narch x86_64, aarch64\nallow read\n"
      "on x86_64 {\n  allow arch_prctl\n}\non aarch64, arm {\n  allow write\n}\n";
  TextPolicy x = parse(text);
  TextPolicyOptions o;
  o.host_arch = Arch::aarch64;
  TextPolicy a = parse(text, o);
  auto names = [](const TextPolicy& p) {
    std::vector<std::string> v;
    for (const Rule& r : p.policy.rules) v.push_back(std::get<std::string>(r.syscall));
    return v;
  };
  EXPECT_EQ(names(x), (std::vector<std::string>{"arch_prctl", "read"}));
  EXPECT_EQ(names(a), (std::vector<std::string>{"read", "write"}));
}

TEST(TextParser, ConstantsThatDifferBetweenTheArchesAreRefused) {
  EXPECT_NE(error_of("default kill\narch x86_64, aarch64\nallow openat: arg2 & O_DIRECTORY == 0\n")
                .find("t.policy:3:22: O_DIRECTORY is 0x10000 on x86_64 but 0x4000 on aarch64"),
            std::string::npos);
  // One arch at a time is fine, and gives that arch's value.
  TextPolicy p = parse("default kill\narch aarch64\nallow openat: arg2 & O_DIRECTORY == 0\n");
  EXPECT_EQ(p.policy.rules[0].conditions[0].mask, 040000u);
}

TEST(TextParser, NamesMissingOnThePolicyArchesAreWarnedAndDropped) {
  TextPolicy p = parse("default kill\narch x86_64\nallow read, chown32\n");
  ASSERT_EQ(p.policy.rules.size(), 1u);
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_EQ(p.warnings[0], "t.policy:3:13: 'chown32' does not exist on x86_64; ignored");
}

struct ErrorCase {
  const char* text;
  const char* message;
};

TEST(TextParser, ErrorsSayWhereWhatWasExpectedAndWhatWasFound) {
  const ErrorCase cases[] = {
      {"default errno(EPRM)\n", "t.policy:1:15: unknown errno name 'EPRM' (did you mean 'EPERM'?)"},
      {"default kill\nalow read\n", "t.policy:2:1: expected a statement (default, arch, include, on, or an action: "
                                    "allow, deny, errno(...), kill, ...) but found 'alow' (did you mean 'allow'?)"},
      {"default kill\nread\n", "t.policy:2:1: expected a statement"},
      {"default kill\nallow opnat\n", "t.policy:2:7: unknown syscall 'opnat' (did you mean 'openat'?)"},
      {"default kill\nallow @file-sytem\n",
       "t.policy:2:7: unknown syscall group '@file-sytem' (did you mean '@file-system'?)"},
      {"default kill\nallow socket: arg0 == AF_INTE\n",
       "t.policy:2:23: unknown constant 'AF_INTE' (did you mean 'AF_INET'?)"},
      {"default kill\nallow read: arg7 == 1\n", "t.policy:2:13: argument index 7 is out of range"},
      {"default kill\nallow read: argx == 1\n", "t.policy:2:13: expected an argument (arg0 to arg5) but found 'argx'"},
      {"default kill\nerrno(5000) read\n", "t.policy:2:7: 5000 is out of range for errno (0 to 4095)"},
      {"default kill\nerrno read\n", "t.policy:2:7: expected '(' after errno (e.g. errno(EPERM)) but found 'read'"},
      {"default kill\nallow read: arg0 = 1\n", "t.policy:2:18: unexpected '=' (comparisons are written '==')"},
      {"default kill\nallow read: arg0 == \n", "t.policy:2:21: expected a number or a constant (AF_INET, O_RDONLY, ...) but found end of line"},
      {"default kill\nallow read: arg0 & 4 < 1\n", "t.policy:2:22: a masked argument can only be compared with == or !="},
      {"default kill\nallow read: arg0 == 0x1g\n", "t.policy:2:21: '0x1g' is not a number"},
      {"default kill\nallow read write\n", "t.policy:2:12: expected the end of the statement but found 'write'"},
      {"default kill\nallow\n", "t.policy:2:6: expected a syscall name, number or @group but found end of line"},
      {"default kill\narch x86_46\n", "t.policy:2:6: unknown architecture 'x86_46' (did you mean 'x86_64'?)"},
      {"default kill\non x86_64 {\nallow read\n", "t.policy:4:1: expected '}' closing the `on` section but found end of file"},
      {"default kill\n}\n", "t.policy:2:1: unexpected '}'"},
      {"default kill\ninclude common.policy\n", "t.policy:2:9: expected a file name in double quotes after include but found 'common.policy'"},
      {"default kill\ninclude \"x\n", "t.policy:2:9: unterminated string"},
      {"default kill\nallow read $\n", "t.policy:2:12: unexpected '$'"},
      {"allow read\n", "t.policy: no default action"},
      {"default kill\ndefault allow\n", "t.policy:2:1: a second default action (the first is at t.policy:1:1)"},
      {"default allow\ndeny ptrace\n", "t.policy:2:1: `deny` means the default action, which is ALLOW here"},
      {"default deny\n", "t.policy:1:1: `default deny` says nothing"},
      {"default kill\narch x86_64\narch aarch64\n", "t.policy:3:1: a second arch statement"},
      {"default kill\nallow read: arg0 == ((((((((((((((((((((((((((((((((((1\n",
       "t.policy:2:53: parentheses nested more than 32 deep"},
  };
  for (const ErrorCase& c : cases) {
    const std::string err = error_of(c.text);
    EXPECT_EQ(err.substr(0, std::string_view(c.message).size()), c.message) << c.text;
  }
}

// Includes through a map instead of the disk.
TextPolicyOptions with_files(std::map<std::string, std::string> files) {
  TextPolicyOptions o = x86();
  o.read_file = [files = std::move(files)](const fs::path& p) -> std::string {
    auto it = files.find(p.filename().string());
    if (it == files.end()) throw InputError(p.string() + ": no such file");
    return it->second;
  };
  return o;
}

// Issue 12: the language carries what OCI profiles carry besides rules.
TEST(TextParser, ForeignArchFlagsAndListener) {
  const TextPolicy t = parse(
      "default errno(EPERM)\nforeign-arch kill-thread\nflags SECCOMP_FILTER_FLAG_LOG, SECCOMP_FILTER_FLAG_TSYNC\n"
      "listener \"/run/a \\\"b\\\".sock\"\nlistener-metadata \"pod=x\"\nnotify mount\n");
  EXPECT_EQ(t.policy.bad_arch_action, Action::kill_thread());
  EXPECT_EQ(t.policy.runtime.flags, (std::vector<std::string>{"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_TSYNC"}));
  EXPECT_EQ(t.policy.runtime.listener_path, "/run/a \"b\".sock");
  EXPECT_EQ(t.policy.runtime.listener_metadata, "pod=x");
  // Written and read back, nothing is lost.
  const TextPolicy back = parse(write_text_policy(t.policy));
  EXPECT_EQ(back.policy.bad_arch_action, t.policy.bad_arch_action);
  EXPECT_EQ(back.policy.runtime, t.policy.runtime);
  // Without them: the language's kill-process and no settings.
  EXPECT_EQ(parse("default kill\n").policy.bad_arch_action, Action::kill_process());
  EXPECT_NE(error_of("default kill\nflags SECCOMP_FILTER_FLAG_LGO\n").find("did you mean 'SECCOMP_FILTER_FLAG_LOG'"),
            std::string::npos);
  EXPECT_NE(error_of("default kill\nforeign-arch kill\nforeign-arch kill-thread\n").find("a second `foreign-arch`"),
            std::string::npos);
  EXPECT_NE(error_of("default kill\nlistener run\n").find("a string in double quotes"), std::string::npos);
}

TEST(TextParser, UnknownSyscallsEnosysOrDefault) {
  EXPECT_TRUE(parse("default errno(EPERM)\n").policy.enosys_for_unknown);
  EXPECT_TRUE(parse("default errno(EPERM)\nunknown-syscalls enosys\n").policy.enosys_for_unknown);
  const TextPolicy t = parse("default errno(EPERM)\nunknown-syscalls default\nallow read\n");
  EXPECT_FALSE(t.policy.enosys_for_unknown);
  // Kept through the writer; said only where it matters (a denying default).
  EXPECT_NE(write_text_policy(t.policy).find("unknown-syscalls default\n"), std::string::npos);
  EXPECT_FALSE(parse(write_text_policy(t.policy)).policy.enosys_for_unknown);
  EXPECT_EQ(write_text_policy(parse("default errno(EPERM)\n").policy).find("unknown-syscalls"), std::string::npos);
  EXPECT_NE(error_of("default kill\nunknown-syscalls kill\n").find("`enosys` or `default`"), std::string::npos);
  EXPECT_NE(error_of("default kill\nunknown-syscalls default\nunknown-syscalls enosys\n").find("a second"),
            std::string::npos);
}

// Issue 12: `arg & MASK == VALUE` with value bits outside the mask can never
// hold as written; libseccomp would drop those bits. Refused, never dropped.
TEST(TextParser, MaskedValueOutsideTheMaskIsAnError) {
  const std::string e = error_of("default allow\nkill mmap: arg2 & 4 == 8\n");
  EXPECT_NE(e.find("t.policy:2:"), std::string::npos) << e;
  EXPECT_NE(e.find("has bits outside the mask"), std::string::npos) << e;
  EXPECT_EQ(error_of("default allow\nkill mmap: arg2 & 12 == 8\n"), "");
}

TEST(TextParser, IncludesSplicePoliciesInPlace) {
  auto o = with_files({{"common.policy", "allow read, write\nkill ptrace\n"}});
  TextPolicy p = read_text_policy_text("default errno(EPERM)\narch x86_64\ninclude \"common.policy\"\ndeny write\n",
                                       "dir/main.policy", o);
  std::map<std::string, std::pair<Action, std::string>> got;
  for (const Rule& r : p.policy.rules) got[std::get<std::string>(r.syscall)] = {r.action, r.origin.to_string()};
  EXPECT_EQ(got.size(), 2u);  // write was denied again after the include
  EXPECT_EQ(got["read"].first, Action::allow());
  EXPECT_EQ(got["read"].second, "dir/common.policy:1:7");
  EXPECT_EQ(got["ptrace"].first, Action::kill_process());
  EXPECT_EQ(p.files, (std::vector<std::string>{"dir/main.policy", "dir/common.policy"}));
}

TEST(TextParser, IncludeCyclesAreErrorsNamingTheChain) {
  auto o = with_files({{"a.policy", "allow read\ninclude \"b.policy\"\n"}, {"b.policy", "include \"a.policy\"\n"}});
  try {
    read_text_policy_text("default kill\ninclude \"a.policy\"\n", "main.policy", o);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "b.policy:1:1: include cycle: a.policy -> b.policy -> a.policy");
  }
  // Including oneself is the shortest cycle.
  auto self = with_files({{"main.policy", "default kill\ninclude \"main.policy\"\n"}});
  try {
    read_text_policy(fs::path("main.policy"), self);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "main.policy:2:1: include cycle: main.policy -> main.policy");
  }
}

TEST(TextParser, UnreadableFilesAreErrors) {
  const fs::path dir = fs::temp_directory_path() / "seccage-text-test";
  fs::create_directories(dir);
  std::ofstream(dir / "main.policy") << "default kill\ninclude \"missing.policy\"\n";
  try {
    read_text_policy(dir / "main.policy", x86());
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("main.policy:2:1: cannot include \"missing.policy\": cannot read"), std::string::npos) << msg;
    EXPECT_NE(msg.find("No such file or directory"), std::string::npos) << msg;
  }
  EXPECT_THROW(read_text_policy(dir / "nothing-here.policy", x86()), InputError);
  EXPECT_THROW(read_text_policy(dir, x86()), InputError);  // a directory
  // And a real include from disk, relative to the including file.
  std::ofstream(dir / "inc.policy") << "allow getpid\n";
  std::ofstream(dir / "ok.policy") << "default kill\narch x86_64\ninclude \"inc.policy\"\n";
  EXPECT_EQ(read_text_policy(dir / "ok.policy", x86()).policy.rules.size(), 1u);
  fs::remove_all(dir);
}

TEST(TextParser, DeeplyNestedSectionsAreRefusedNotRecursedInto) {
  std::string text = "default kill\n";
  for (int i = 0; i < 100000; ++i) text += "on x86_64 {\n";
  EXPECT_NE(error_of(text).find("`on` sections nested more than 32 deep"), std::string::npos);
}

TEST(TextParser, LooksLikeText) {
  EXPECT_TRUE(looks_like_text_policy("default kill\n"));
  EXPECT_TRUE(looks_like_text_policy("# {\n"));
  EXPECT_FALSE(looks_like_text_policy("  \n{\"defaultAction\": 1}"));
}

TEST(TextParser, ExamplesInTheRepositoryCompile) {
  const fs::path dir = fs::path(SECCAGE_SOURCE_DIR) / "examples";
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".policy" || e.path().filename().string().starts_with("common")) continue;
    ++n;
    TextPolicy p = read_text_policy(e.path(), x86());
    EXPECT_NO_THROW(compile(p.policy)) << e.path();
  }
  EXPECT_GE(n, 3);
}

}  // namespace
}  // namespace seccage
