// seccage's compiled programs in the real kernel: random policies over
// syscalls that ignore their arguments are compiled, installed in a forked
// child, and exercised with real syscalls; what the kernel did must be what
// the emulator predicts for the same program, and what the policy's
// semantics say.
#include <gtest/gtest.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <random>

#include "policy/evaluator.hpp"
#include "seccage/compiler.hpp"
#include "support/child.hpp"

namespace seccage {
namespace {

#if defined(__x86_64__)

// Syscalls that take no arguments and cannot fail: any argument vector is
// harmless, and success or an errno tells the filter's answer apart.
constexpr long kHarmless[] = {SYS_getppid, SYS_getuid, SYS_getgid, SYS_geteuid, SYS_getegid, SYS_getpgrp};
constexpr std::uint64_t kValues[] = {0, 1, 2, 7, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
                                     0x100000001, 0xffffffff00000000, 0xffffffffffffffff};

struct Probe {
  std::int32_t nr;
  std::array<std::uint64_t, 6> args;
};

std::uint64_t pick(std::mt19937_64& rng) { return rng() % 4 == 0 ? rng() : kValues[rng() % std::size(kValues)]; }

Policy random_policy(std::mt19937_64& rng) {
  Policy p;
  p.arches = {Arch::x86_64};
  p.default_action = rng() % 2 ? Action::allow() : Action::errno_(static_cast<std::uint16_t>(100 + rng() % 20));
  const int rules = 1 + static_cast<int>(rng() % 8);
  for (int r = 0; r < rules; ++r) {
    Rule rule;
    rule.syscall = static_cast<std::uint32_t>(kHarmless[rng() % std::size(kHarmless)]);
    rule.action = rng() % 3 == 0 ? Action::allow() : Action::errno_(static_cast<std::uint16_t>(1 + rng() % 60));
    std::vector<std::uint8_t> args = {0, 1, 2, 3, 4, 5};
    std::shuffle(args.begin(), args.end(), rng);
    const std::size_t conditions = rng() % 3;
    for (std::size_t c = 0; c < conditions; ++c) {
      Condition cond;
      cond.arg = args[c];  // one condition per argument, as libseccomp requires
      cond.op = static_cast<CmpOp>(rng() % 7);
      cond.value = pick(rng);
      cond.mask = pick(rng);
      if (cond.op == CmpOp::MaskedEq) cond.value &= cond.mask;
      rule.conditions.push_back(cond);
    }
    p.rules.push_back(rule);
  }
  // What the child itself needs after the filter is on: report, and leave.
  for (const char* name : {"write", "close", "exit", "exit_group", "rt_sigreturn", "brk", "mmap", "munmap", "futex"})
    p.rules.push_back({std::string(name), Action::allow(), {}, "test harness"});
  return p;
}

TEST(CompilerKernel, RandomPoliciesDecideInTheKernelAsInTheEmulator) {
  std::mt19937_64 rng(2026);
  constexpr int kPolicies = 60;
  std::size_t compared = 0;
  for (int round = 0; round < kPolicies; ++round) {
    const Policy policy = random_policy(rng);
    const bpf::Program program = compile(policy);
    const Evaluator semantics(policy);

    std::vector<Probe> probes;
    for (long nr : kHarmless) {
      for (int i = 0; i < 25; ++i) {
        Probe p{static_cast<std::int32_t>(nr), {}};
        for (auto& a : p.args) a = pick(rng);
        // Reuse the policy's own constants so conditions are met often.
        for (const Rule& r : policy.rules)
          for (const Condition& c : r.conditions)
            if (rng() % 2) p.args[c.arg] = c.value;
        probes.push_back(p);
      }
    }

    const test::ChildResult child = test::run_in_child([&](int report) {
      if (test::install_filter(program) != 0) return 3;
      for (const Probe& p : probes) {
        errno = 0;
        const long r = ::syscall(p.nr, p.args[0], p.args[1], p.args[2], p.args[3], p.args[4], p.args[5]);
        const int answer = r < 0 ? errno : 0;
        test::write_value(report, answer);
      }
      return 0;
    });
    ASSERT_TRUE(child.ok()) << child.describe();
    const std::vector<int> answers = test::read_values<int>(child.output);
    ASSERT_EQ(answers.size(), probes.size());

    const std::uint32_t audit = arch_info(Arch::x86_64).audit_arch;
    for (std::size_t i = 0; i < probes.size(); ++i) {
      bpf::SeccompData data;
      data.arch = audit;
      data.nr = probes[i].nr;
      data.args = probes[i].args;
      const Action predicted = bpf::emulate(program, data).action;
      ASSERT_EQ(predicted, semantics.evaluate(audit, static_cast<std::uint32_t>(probes[i].nr), probes[i].args));
      const int expected = predicted.kind == ActionKind::Errno ? predicted.data : 0;
      ASSERT_EQ(answers[i], expected) << "policy " << round << ", probe " << i << ": predicted "
                                      << predicted.to_string();
      ++compared;
    }
  }
  std::printf("compiler vs kernel: %d policies, %zu syscalls compared\n", kPolicies, compared);
  EXPECT_EQ(compared, static_cast<std::size_t>(kPolicies) * std::size(kHarmless) * 25);
}

#endif

}  // namespace
}  // namespace seccage
