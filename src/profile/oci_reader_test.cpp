#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <fmt/core.h>

#include "profile/json_locate.hpp"
#include "seccage/error.hpp"
#include "seccage/profile.hpp"

namespace seccage {
namespace {

// gmock is not linked into the test binary; a substring check with a readable
// failure message does the same job.
::testing::AssertionResult Contains(const std::string& text, std::string_view part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\n  \"" << text << "\"\ndoes not contain\n  \"" << part << "\"";
}

OciResolveOptions on(Arch host, CapabilitySet caps = docker_default_capabilities()) {
  OciResolveOptions o;
  o.host_arch = host;
  o.capabilities = std::move(caps);
  o.kernel = KernelVersion{5, 10, 0};  // fixed, so tests do not depend on the machine
  return o;
}

OciProfile read(std::string_view json, const OciResolveOptions& o = on(Arch::x86_64)) {
  return read_oci_profile_text(json, "p.json", o);
}

// The message of the InputError `f` throws; fails the test if it throws none.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError thrown";
  return {};
}

std::string err(std::string_view json, const OciResolveOptions& o = on(Arch::x86_64)) {
  return error_of([&] { read(json, o); });
}

// One rule: `{"names": [NAME], "action": ACTION, EXTRA}` in an ERRNO profile.
std::string one_rule(std::string_view body, std::string_view def = R"("defaultAction": "SCMP_ACT_KILL")") {
  return std::string("{") + std::string(def) + R"(, "syscalls": [{)" + std::string(body) + "}]}";
}

// ---- actions ----------------------------------------------------------------

struct ActionCase {
  const char* json_action;
  const char* extra;
  Action expected;
};

class OciReaderAction : public ::testing::TestWithParam<ActionCase> {};

TEST_P(OciReaderAction, MapsAsRuncDoes) {
  const auto& c = GetParam();
  auto p = read(one_rule(std::string(R"("names": ["read"], "action": ")") + c.json_action + "\"" + c.extra));
  ASSERT_EQ(p.policy.rules.size(), 1u);
  EXPECT_EQ(p.policy.rules[0].action, c.expected) << c.json_action << c.extra;
  EXPECT_EQ(p.policy.rules[0].syscall, SyscallRef(std::string("read")));
  EXPECT_TRUE(p.policy.rules[0].conditions.empty());
}

INSTANTIATE_TEST_SUITE_P(
    All, OciReaderAction,
    ::testing::Values(ActionCase{"SCMP_ACT_KILL", "", Action::kill_thread()},
                      ActionCase{"SCMP_ACT_KILL_THREAD", "", Action::kill_thread()},
                      ActionCase{"SCMP_ACT_KILL_PROCESS", "", Action::kill_process()},
                      ActionCase{"SCMP_ACT_TRAP", "", Action::trap(0)},
                      ActionCase{"SCMP_ACT_ERRNO", "", Action::errno_(1)},
                      ActionCase{"SCMP_ACT_ERRNO", R"(, "errnoRet": 38)", Action::errno_(38)},
                      ActionCase{"SCMP_ACT_ERRNO", R"(, "errnoRet": 0)", Action::errno_(0)},
                      ActionCase{"SCMP_ACT_ERRNO", R"(, "errno": "EACCES")", Action::errno_(13)},
                      ActionCase{"SCMP_ACT_ERRNO", R"(, "errno": "EINVAL", "errnoRet": 22)", Action::errno_(22)},
                      ActionCase{"SCMP_ACT_TRACE", "", Action::trace(1)},
                      ActionCase{"SCMP_ACT_TRACE", R"(, "errnoRet": 4242)", Action::trace(4242)},
                      ActionCase{"SCMP_ACT_ALLOW", "", Action::allow()},
                      ActionCase{"SCMP_ACT_LOG", "", Action::log()},
                      ActionCase{"SCMP_ACT_NOTIFY", "", Action::user_notif()}));

TEST(OciReader, DefaultActionAndErrno) {
  EXPECT_EQ(read(R"({"defaultAction": "SCMP_ACT_ERRNO"})").policy.default_action, Action::errno_(1));
  EXPECT_EQ(read(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38})").policy.default_action,
            Action::errno_(38));
  // Podman writes the name, and often both.
  EXPECT_EQ(read(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrno": "ENOSYS"})").policy.default_action,
            Action::errno_(38));
  EXPECT_EQ(read(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38, "defaultErrno": "ENOSYS"})")
                .policy.default_action,
            Action::errno_(38));
  EXPECT_EQ(read(R"({"defaultAction": "SCMP_ACT_LOG"})").policy.default_action, Action::log());
  auto e = err(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "defaultErrno": "ENOSYS"})");
  EXPECT_TRUE(Contains(e, "/defaultErrno"));
  EXPECT_TRUE(Contains(e, "must agree"));
  EXPECT_TRUE(Contains(err(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrno": "ENOSYSS"})"), "unknown errno name \"ENOSYSS\" (did you mean 'ENOSYS'?)"));
  // Errno data on an action that has none is a mistake (crun refuses it).
  EXPECT_TRUE(Contains(err(R"({"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 1})"), "/defaultErrnoRet: \"defaultErrnoRet\" is only meaningful with SCMP_ACT_ERRNO"));
  EXPECT_TRUE(Contains(err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_TRAP", "errnoRet": 3)")), "/syscalls/0/errnoRet"));
}

TEST(OciReader, UnknownActionSuggests) {
  auto e = err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_ALOW")"));
  EXPECT_TRUE(Contains(e, "p.json:1:"));
  EXPECT_TRUE(Contains(e, "/syscalls/0/action: unknown action \"SCMP_ACT_ALOW\" (did you mean 'SCMP_ACT_ALLOW'?)"));
  EXPECT_TRUE(Contains(err(R"({"defaultAction": "SCMP_ACT_KILL_PROCES"})"), "/defaultAction: unknown action \"SCMP_ACT_KILL_PROCES\" (did you mean 'SCMP_ACT_KILL_PROCESS'?)"));
  EXPECT_TRUE(Contains(err(R"({"syscalls": []})"), "missing \"defaultAction\""));
}

TEST(OciReader, ErrnoRange) {
  // 4094 is the largest errno libseccomp takes, and so runc and crun.
  EXPECT_EQ(read(one_rule(R"("names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 4094)")).policy.rules[0].action,
            Action::errno_(4094));
  // From 4095 on libseccomp refuses the action and the runtimes refuse to
  // start the container: an error naming the value, strict or not.
  for (const char* v : {"4095", "4096", "12345"}) {
    const std::string e = err(one_rule(fmt::format(R"("names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": {})", v)));
    EXPECT_TRUE(Contains(e, fmt::format("/syscalls/0/errnoRet: errno {} is too large", v))) << e;
    EXPECT_TRUE(Contains(e, "runc and crun refuse")) << e;
  }
  EXPECT_TRUE(Contains(err(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 5000})"), "errno 5000 is too large"));
  // Beyond 16 bits libseccomp would keep only the low bits: always an error.
  EXPECT_TRUE(Contains(err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 70000)")), "/syscalls/0/errnoRet: SCMP_ACT_ERRNO data must be at most 65535"));
  EXPECT_TRUE(Contains(err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": -1)")), "found negative number -1"));
  EXPECT_TRUE(Contains(err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_TRACE", "errnoRet": 65536)")), "SCMP_ACT_TRACE data must be at most 65535"));
}

// ---- arguments ----------------------------------------------------------------

struct OpCase {
  const char* op;
  CmpOp expected;
};
class OciReaderOp : public ::testing::TestWithParam<OpCase> {};

TEST_P(OciReaderOp, MapsEachOperator) {
  auto p = read(one_rule(std::string(R"("names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 2, "value": 18446744073709551615, "op": ")") +
                         GetParam().op + "\"}]"));
  ASSERT_EQ(p.policy.rules.size(), 1u);
  ASSERT_EQ(p.policy.rules[0].conditions.size(), 1u);
  const Condition& c = p.policy.rules[0].conditions[0];
  EXPECT_EQ(c.arg, 2);
  EXPECT_EQ(c.op, GetParam().expected);
  if (c.op == CmpOp::MaskedEq) {
    EXPECT_EQ(c.mask, ~std::uint64_t{0});
    EXPECT_EQ(c.value, 0u);  // valueTwo absent = 0, as Go decodes it
  } else {
    EXPECT_EQ(c.value, ~std::uint64_t{0});
  }
}

INSTANTIATE_TEST_SUITE_P(All, OciReaderOp,
                         ::testing::Values(OpCase{"SCMP_CMP_NE", CmpOp::NE}, OpCase{"SCMP_CMP_LT", CmpOp::LT},
                                           OpCase{"SCMP_CMP_LE", CmpOp::LE}, OpCase{"SCMP_CMP_EQ", CmpOp::EQ},
                                           OpCase{"SCMP_CMP_GE", CmpOp::GE}, OpCase{"SCMP_CMP_GT", CmpOp::GT},
                                           OpCase{"SCMP_CMP_MASKED_EQ", CmpOp::MaskedEq}));

TEST(OciReader, MaskedEqTakesValueAsMaskAndValueTwoAsOperand) {
  auto p = read(one_rule(
      R"("names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 3840, "valueTwo": 256, "op": "SCMP_CMP_MASKED_EQ"}])"));
  const Condition& c = p.policy.rules[0].conditions[0];
  EXPECT_EQ(c, (arg(1) & 3840) == 256);
  EXPECT_TRUE(c.matches(0x1ff));   // 0x1ff & 0xf00 == 0x100
  EXPECT_FALSE(c.matches(0x2ff));  // 0x200
  EXPECT_TRUE(p.warnings.empty());
  // valueTwo outside the mask: libseccomp drops those bits (16 & 15 == 0),
  // so the condition matches arguments whose low four bits are 0. Said.
  auto q = read(one_rule(
      R"("names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 15, "valueTwo": 16, "op": "SCMP_CMP_MASKED_EQ"}])"));
  ASSERT_EQ(q.warnings.size(), 1u);
  EXPECT_TRUE(Contains(q.warnings[0], "matches when (arg & 0xf) == 0x0")) << q.warnings[0];
  EXPECT_TRUE(q.policy.rules[0].conditions[0].matches(0x30));
  EXPECT_FALSE(q.policy.rules[0].conditions[0].matches(0x31));
}

TEST(OciReader, BadArguments) {
  auto e = err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}])"));
  EXPECT_TRUE(Contains(e, "/syscalls/0/args/0/index: expected an integer from 0 to 5, found 6"));
  EXPECT_TRUE(Contains(err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": -5, "op": "SCMP_CMP_EQ"}])")), "/syscalls/0/args/0/value: expected an unsigned integer, found negative number -5"));
  EXPECT_TRUE(Contains(err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1.5, "op": "SCMP_CMP_EQ"}])")), "found non-integer number 1.5"));
  EXPECT_TRUE(Contains(err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 18446744073709551616, "op": "SCMP_CMP_EQ"}])")), "found number 18446744073709551616 (above 2^64-1)"));
  EXPECT_TRUE(Contains(err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": "1", "op": "SCMP_CMP_EQ"}])")), "expected an unsigned integer, found string \"1\""));
  EXPECT_TRUE(Contains(err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQQ"}])")), "/syscalls/0/args/0/op: unknown operator \"SCMP_CMP_EQQ\" (did you mean 'SCMP_CMP_EQ'?)"));
  EXPECT_TRUE(Contains(err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "op": "SCMP_CMP_EQ"}])")), "/syscalls/0/args/0: missing \"value\""));
  EXPECT_TRUE(Contains(err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ", "valuetwo": 3}])")), "unknown key \"valuetwo\" in a syscall argument (did you mean 'valueTwo'?)"));
}

constexpr std::string_view kRepeated =
    R"("names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [
         {"index": 0, "value": 1, "op": "SCMP_CMP_EQ"},
         {"index": 1, "value": 5, "op": "SCMP_CMP_EQ"},
         {"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}])";

TEST(OciReader, RepeatedIndexSplitsLikeRunc) {
  // runc and crun: once any index repeats, every condition is its own rule.
  auto p = read(one_rule(kRepeated));
  ASSERT_EQ(p.policy.rules.size(), 3u);
  EXPECT_EQ(p.policy.rules[0].conditions, std::vector<Condition>{arg(0) == 1});
  EXPECT_EQ(p.policy.rules[1].conditions, std::vector<Condition>{arg(1) == 5});
  EXPECT_EQ(p.policy.rules[2].conditions, std::vector<Condition>{arg(0) == 2});
  EXPECT_EQ(p.policy.rules[0].origin.to_string(), "p.json:/syscalls/0/args/0");
  EXPECT_EQ(p.policy.rules[2].origin.to_string(), "p.json:/syscalls/0/args/2");
  EXPECT_EQ(p.policy.rules[2].origin, RuleOrigin::in_json("p.json", "/syscalls/0", {2}));
}

TEST(OciReader, OriginsAreTheFileAndTheEntrysPointer) {
  auto p = read(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
      {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["write"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["close"], "action": "SCMP_ACT_ALLOW"},
      {"names": ["openat", "open"], "action": "SCMP_ACT_KILL"}]})");
  ASSERT_EQ(p.policy.rules.size(), 5u);
  for (std::size_t i : {3u, 4u}) {
    const RuleOrigin& o = p.policy.rules[i].origin;
    EXPECT_EQ(o.file, "p.json");
    EXPECT_EQ(o.json_pointer, "/syscalls/3");
    EXPECT_TRUE(o.json_args.empty());  // the entry was not split
    EXPECT_EQ(o.line, 0u);
    EXPECT_TRUE(o.option.empty() && o.name.empty());
  }
}

TEST(OciReader, RepeatedIndexProductSplit) {
  auto o = on(Arch::x86_64);
  o.arg_split = ArgSplit::Product;
  auto p = read(one_rule(kRepeated), o);
  ASSERT_EQ(p.policy.rules.size(), 2u);
  EXPECT_EQ(p.policy.rules[0].conditions, (std::vector<Condition>{arg(0) == 1, arg(1) == 5}));
  EXPECT_EQ(p.policy.rules[1].conditions, (std::vector<Condition>{arg(1) == 5, arg(0) == 2}));
  EXPECT_EQ(p.policy.rules[0].origin.to_string(), "p.json:/syscalls/0/args/0+1");
  EXPECT_EQ(p.policy.rules[1].origin.to_string(), "p.json:/syscalls/0/args/1+2");
  EXPECT_EQ(p.policy.rules[1].origin.json_pointer, "/syscalls/0");
  EXPECT_EQ(p.policy.rules[1].origin.json_args, (std::vector<unsigned>{1, 2}));
}

TEST(OciReader, DistinctIndexesStayInOneRule) {
  auto p = read(one_rule(R"("names": ["read", "write"], "action": "SCMP_ACT_ALLOW", "args": [
         {"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 2, "value": 9, "op": "SCMP_CMP_NE"}])"));
  ASSERT_EQ(p.policy.rules.size(), 2u);
  for (const auto& r : p.policy.rules) {
    EXPECT_EQ(r.conditions, (std::vector<Condition>{arg(0) == 1, arg(2) != 9}));
    EXPECT_EQ(r.origin.to_string(), "p.json:/syscalls/0");
  }
  EXPECT_EQ(p.policy.rules[1].syscall, SyscallRef(std::string("write")));
}

// ---- names ------------------------------------------------------------------

TEST(OciReader, NameAndNames) {
  auto p = read(one_rule(R"("name": "read", "action": "SCMP_ACT_ALLOW", "comment": "old form")"));
  ASSERT_EQ(p.policy.rules.size(), 1u);
  EXPECT_EQ(p.policy.rules[0].syscall, SyscallRef(std::string("read")));
  EXPECT_TRUE(Contains(err(one_rule(R"("name": "read", "names": ["write"], "action": "SCMP_ACT_ALLOW")")), "/syscalls/0/name: both \"name\" and \"names\""));
  EXPECT_TRUE(Contains(err(one_rule(R"("action": "SCMP_ACT_ALLOW")")), "/syscalls/0: a syscall rule needs \"names\""));
  EXPECT_TRUE(Contains(err(one_rule(R"("names": "read", "action": "SCMP_ACT_ALLOW")")), "/syscalls/0/names: expected an array of strings, found string \"read\""));
  EXPECT_TRUE(Contains(err(one_rule(R"("names": ["read", 3], "action": "SCMP_ACT_ALLOW")")), "/syscalls/0/names/1: expected a string, found number 3"));
  EXPECT_TRUE(Contains(err(one_rule(R"("names": ["read"], "action": "SCMP_ACT_ALLOW", "exclude": {"caps": []})")), "unknown key \"exclude\" in a syscall rule (did you mean 'excludes'?)"));
}

TEST(OciReader, UnknownSyscallNamesWarnOnce) {
  auto p = read(one_rule(R"("names": ["read", "opnat", "arm_fadvise64_64"], "action": "SCMP_ACT_ALLOW")"));
  ASSERT_EQ(p.policy.rules.size(), 1u);
  EXPECT_EQ(p.unknown_syscalls, (std::vector<std::string>{"opnat", "arm_fadvise64_64"}));
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_TRUE(Contains(p.warnings[0], "2 syscall names are not on x86_64 and are skipped"));
  // A typo gets a suggestion; a real syscall of another arch does not.
  EXPECT_TRUE(Contains(p.warnings[0], "opnat (did you mean 'openat'?)"));
  EXPECT_TRUE(Contains(p.warnings[0], ", arm_fadvise64_64"));
  auto strict = on(Arch::x86_64);
  strict.strict = true;
  auto e = err(one_rule(R"("names": ["read", "opnat"], "action": "SCMP_ACT_ALLOW")"), strict);
  EXPECT_TRUE(Contains(e, "/syscalls/0/names/1: 1 syscall name is not on x86_64"));
}

TEST(OciReader, NameOnAnyResolvedArchIsKept) {
  // _llseek is i386-only here; with i386 among the arches it is no warning.
  auto p = read(R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
                    "syscalls": [{"names": ["_llseek"], "action": "SCMP_ACT_ALLOW"}]})");
  EXPECT_TRUE(p.warnings.empty());
  ASSERT_EQ(p.policy.rules.size(), 1u);
  EXPECT_EQ(p.policy.arches, (std::vector<Arch>{Arch::x86_64, Arch::i386}));
}

TEST(OciReader, RulesEqualToDefaultAreKeptAndListed) {
  auto p = read(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
      {"names": ["read"], "action": "SCMP_ACT_ERRNO"},
      {"names": ["write"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
      {"names": ["close"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]})");
  EXPECT_EQ(p.policy.rules.size(), 3u);
  EXPECT_EQ(p.redundant_rules, (std::vector<RuleOrigin>{RuleOrigin::in_json("p.json", "/syscalls/0"), RuleOrigin::in_json("p.json", "/syscalls/2")}));
}

// ---- arches ---------------------------------------------------------------------

constexpr std::string_view kArchMap = R"({"defaultAction": "SCMP_ACT_ERRNO", "archMap": [
    {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
    {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]},
    {"architecture": "SCMP_ARCH_RISCV64", "subArchitectures": null}]})";

TEST(OciReader, ArchMapPicksTheHostEntry) {
  EXPECT_EQ(read(kArchMap, on(Arch::x86_64)).policy.arches, (std::vector<Arch>{Arch::x86_64, Arch::i386, Arch::x32}));
  EXPECT_EQ(read(kArchMap, on(Arch::aarch64)).policy.arches, (std::vector<Arch>{Arch::aarch64, Arch::arm}));
  EXPECT_EQ(read(kArchMap, on(Arch::riscv64)).policy.arches, (std::vector<Arch>{Arch::riscv64}));
  // No entry for the host: Docker passes no architectures; libseccomp's
  // filter holds the native arch alone.
  EXPECT_EQ(read(kArchMap, on(Arch::i386)).policy.arches, (std::vector<Arch>{Arch::i386}));
}

TEST(OciReader, ArchitecturesAreTakenAsListedPlusTheHost) {
  auto p = read(R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X86"]})");
  EXPECT_EQ(p.policy.arches, (std::vector<Arch>{Arch::i386, Arch::x86_64}));
  auto q = read(R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_ARM"]})", on(Arch::aarch64));
  EXPECT_EQ(q.policy.arches, (std::vector<Arch>{Arch::aarch64, Arch::arm}));
  EXPECT_EQ(read(R"({"defaultAction": "SCMP_ACT_ERRNO"})", on(Arch::aarch64)).policy.arches,
            std::vector<Arch>{Arch::aarch64});
  EXPECT_TRUE(Contains(err(R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_46"]})"), "/architectures/0: unknown architecture \"SCMP_ARCH_X86_46\" (did you mean 'SCMP_ARCH_X86_64'?)"));
  EXPECT_TRUE(Contains(err(R"({"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86"],
                      "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]})"), "both \"architectures\" and \"archMap\""));
}

// ---- flags, listener, config.json ------------------------------------------------

TEST(OciReader, FlagsAndListener) {
  auto p = read(R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
                    "listenerPath": "/run/agent.sock", "listenerMetadata": "pod=a",
                    "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_NOTIFY"}]})");
  EXPECT_EQ(p.policy.runtime.flags, (std::vector<std::string>{"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"}));
  EXPECT_EQ(p.policy.runtime.listener_path, "/run/agent.sock");
  EXPECT_EQ(p.policy.runtime.listener_metadata, "pod=a");
  EXPECT_TRUE(p.warnings.empty());
  EXPECT_TRUE(Contains(err(R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LGO"]})"), "/flags/0: unknown seccomp flag \"SECCOMP_FILTER_FLAG_LGO\""));
  EXPECT_TRUE(Contains(err(R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LGO"]})"), "(did you mean 'SECCOMP_FILTER_FLAG_LOG'?)"));
  // NOTIFY with nobody to notify is worth a warning.
  auto q = read(R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_NOTIFY"}]})");
  ASSERT_EQ(q.warnings.size(), 1u);
  EXPECT_TRUE(Contains(q.warnings[0], "no listenerPath"));
}

TEST(OciReader, WholeConfigJson) {
  auto p = read(R"({"ociVersion": "1.0.2", "process": {"args": ["sh"]},
      "linux": {"namespaces": [], "seccomp": {"defaultAction": "SCMP_ACT_ERRNO",
          "architectures": ["SCMP_ARCH_X86_64"],
          "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}}})");
  EXPECT_TRUE(p.from_config_json);
  ASSERT_EQ(p.policy.rules.size(), 1u);
  EXPECT_EQ(p.policy.rules[0].origin.to_string(), "p.json:/linux/seccomp/syscalls/0");
  EXPECT_TRUE(Contains(err(R"({"ociVersion": "1.0.2", "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO",
          "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOWW"}]}}})"), "/linux/seccomp/syscalls/0/action: unknown action"));
  EXPECT_TRUE(Contains(err(R"({"ociVersion": "1.0.2", "linux": {}})"), "no linux.seccomp"));
  EXPECT_FALSE(read(R"({"defaultAction": "SCMP_ACT_ALLOW"})").from_config_json);
}

// ---- includes / excludes -----------------------------------------------------------

TEST(OciReader, IncludesNeedEveryCapExcludesAny) {
  constexpr std::string_view json = R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
      {"names": ["bpf"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN", "CAP_BPF"]}},
      {"names": ["perf_event_open"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN", "CAP_BPF"]}}]})";
  auto names = [](const OciProfile& p) {
    std::vector<std::string> out;
    for (const auto& r : p.policy.rules) out.push_back(to_string(r.syscall));
    return out;
  };
  EXPECT_EQ(names(read(json, on(Arch::x86_64, {}))), std::vector<std::string>{"perf_event_open"});
  auto one = read(json, on(Arch::x86_64, {"CAP_SYS_ADMIN"}));
  EXPECT_TRUE(names(one).empty());
  ASSERT_EQ(one.skipped.size(), 2u);
  EXPECT_EQ(one.skipped[0].origin.to_string(), "p.json:/syscalls/0");
  EXPECT_EQ(one.skipped[0].reason, "includes.caps: CAP_BPF is not granted");
  EXPECT_EQ(one.skipped[1].reason, "excludes.caps: CAP_SYS_ADMIN is granted");
  EXPECT_EQ(names(read(json, on(Arch::x86_64, {"CAP_BPF"}))), std::vector<std::string>{});
  EXPECT_EQ(names(read(json, on(Arch::x86_64, {"CAP_SYS_ADMIN", "CAP_BPF"}))), std::vector<std::string>{"bpf"});
}

TEST(OciReader, IncludesAndExcludesArchesUseDockerNames) {
  constexpr std::string_view json = R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
      {"names": ["modify_ldt"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32", "x86"]}},
      {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "excludes": {"arches": ["s390", "s390x"]}}]})";
  EXPECT_EQ(read(json, on(Arch::x86_64)).policy.rules.size(), 2u);
  EXPECT_EQ(read(json, on(Arch::i386)).policy.rules.size(), 2u);  // Docker calls 386 "x86"
  auto arm = read(json, on(Arch::aarch64));
  ASSERT_EQ(arm.policy.rules.size(), 1u);
  EXPECT_EQ(arm.skipped[0].reason, "includes.arches does not list this host's arch \"arm64\"");
  EXPECT_EQ(read(json, on(Arch::s390x)).policy.rules.size(), 0u);
  // "386" looks right but Docker never produces it.
  auto p = read(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
      {"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["386"]}}]})",
                on(Arch::i386));
  EXPECT_TRUE(p.policy.rules.empty());
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_TRUE(Contains(p.warnings[0], "/syscalls/0/includes/arches/0: \"386\" is not an arch name Docker uses"));
}

TEST(OciReader, MinKernel) {
  constexpr std::string_view json = R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
      {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8"}},
      {"names": ["read"], "action": "SCMP_ACT_ALLOW", "excludes": {"minKernel": "5.4"}}]})";
  auto at = [&](KernelVersion k) {
    auto o = on(Arch::x86_64);
    o.kernel = k;
    std::vector<std::string> out;
    for (const auto& r : read(json, o).policy.rules) out.push_back(to_string(r.syscall));
    return out;
  };
  EXPECT_EQ(at({4, 7, 99}), std::vector<std::string>{"read"});
  EXPECT_EQ(at({4, 8, 0}), (std::vector<std::string>{"ptrace", "read"}));
  // Docker compares kernel.major only: 5.4.300 is "5.4".
  EXPECT_EQ(at({5, 3, 300}), (std::vector<std::string>{"ptrace", "read"}));
  EXPECT_EQ(at({5, 4, 0}), std::vector<std::string>{"ptrace"});
  EXPECT_EQ(at({6, 1, 0}), std::vector<std::string>{"ptrace"});
  const auto bad = [](std::string_view v) {
    return err(std::string(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": ")") +
               std::string(v) + "\"}}]}");
  };
  EXPECT_TRUE(Contains(bad("4.8.1"), "/syscalls/0/includes/minKernel: invalid minKernel \"4.8.1\""));
  EXPECT_TRUE(Contains(bad("4"), "invalid minKernel"));
  EXPECT_TRUE(Contains(bad("0.0"), "0.0 is not a version"));
  EXPECT_TRUE(Contains(bad("4.256"), "at most 255"));
}

TEST(OciReader, FilterValidation) {
  EXPECT_TRUE(Contains(err(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
      {"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMN"]}}]})"), "/syscalls/0/includes/caps/0: unknown capability \"CAP_SYS_ADMN\""));
  EXPECT_TRUE(Contains(err(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
      {"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["sys_admin"]}}]})"), "Docker compares names exactly"));
  EXPECT_TRUE(Contains(err(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
      {"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"cap": ["CAP_BPF"]}}]})"), "unknown key \"cap\" in includes/excludes (did you mean 'caps'?)"));
  // Entries that do not apply are still checked.
  EXPECT_TRUE(Contains(err(R"({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
      {"names": ["read"], "action": "SCMP_ACT_ALOW", "includes": {"arches": ["s390x"]}}]})"), "unknown action"));
}

// ---- JSON errors and positions --------------------------------------------------------

TEST(OciReader, MalformedJsonHasLineAndColumn) {
  auto e = err("{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [\n    {\"names\": [\"read\"] \"action\": 1}\n  ]\n}\n");
  EXPECT_TRUE(Contains(e, "p.json:4:24: malformed JSON: syntax error while parsing object - unexpected string literal"));
  auto t = err("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n}");
  EXPECT_TRUE(Contains(t, "p.json:2:1: malformed JSON"));
  EXPECT_TRUE(Contains(err(""), "p.json:1:1: malformed JSON"));
  EXPECT_TRUE(Contains(err("[1, 2]"), "expected a JSON object (a seccomp profile or an OCI config.json), found an array of 2"));
  // Found by the JSON fuzzer: a number too large for any type is bad input too.
  EXPECT_TRUE(Contains(err(R"({"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW",)"
                           R"("args":[{"index":0,"value":1E400,"op":"SCMP_CMP_EQ"}]}]})"),
                       "p.json: malformed JSON: number overflow"));
}

TEST(OciReader, SemanticErrorsHaveLines) {
  auto e = err("{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [\n    {\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
               "    {\"names\": [\"write\"],\n     \"action\": \"SCMP_ACT_ALLOW\",\n     \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"EQ\"}]}\n  ]\n}\n");
  EXPECT_TRUE(Contains(e, "p.json:7:46: /syscalls/1/args/0/op: unknown operator \"EQ\""));
}

TEST(OciReader, UnreadableFile) {
  auto e = error_of([] { read_oci_profile("/nonexistent/seccage/profile.json"); });
  EXPECT_TRUE(Contains(e, "/nonexistent/seccage/profile.json: cannot open the profile"));
  auto d = error_of([] { read_oci_profile(std::filesystem::temp_directory_path()); });
  EXPECT_TRUE(Contains(d, "cannot read the profile"));
  auto path = std::filesystem::temp_directory_path() / "seccage-oci-reader-test.json";
  {
    std::ofstream f(path);
    f << R"({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG"}]})";
  }
  auto p = read_oci_profile(path, on(Arch::x86_64));
  ASSERT_EQ(p.policy.rules.size(), 1u);
  EXPECT_EQ(p.policy.rules[0].origin.to_string(), path.string() + ":/syscalls/0");
  std::filesystem::remove(path);
}

// ---- options ---------------------------------------------------------------------------

TEST(ProfileCapabilities, ParsesLists) {
  EXPECT_TRUE(parse_capabilities("none").empty());
  EXPECT_EQ(parse_capabilities("docker-default"), docker_default_capabilities());
  EXPECT_EQ(docker_default_capabilities().size(), 14u);
  EXPECT_EQ(parse_capabilities("sys_admin, CAP_NET_ADMIN,Cap_Chown"),
            (CapabilitySet{"CAP_SYS_ADMIN", "CAP_NET_ADMIN", "CAP_CHOWN"}));
  auto d = parse_capabilities("docker-default,SYS_ADMIN");
  EXPECT_EQ(d.size(), 15u);
  EXPECT_EQ(parse_capabilities("all").size(), known_capabilities().size());
  EXPECT_TRUE(Contains(error_of([] { parse_capabilities("SYS_ADMN"); }), "unknown capability 'SYS_ADMN' (did you mean 'CAP_SYS_ADMIN'?)"));
  EXPECT_TRUE(Contains(error_of([] { parse_capabilities(""); }), "write 'none'"));
  EXPECT_TRUE(Contains(error_of([] { parse_capabilities("chown,,kill"); }), "empty capability name"));
}

TEST(ProfileKernelVersion, Parses) {
  EXPECT_EQ(parse_kernel_version("5.10").to_string(), "5.10");
  auto k = parse_kernel_version("6.1.0-18-amd64");
  EXPECT_EQ(k.major, 6u);
  EXPECT_EQ(k.minor, 1u);
  EXPECT_EQ(k.patch, 0u);
  EXPECT_EQ(parse_kernel_version("4.8.17").patch, 17u);
  EXPECT_EQ(parse_kernel_version("3.12-rc5").minor, 12u);
  // Compared as Docker compares: kernel.major only.
  EXPECT_EQ(parse_kernel_version("5.4.300"), parse_kernel_version("5.4"));
  EXPECT_LT(parse_kernel_version("4.19"), parse_kernel_version("5.4"));
  for (auto bad : {"5", "a.b", "5.x", "5.", "5.4.3.2", "-1.2", ""})
    EXPECT_THROW(parse_kernel_version(bad), InputError) << bad;
  EXPECT_GE(running_kernel_version().major, 3u);
}

TEST(ProfileDockerArch, Names) {
  EXPECT_EQ(docker_arch_name(Arch::x86_64), "amd64");
  EXPECT_EQ(docker_arch_name(Arch::i386), "x86");
  EXPECT_EQ(docker_arch_name(Arch::aarch64), "arm64");
  EXPECT_EQ(docker_arch_name(Arch::x32), "");
}

TEST(ProfileJsonLocate, FindsPointers) {
  using profile_detail::locate_pointer;
  constexpr std::string_view text = "{\n \"a\": [1, {\"b/c\": \"x\", \"b\": [ true ,\n  null]}],\n \"z\": 2}";
  auto p = locate_pointer(text, "/a/1/b/1");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->line, 3u);
  EXPECT_EQ(p->column, 3u);
  auto q = locate_pointer(text, "/a/1/b~1c");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->line, 2u);
  EXPECT_EQ(q->column, 19u);
  EXPECT_FALSE(locate_pointer(text, "/a/5"));
  EXPECT_FALSE(locate_pointer(text, "/zz"));
  // Last duplicate wins, as in nlohmann::json.
  auto last = locate_pointer("{\"a\": 1,\n\"a\": 2}", "/a");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->line, 2u);
}

}  // namespace
}  // namespace seccage
