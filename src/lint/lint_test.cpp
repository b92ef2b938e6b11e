// One test per finding class of the linter, on small profiles written for it.
#include <gtest/gtest.h>

#include <algorithm>

#include "seccage/error.hpp"
#include "seccage/lint.hpp"
#include "seccage/policy_text.hpp"

namespace seccage {
namespace {

LintReport lint_json(const std::string& json, Arch host = Arch::x86_64, std::string caps = "docker-default") {
  OciResolveOptions ro;
  ro.host_arch = host;
  ro.capabilities = parse_capabilities(caps);
  ro.kernel = parse_kernel_version("6.1");
  return lint_oci_profile(json, "p.json", ro);
}

std::vector<Finding> with_code(const LintReport& r, std::string_view code) {
  std::vector<Finding> out;
  for (const Finding& f : r.findings)
    if (f.code == code) out.push_back(f);
  return out;
}

std::string dump(const LintReport& r) {
  std::string s;
  for (const Finding& f : r.findings)
    s += f.location.to_string() + ": " + std::string(severity_name(f.severity)) + ": " + f.message + " [" + f.code +
         "]\n";
  return s;
}

LintReport lint_text(const std::string& text) {
  TextPolicyOptions to;
  to.host_arch = Arch::x86_64;
  const TextPolicy tp = read_text_policy_text(text, "t.policy", to);
  return lint_policy(tp.policy, "t.policy");
}

// A profile for x86_64 with the given syscalls entries.
std::string profile(const std::string& entries, const std::string& def = R"("SCMP_ACT_ERRNO", "defaultErrnoRet": 38)",
                    const std::string& arches = R"(["SCMP_ARCH_X86_64"])") {
  return R"({"defaultAction": )" + def + R"(, "architectures": )" + arches + R"(, "syscalls": [)" + entries + "]}";
}

TEST(LintUnknownSyscall, TypoIsAnErrorWithSuggestionAndPlace) {
  const LintReport r = lint_json(profile(R"({"names": ["read", "opnat"], "action": "SCMP_ACT_ALLOW"})"));
  const auto f = with_code(r, "unknown-syscall");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Error);
  EXPECT_NE(f[0].message.find("did you mean 'openat'?"), std::string::npos);
  EXPECT_EQ(f[0].location.pointer, "/syscalls/0/names/1");
  EXPECT_EQ(f[0].location.line, 1u);
  EXPECT_EQ(r.count(Severity::Error), 1u);
}

TEST(LintUnknownSyscall, OtherArchesNamesAreNotErrors) {
  const LintReport r = lint_json(profile(R"({"names": ["read", "chown32"], "action": "SCMP_ACT_ALLOW"})"));
  EXPECT_TRUE(with_code(r, "unknown-syscall").empty()) << dump(r);
  ASSERT_EQ(with_code(r, "name-not-on-arches").size(), 1u) << dump(r);
}

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

TEST(LintDangerous, UnconditionalConditionalAndByDefault) {
  LintReport r = lint_json(profile(R"({"names": ["ptrace"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["unshare"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 268435456, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]})"));
  auto f = with_code(r, "dangerous-syscall");
  ASSERT_EQ(f.size(), 2u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_NE(f[0].message.find("ptrace is allowed"), std::string::npos);
  EXPECT_EQ(f[1].severity, Severity::Info);
  EXPECT_NE(f[1].message.find("only when arg0 & 0x10000000 == 0"), std::string::npos) << f[1].message;

  r = lint_json(profile(R"({"names": ["bpf"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1})", R"("SCMP_ACT_ALLOW")"));
  f = with_code(r, "dangerous-syscall");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("ptrace"), std::string::npos);
  EXPECT_EQ(f[0].message.find("bpf"), std::string::npos) << "bpf is denied";
  EXPECT_EQ(f[0].location.pointer, "/defaultAction");
}

TEST(LintIoUring, AllowedRingAroundADenialNamesTheRoute) {
  // Allow by default, openat denied for writing: io_uring opens files anyway.
  LintReport r = lint_json(profile(R"({"names": ["openat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 30,
      "args": [{"index": 2, "value": 1, "valueTwo": 1, "op": "SCMP_CMP_MASKED_EQ"}]})", R"("SCMP_ACT_ALLOW")"));
  auto f = with_code(r, "io-uring-bypass");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_NE(f[0].message.find("openat (IORING_OP_OPENAT)"), std::string::npos) << f[0].message;
  // The same profile with io_uring denied: nothing to say.
  r = lint_json(profile(R"({"names": ["openat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 30},
      {"names": ["io_uring_setup"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38})", R"("SCMP_ACT_ALLOW")"));
  EXPECT_TRUE(with_code(r, "io-uring-bypass").empty()) << dump(r);
  // An allowlist that allows io_uring_setup but not socket: the ring makes sockets.
  r = lint_json(profile(R"({"names": ["read", "write", "io_uring_setup", "io_uring_enter"], "action": "SCMP_ACT_ALLOW"})"));
  f = with_code(r, "io-uring-bypass");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("IORING_OP_"), std::string::npos);
  EXPECT_EQ(f[0].location.pointer, "/syscalls/0/names/2");
}

TEST(LintDangerous, GatedEntriesSayWhatGatesThem) {
  const std::string json = profile(
      R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"},
         {"names": ["mount", "sethostname"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}})");
  LintReport r = lint_json(json);
  auto f = with_code(r, "gated-dangerous");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("CAP_SYS_ADMIN"), std::string::npos);
  EXPECT_NE(f[0].message.find("mount"), std::string::npos);
  EXPECT_EQ(f[0].message.find("sethostname"), std::string::npos) << "only the dangerous names";
  EXPECT_TRUE(with_code(r, "dangerous-syscall").empty());
  // With the capability, the entry applies, and mount is simply allowed.
  r = lint_json(json, Arch::x86_64, "docker-default,sys_admin");
  EXPECT_TRUE(with_code(r, "gated-dangerous").empty());
  f = with_code(r, "dangerous-syscall");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("includes.caps CAP_SYS_ADMIN"), std::string::npos) << f[0].message;
}

TEST(LintDefaultAllow, SeveralArchesWithAllowDefault) {
  const LintReport r = lint_json(profile(R"({"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1})",
                                         R"("SCMP_ACT_ALLOW")", R"(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"])"));
  const auto f = with_code(r, "allow-default-compat-arches");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_EQ(f[0].location.pointer, "/defaultAction");
}

TEST(LintDefaultAllow, BadArchAllowIsAnError) {
  Policy p;
  p.default_action = Action::allow();
  p.arches = {Arch::x86_64};
  p.bad_arch_action = Action::allow();
  const LintReport r = lint_policy(p, "p.policy");
  ASSERT_EQ(with_code(r, "bad-arch-allows").size(), 1u) << dump(r);
  EXPECT_EQ(r.count(Severity::Error), 1u);
}

TEST(LintErrnoDefault, WarnsWithoutAnEnosysPlan) {
  LintReport r = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"})", R"("SCMP_ACT_ERRNO")"));
  auto f = with_code(r, "errno-default-new-syscalls");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  // Info: seccage's filters and runc answer ENOSYS above their tables.
  EXPECT_EQ(f[0].severity, Severity::Info);
  EXPECT_NE(f[0].message.find("runc"), std::string::npos);

  r = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38})", R"("SCMP_ACT_ERRNO")"));
  f = with_code(r, "errno-default-new-syscalls");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::Info);

  r = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"})"));  // ENOSYS default
  EXPECT_TRUE(with_code(r, "errno-default-new-syscalls").empty());
}

TEST(LintErrnoDefault, FallbackSyscallsNeedEnosys) {
  const LintReport r = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1})"));
  const auto f = with_code(r, "enosys-fallback");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("clone3 returns ERRNO(1) EPERM"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].location.pointer, "/syscalls/1/names/0");
}

TEST(LintArches, NameMissingOnAnArchIsAWarningUnlessClearlyMultiArch) {
  LintReport r = lint_json(profile(R"({"names": ["open", "openat"], "action": "SCMP_ACT_ALLOW"})",
                                   R"("SCMP_ACT_ERRNO", "defaultErrnoRet": 38)",
                                   R"(["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"])"));
  auto f = with_code(r, "name-missing-on-arch");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_NE(f[0].message.find("open does not exist on aarch64"), std::string::npos) << f[0].message;

  // Names for each arch: written for both on purpose.
  r = lint_json(profile(R"({"names": ["arch_prctl", "arm_fadvise64_64"], "action": "SCMP_ACT_ALLOW"})",
                        R"("SCMP_ACT_ERRNO", "defaultErrnoRet": 38)", R"(["SCMP_ARCH_X86_64", "SCMP_ARCH_ARM"])"));
  f = with_code(r, "name-missing-on-arch");
  ASSERT_EQ(f.size(), 2u) << dump(r);
  EXPECT_EQ(f[0].severity, Severity::Info);
}

TEST(LintMultiplexer, ConditionOnSocketIsBypassedThroughSocketcall) {
  const LintReport r = lint_json(
      profile(R"({"names": ["socketcall"], "action": "SCMP_ACT_ALLOW"},
                 {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 40, "op": "SCMP_CMP_NE"}]})",
              R"("SCMP_ACT_ERRNO", "defaultErrnoRet": 38)", R"(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"])"));
  const auto f = with_code(r, "multiplexer-bypass");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("on i386"), std::string::npos);
}

TEST(LintLocations, TextOriginsGiveLineAndColumn) {
  Policy p;
  p.default_action = Action::errno_(38);
  p.arches = {Arch::x86_64};
  p.rules = {{std::string("ptrace"), Action::allow(), {}, "app.policy:3:7"}};
  const LintReport r = lint_policy(p, "app.policy");
  const auto f = with_code(r, "dangerous-syscall");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_EQ(f[0].location.file, "app.policy");
  EXPECT_EQ(f[0].location.line, 3u);
  EXPECT_EQ(f[0].location.column, 7u);
  EXPECT_EQ(f[0].location.to_string(), "app.policy:3:7");
}

TEST(LintDangerousList, HasReasons) {
  for (const char* n : {"ptrace", "bpf", "mount", "kexec_load", "init_module", "finit_module", "keyctl", "userfaultfd",
                        "perf_event_open", "unshare", "setns", "open_by_handle_at", "process_vm_writev"}) {
    auto reason = dangerous_syscall_reason(n);
    ASSERT_TRUE(reason.has_value()) << n;
    EXPECT_GT(reason->size(), 10u) << n;
  }
  EXPECT_FALSE(dangerous_syscall_reason("read"));
}

TEST(LintInput, BadJsonThrowsInputError) {
  EXPECT_THROW(lint_json("{\"defaultAction\": "), InputError);
  EXPECT_THROW(lint_json(R"({"defaultAction": "SCMP_ACT_NOPE"})"), InputError);
}

}  // namespace
}  // namespace seccage

namespace seccage {
namespace {

// ---- no-effect: the web-worker case (issue 12) --------------------------------

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

// ---- noise: one finding for what the default does ------------------------------

TEST(LintNoise, OneLineEpermProfileGetsOneFallbackWarning) {
  // Before: errno-default-new-syscalls and five enosys-fallback warnings.
  const LintReport text = lint_text("default errno(EPERM)\narch x86_64\nallow read\n");
  const LintReport json = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"})", R"("SCMP_ACT_ERRNO")"));
  // The JSON one is also a profile runc could not start a container with:
  // one runtime-startup warning naming what runc needs.
  EXPECT_EQ(with_code(json, "runtime-startup").size(), 1u) << dump(json);
  EXPECT_TRUE(with_code(text, "runtime-startup").empty()) << dump(text);
  for (const LintReport* r : {&text, &json}) {
    EXPECT_EQ(r->count(Severity::Warning) - with_code(*r, "runtime-startup").size(), 1u) << dump(*r);
    const auto f = with_code(*r, "enosys-fallback");
    ASSERT_EQ(f.size(), 1u) << dump(*r);
    for (const char* name : {"clone3", "faccessat2", "fchmodat2", "close_range"})
      EXPECT_NE(f[0].message.find(name), std::string::npos) << f[0].message;
    // glibc calls statx for stat on 32-bit ABIs only; x86_64 alone is not one.
    EXPECT_EQ(f[0].message.find("statx"), std::string::npos) << f[0].message;
    EXPECT_EQ(with_code(*r, "errno-default-new-syscalls").at(0).severity, Severity::Info);
  }
}

TEST(LintNoise, StatxIsNamedWhenTheFilterCoversA32BitArch) {
  const LintReport r = lint_json(profile(R"({"names": ["read"], "action": "SCMP_ACT_ALLOW"})", R"("SCMP_ACT_ERRNO")",
                                         R"(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"])"));
  const auto f = with_code(r, "enosys-fallback");
  ASSERT_EQ(f.size(), 1u) << dump(r);
  EXPECT_NE(f[0].message.find("statx"), std::string::npos) << f[0].message;
}

TEST(LintNoise, AnExplicitRuleKeepsItsOwnFindingAtTheRule) {
  const LintReport r = lint_text("default errno(EPERM)\narch x86_64\nallow read\nerrno(EACCES) clone3\n");
  const auto f = with_code(r, "enosys-fallback");
  ASSERT_EQ(f.size(), 2u) << dump(r);
  std::size_t at_rule = 0;
  for (const Finding& x : f) {
    if (x.location.line == 4u) {
      ++at_rule;
      EXPECT_NE(x.message.find("clone3 returns"), std::string::npos) << x.message;
    } else {
      EXPECT_EQ(x.message.find("clone3 (glibc"), std::string::npos) << x.message;  // not listed twice
      EXPECT_NE(x.message.find("faccessat2 (glibc"), std::string::npos) << x.message;
    }
  }
  EXPECT_EQ(at_rule, 1u) << dump(r);
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

namespace seccage {
namespace {

// ---- sibling-open ---------------------------------------------------------------

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

namespace seccage {
namespace {

// Issue 12: an allowlist without what runc itself calls after loading the
// filter stops every container; check names the missing calls, once.
TEST(LintRuntimeStartup, NamesWhatRuncAndCrunNeed) {
  TextPolicyOptions to;
  to.host_arch = Arch::x86_64;
  to.arches = {Arch::x86_64};
  const Policy minimal = read_text_policy_text("default errno(EPERM)\nallow read\n", "t.policy", to).policy;
  LintOptions runc;
  runc.runtime = ContainerRuntime::Runc;
  const LintReport r = lint_policy(minimal, "t.policy", runc);
  std::vector<const Finding*> startup;
  for (const Finding& f : r.findings)
    if (f.code == "runtime-startup") startup.push_back(&f);
  ASSERT_EQ(startup.size(), 1u);
  EXPECT_EQ(startup[0]->severity, Severity::Error);
  for (const char* call : {"openat with O_WRONLY", "write", "close", "fstatfs", "epoll_ctl", "futex", "execve"})
    EXPECT_NE(startup[0]->message.find(call), std::string::npos) << call << ": " << startup[0]->message;
  // Allowing them (openat only read-only is not enough) clears it.
  const Policy enough = read_text_policy_text(
                            "default errno(EPERM)\nallow read, write, close, fstatfs, epoll_ctl, futex, execve\n"
                            "allow openat: arg2 & O_ACCMODE == O_WRONLY\n",
                            "t.policy", to)
                            .policy;
  for (const Finding& f : lint_policy(enough, "t.policy", runc).findings) EXPECT_NE(f.code, "runtime-startup") << f.message;
  const Policy read_only =
      read_text_policy_text("default errno(EPERM)\nallow read, write, close, fstatfs, epoll_ctl, futex, execve\n"
                            "allow openat: arg2 & O_ACCMODE == O_RDONLY\n",
                            "t.policy", to)
          .policy;
  bool found = false;
  for (const Finding& f : lint_policy(read_only, "t.policy", runc).findings)
    if (f.code == "runtime-startup") found = f.message.find("openat with O_WRONLY") != std::string::npos;
  EXPECT_TRUE(found);
  // crun needs only the exec; text policies are not checked unless asked.
  LintOptions crun;
  crun.runtime = ContainerRuntime::Crun;
  const LintReport c = lint_policy(minimal, "t.policy", crun);
  bool crun_found = false;
  for (const Finding& f : c.findings)
    if (f.code == "runtime-startup") crun_found = f.message.find("execve") != std::string::npos &&
                                                  f.message.find("futex") == std::string::npos;
  EXPECT_TRUE(crun_found);
  for (const Finding& f : lint_policy(minimal, "t.policy").findings) EXPECT_NE(f.code, "runtime-startup");
}

}  // namespace
}  // namespace seccage
