// Unit tests of the semantic layer. Where libseccomp can serve as the
// reference, the expected answer is what libseccomp's filter returns in the
// emulator, not a value written here.
#include <gtest/gtest.h>

#include <cerrno>
#include <linux/audit.h>

#include "policy/evaluator.hpp"
#include "seccage/bpf.hpp"
#include "seccage/decision.hpp"
#include "seccage/error.hpp"
#include "support/libseccomp_ref.hpp"

namespace seccage {
namespace {

using Args = std::array<std::uint64_t, 6>;

Action libseccomp_says(const Policy& p, std::uint32_t audit_arch, std::uint32_t nr, const Args& args) {
  test::LibseccompFilter f(p);
  bpf::SeccompData d;
  d.nr = static_cast<std::int32_t>(nr);
  d.arch = audit_arch;
  d.args = args;
  return bpf::emulate(f.export_bpf(), d).action;
}

Policy x86_64_policy(Action def) {
  Policy p;
  p.default_action = def;
  p.arches = {Arch::x86_64};
  return p;
}

constexpr std::uint32_t kWrite = 1;  // x86_64

TEST(Policy, ConditionMatchesAndPrints) {
  EXPECT_TRUE((arg(0) != 1).matches(2));
  EXPECT_FALSE((arg(0) != 1).matches(1));
  EXPECT_TRUE((arg(1) <= 0x100000000).matches(0x100000000));
  EXPECT_FALSE((arg(1) < 0x100000000).matches(0x100000000));
  EXPECT_TRUE(((arg(2) & 0x4) == 0).matches(3));
  EXPECT_FALSE(((arg(2) & 0x4) == 0).matches(4));
  EXPECT_EQ((arg(0) != 1).to_string(), "arg0 != 1");
  EXPECT_EQ(((arg(2) & 0x4) == 0).to_string(), "arg2 & 0x4 == 0");
  EXPECT_EQ((arg(3) >= 0xffffffff).to_string(), "arg3 >= 0xffffffff");
}

TEST(Policy, FilterBuilderAndEffectiveArches) {
  Filter f(Action::allow());
  f.add(Action::kill_process(), "write", {arg(0) != 1});
  EXPECT_EQ(f.policy().rules.size(), 1u);
  EXPECT_EQ(f.policy().effective_arches(), std::vector<Arch>{native_arch()});
  f.arch(Arch::x86_64).arch(Arch::i386).arch(Arch::x86_64);
  EXPECT_EQ(f.policy().effective_arches(), (std::vector<Arch>{Arch::x86_64, Arch::i386}));
}

TEST(Policy, ValidateRejectsWhatLibseccompRejects) {
  Policy p = x86_64_policy(Action::allow());
  p.rules.push_back({std::string("write"), Action::errno_(1), {arg(0) == 1, arg(0) == 2}, {}});
  EXPECT_THROW(validate(p), InputError);
  // libseccomp refuses the same rule outright.
  test::LibseccompFilter f(p);
  ASSERT_EQ(f.refused().size(), 1u);
  EXPECT_EQ(f.refused()[0].error, -EINVAL);
}

TEST(Policy, ValidateMessages) {
  Policy p = x86_64_policy(Action::allow());
  p.rules.push_back({std::string("opnat"), Action::errno_(1), {}, {}});
  try {
    validate(p);
    FAIL() << "a misspelt name must be rejected";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("openat"), std::string::npos) << e.what();
  }
  p.rules[0] = {std::string("socketcall"), Action::errno_(1), {}, {}};
  EXPECT_THROW(validate(p), InputError);  // exists, but not on x86_64
  p.arches.push_back(Arch::i386);
  EXPECT_NO_THROW(validate(p));
  p.rules[0] = {std::string("write"), Action::errno_(4096), {}, {}};
  EXPECT_THROW(validate(p), InputError);
  p.rules[0] = {std::string("write"), Action::errno_(1), {Condition{6, CmpOp::EQ, 0, 0}}, {}};
  EXPECT_THROW(validate(p), InputError);
}

TEST(Semantics, UnconditionalRuleOverridesConditionalInEitherOrder) {
  for (bool unconditional_first : {true, false}) {
    Policy p = x86_64_policy(Action::allow());
    Rule cond{std::string("write"), Action::errno_(1), {arg(0) == 1}, {}};
    Rule uncond{std::string("write"), Action::errno_(2), {}, {}};
    p.rules = unconditional_first ? std::vector<Rule>{uncond, cond} : std::vector<Rule>{cond, uncond};
    Evaluator e(p);
    for (std::uint64_t a0 : {0, 1}) {
      Args args{a0};
      Action ours = e.evaluate(AUDIT_ARCH_X86_64, kWrite, args);
      EXPECT_EQ(ours, Action::errno_(2));
      EXPECT_EQ(ours, libseccomp_says(p, AUDIT_ARCH_X86_64, kWrite, args));
    }
    EXPECT_FALSE(e.decisions(Arch::x86_64).at(kWrite).depends_on_args());
  }
}

TEST(Semantics, SameComparisonsWithAnotherActionAreRefusedLikeLibseccomp) {
  // The brief's example: the second rule's comparisons are a prefix of the
  // first's and lead elsewhere; libseccomp refuses it (EEXIST).
  Policy p = x86_64_policy(Action::allow());
  p.rules.push_back({std::string("write"), Action::errno_(1), {arg(0) == 1, arg(1) == 5}, {}});
  p.rules.push_back({std::string("write"), Action::errno_(2), {arg(0) == 1}, {}});
  Evaluator e(p);
  ASSERT_EQ(e.refused().size(), 1u);
  EXPECT_EQ(e.refused()[0].rule, 1);
  EXPECT_EQ(e.refused()[0].error, -EEXIST);
  test::LibseccompFilter f(p);
  ASSERT_EQ(f.refused().size(), 1u);
  EXPECT_EQ(f.refused()[0].rule, 1);
  for (Args args : {Args{1, 5}, Args{1, 6}, Args{2, 5}})
    EXPECT_EQ(e.evaluate(AUDIT_ARCH_X86_64, kWrite, args), libseccomp_says(p, AUDIT_ARCH_X86_64, kWrite, args));
}

TEST(Semantics, LongerRuleBehindShorterOneIsDropped) {
  // The other order: the longer rule adds nothing libseccomp keeps.
  Policy p = x86_64_policy(Action::allow());
  p.rules.push_back({std::string("write"), Action::errno_(2), {arg(0) == 1}, {}});
  p.rules.push_back({std::string("write"), Action::errno_(1), {arg(0) == 1, arg(1) == 5}, {}});
  Evaluator e(p);
  EXPECT_TRUE(e.refused().empty());
  Args args{1, 5};
  EXPECT_EQ(e.evaluate(AUDIT_ARCH_X86_64, kWrite, args), Action::errno_(2));
  EXPECT_EQ(e.evaluate(AUDIT_ARCH_X86_64, kWrite, args), libseccomp_says(p, AUDIT_ARCH_X86_64, kWrite, args));
}

TEST(Semantics, RuleWithTheDefaultActionIsANoOp) {
  Policy p = x86_64_policy(Action::errno_(1));
  p.rules.push_back({std::string("write"), Action::errno_(1), {}, {}});
  Evaluator e(p);
  EXPECT_TRUE(e.refused().empty());
  EXPECT_FALSE(e.decisions(Arch::x86_64).at(kWrite).depends_on_args());
  EXPECT_EQ(e.evaluate(AUDIT_ARCH_X86_64, kWrite, {}), Action::errno_(1));
}

TEST(Semantics, ForeignAbisGetTheBadArchAction) {
  Policy p = x86_64_policy(Action::allow());
  p.bad_arch_action = Action::kill_process();
  p.rules.push_back({std::string("write"), Action::errno_(1), {}, {}});
  Evaluator e(p);
  const std::uint32_t x32_write = *syscall_number(Arch::x32, "write");
  // An x32 number on an x86_64-only filter, an i386 call: both foreign.
  using P = std::pair<std::uint32_t, std::uint32_t>;
  for (auto [audit, nr] : {P{AUDIT_ARCH_X86_64, x32_write}, P{AUDIT_ARCH_I386, 4u}}) {
    EXPECT_EQ(e.evaluate(audit, nr, {}), Action::kill_process());
    EXPECT_EQ(e.evaluate(audit, nr, {}), libseccomp_says(p, audit, nr, {}));
  }
  // And x86_64 numbers on an x32-only filter.
  p.arches = {Arch::x32};
  Evaluator x32(p);
  EXPECT_EQ(x32.evaluate(AUDIT_ARCH_X86_64, kWrite, {}), Action::kill_process());
  EXPECT_EQ(x32.evaluate(AUDIT_ARCH_X86_64, kWrite, {}), libseccomp_says(p, AUDIT_ARCH_X86_64, kWrite, {}));
  EXPECT_EQ(x32.evaluate(AUDIT_ARCH_X86_64, x32_write, {}), Action::errno_(1));
}

TEST(Semantics, UnknownNumbersGetEnosysOnlyWhenTheDefaultDenies) {
  Policy p = x86_64_policy(Action::errno_(1));
  const std::uint32_t unknown = arch_info(Arch::x86_64).max_nr + 1;
  EXPECT_EQ(evaluate(p, AUDIT_ARCH_X86_64, static_cast<std::int32_t>(unknown), {}), Action::errno_(38));
  p.enosys_for_unknown = false;
  EXPECT_EQ(evaluate(p, AUDIT_ARCH_X86_64, static_cast<std::int32_t>(unknown), {}), Action::errno_(1));
  p.default_action = Action::log();
  p.enosys_for_unknown = true;
  EXPECT_EQ(evaluate(p, AUDIT_ARCH_X86_64, static_cast<std::int32_t>(unknown), {}), Action::log());
  // A number a rule names is known, even when the rule is a no-op.
  p.rules.push_back({unknown, Action::log(), {}, {}});
  p.default_action = Action::errno_(1);
  p.rules.back().action = Action::errno_(1);
  EXPECT_EQ(evaluate(p, AUDIT_ARCH_X86_64, static_cast<std::int32_t>(unknown), {}), Action::errno_(1));
}

TEST(Semantics, MultiplexedSubCallsCompatibleAndSafe) {
  // i386: socket is also reached as socketcall(SYS_SOCKET, ptr).
  const std::uint32_t socketcall = *syscall_number(Arch::i386, "socketcall");
  const std::uint32_t socket = *syscall_number(Arch::i386, "socket");
  const std::uint64_t sys_socket = multiplexed_call("socket")->call;
  Policy p;
  p.arches = {Arch::i386};
  p.default_action = Action::errno_(1);
  p.rules.push_back({std::string("socket"), Action::allow(), {arg(0) == 1 /* AF_UNIX */}, {}});
  p.multiplex = MultiplexMode::Compatible;

  // Compatible is libseccomp's answer, whatever it is.
  for (Args args : {Args{sys_socket, 0x1000}, Args{sys_socket, 1}, Args{2, 1}}) {
    EXPECT_EQ(Evaluator(p).evaluate(AUDIT_ARCH_I386, socketcall, args),
              libseccomp_says(p, AUDIT_ARCH_I386, socketcall, args));
  }
  EXPECT_EQ(Evaluator(p).evaluate(AUDIT_ARCH_I386, socketcall, Args{sys_socket, 0x1000}), Action::allow());

  // Safe: the allow cannot check AF_UNIX behind the pointer, so socketcall
  // does not carry it; the direct syscall still checks it.
  p.multiplex = MultiplexMode::Safe;
  Evaluator safe(p);
  EXPECT_EQ(safe.evaluate(AUDIT_ARCH_I386, socketcall, Args{sys_socket, 0x1000}), Action::errno_(1));
  EXPECT_EQ(safe.evaluate(AUDIT_ARCH_I386, socket, Args{1}), Action::allow());
  EXPECT_EQ(safe.evaluate(AUDIT_ARCH_I386, socket, Args{2}), Action::errno_(1));

  // Safe, a conditional deny under an allow default: the whole sub-call is
  // denied through the multiplexer.
  p.default_action = Action::allow();
  p.rules[0] = {std::string("socket"), Action::errno_(13), {arg(0) == 2 /* AF_INET */}, {}};
  Evaluator deny(p);
  EXPECT_EQ(deny.evaluate(AUDIT_ARCH_I386, socketcall, Args{sys_socket, 0x1000}), Action::errno_(13));
  EXPECT_EQ(deny.evaluate(AUDIT_ARCH_I386, socketcall, Args{sys_socket + 1, 0x1000}), Action::allow());
  EXPECT_EQ(deny.evaluate(AUDIT_ARCH_I386, socket, Args{1}), Action::allow());
}

TEST(Semantics, WordTestsAndFirstMatch) {
  WordTest t{0, true, WordOp::EQ, 0, 0xffffffffu, true};
  EXPECT_EQ(t.to_string(), "a0.hi == 0");
  WordTest m{2, false, WordOp::MaskedEq, 4, 4, false};
  EXPECT_EQ(m.to_string(), "!(a2.lo & 0x4 == 0x4)");
  EXPECT_TRUE(t.passes({0xffffffff}));
  EXPECT_FALSE(t.passes({0x100000000}));
  EXPECT_TRUE(m.passes({0, 0, 3}));
  EXPECT_FALSE(m.passes({0, 0, 4}));

  Decision d;
  d.otherwise = Action::allow();
  d.cases.push_back({{WordTest{0, false, WordOp::GT, 5, 0xffffffffu, true}}, Action::errno_(1), 0});
  d.cases.push_back({{WordTest{0, false, WordOp::GT, 2, 0xffffffffu, true}}, Action::errno_(2), 1});
  EXPECT_EQ(d.evaluate({6}), Action::errno_(1));
  EXPECT_EQ(d.evaluate({3}), Action::errno_(2));
  EXPECT_EQ(d.evaluate({1}), Action::allow());
}

TEST(Semantics, DecideMatchesTheEvaluator) {
  Policy p = x86_64_policy(Action::allow());
  p.rules.push_back({std::string("write"), Action::errno_(1), {arg(0) > 0x100000000}, {}});
  ArchDecisions d = decide(p, Arch::x86_64);
  EXPECT_EQ(d.arch, Arch::x86_64);
  ASSERT_TRUE(d.at(kWrite).depends_on_args());
  Evaluator e(p);
  for (std::uint64_t a0 : {0ull, 5ull, 0x100000000ull, 0x100000001ull, 0x200000000ull}) {
    Args args{a0};
    EXPECT_EQ(d.at(kWrite).evaluate(args), e.evaluate(AUDIT_ARCH_X86_64, kWrite, args));
    EXPECT_EQ(d.at(kWrite).evaluate(args), libseccomp_says(p, AUDIT_ARCH_X86_64, kWrite, args));
  }
}

}  // namespace
}  // namespace seccage
