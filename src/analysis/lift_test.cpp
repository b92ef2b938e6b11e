// lift_filter reads a filter back as a policy that decides the same. The
// filters come from seccage's compiler and, as an independent builder, from
// libseccomp; the lifted policy is compiled again and compared with the
// original in the emulator on every syscall with diff_filters, and, as a
// second witness that does not share diff_filters' probes, on random
// argument vectors against the Evaluator's reading of the lifted policy.
#include "seccage/lift.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/filter_diff.hpp"
#include "seccage/load_policy.hpp"
#include "seccage/policy_text.hpp"
#include "support/libseccomp_ref.hpp"
#include "support/profiles.hpp"
#include "support/random_policy.hpp"
#include "support/stale_accumulator.hpp"

namespace seccage {
namespace {

Policy text_policy(const std::string& text, std::vector<Arch> arches = {Arch::x86_64}) {
  PolicyLoadOptions o;
  o.arches = std::move(arches);
  return load_policy_text(text, "t.policy", o).policy;
}

// The values the random witness draws each argument from: the ones filters
// compare with, their neighbours, and the 32-bit edges.
std::uint64_t random_argument(std::mt19937_64& rng) {
  static const std::uint64_t kValues[] = {0, 1, 2, 3, 4, 5, 8, 16, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
                                          0x100000001, 0x8000000000000000, 0xffffffffffffffff};
  const std::uint64_t base = kValues[rng() % std::size(kValues)];
  switch (rng() % 4) {
    case 0: return base + 1;
    case 1: return base - 1;
    case 2: return rng();
    default: return base;
  }
}

// Every listed syscall of each arch, with random arguments: the original
// program in the emulator and the lifted policies' reference semantics agree.
void expect_same_decisions(const bpf::Program& original, const LiftedFilter& lifted) {
  std::mt19937_64 rng(7);
  for (const Policy& policy : lifted.policies) {
    for (Arch a : policy.effective_arches()) {
      const ArchInfo& info = arch_info(a);
      for (const SyscallEntry& e : syscall_table(a)) {
        for (int round = 0; round < 4; ++round) {
          bpf::SeccompData d;
          d.arch = info.audit_arch;
          d.nr = static_cast<std::int32_t>(e.nr);
          std::uint64_t args[6];
          for (int i = 0; i < 6; ++i) args[i] = d.args[i] = info.is_64bit ? random_argument(rng) : random_argument(rng) & 0xffffffff;
          const Action expected = bpf::emulate(original, d, info.little_endian).action;
          EXPECT_EQ(evaluate(policy, info.audit_arch, d.nr, args), expected)
              << arch_name(a) << " " << e.name << "(" << args[0] << ", " << args[1] << ", " << args[2] << ")";
        }
      }
    }
  }
}

TEST(Lift, SeccagesOwnFilterComesBackAsThePolicy) {
  const Policy policy = text_policy(
      "default errno(EPERM)\n"
      "allow read, write, exit_group\n"
      "kill execve\n"
      "allow personality: arg0 == 8\n"
      "allow lseek: arg1.u64 == 0x100000001\n"
      "allow mmap: arg2 & 4 == 0\n"
      "errno(EACCES) openat: arg2 > 100\n");
  const bpf::Program program = compile(policy);
  const LiftedFilter lifted = lift_filter(program);
  ASSERT_EQ(lifted.arches, std::vector<Arch>{Arch::x86_64});
  ASSERT_EQ(lifted.policies.size(), 1u);
  const Policy& back = lifted.policies.front();
  EXPECT_EQ(back.default_action, Action::errno_(1));
  EXPECT_TRUE(back.enosys_for_unknown);  // seccage answers unknown numbers ENOSYS
  EXPECT_TRUE(diff_filters(program, compile(back), {Arch::x86_64}).same());
  expect_same_decisions(program, lifted);
  const std::string text = write_text_policy(back);
  EXPECT_NE(text.find("kill execve"), std::string::npos) << text;
  // The text reads back to the same decisions.
  EXPECT_TRUE(diff_filters(program, compile(text_policy(text)), {Arch::x86_64}).same()) << text;
}

TEST(Lift, LibseccompsDockerFilterForThreeArchesDecidesTheSame) {
  PolicyLoadOptions o;
  o.arches = {Arch::x86_64, Arch::x32, Arch::i386};
  const Policy policy = load_policy_file(test::profiles_dir() / "docker-default.json", o).policy;
  const bpf::Program theirs = test::libseccomp_compile(policy).program;
  const LiftedFilter lifted = lift_filter(theirs);
  EXPECT_EQ(lifted.arches, (std::vector<Arch>{Arch::x86_64, Arch::x32, Arch::i386}));
  for (const Policy& p : lifted.policies) {
    // Each policy answers for its own arches' calls (diff_filters names
    // x32's numbers x32, though they carry x86_64's AUDIT_ARCH value).
    const std::vector<Arch> mine = p.effective_arches();
    for (const FilterDifference& d : diff_filters(theirs, compile(p), mine).differences)
      EXPECT_EQ(std::count(mine.begin(), mine.end(), d.arch), 0) << arch_name(d.arch) << " " << d.syscall;
    EXPECT_EQ(p.default_action, Action::errno_(1));
  }
  expect_same_decisions(theirs, lifted);
}

TEST(Lift, SixtyFourBitComparisonsOfLibseccomp) {
  // libseccomp tests the high word, then the low one: equality, order and
  // masks over both halves come back as 64-bit conditions.
  const Policy policy = text_policy(
      "default errno(EPERM)\n"
      "allow lseek: arg1.u64 == 0x100000001\n"
      "allow lseek: arg1.u64 > 0x200000005\n"
      "allow mmap: arg3.u64 & 0x100000010 == 0x100000000\n"
      "allow dup3: arg2.u64 != 0x300000000\n");
  const bpf::Program theirs = test::libseccomp_compile(policy).program;
  const LiftedFilter lifted = lift_filter(theirs);
  ASSERT_EQ(lifted.policies.size(), 1u);
  EXPECT_TRUE(diff_filters(theirs, compile(lifted.policies.front()), {Arch::x86_64}).same());
  expect_same_decisions(theirs, lifted);
}

// Every profile the repository holds, on one arch and on the x86 family,
// built by seccage and by libseccomp: each reads back, and decides the same.
TEST(Lift, EveryProfileOfTheRepositoryReadsBack) {
  int lifted = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::profiles_dir())) {
    for (const std::vector<Arch>& arches : {std::vector<Arch>{Arch::x86_64}, std::vector<Arch>{Arch::x86_64, Arch::x32, Arch::i386},
                                            std::vector<Arch>{Arch::aarch64}}) {
      SCOPED_TRACE(entry.path().filename().string() + " on " + std::string(arch_name(arches.front())));
      PolicyLoadOptions o;
      o.arches = arches;
      Policy policy;
      try {
        policy = load_policy_file(entry.path(), o).policy;
      } catch (const InputError&) {
        continue;  // a fixture of a profile runtimes refuse (errno 12345)
      }
      for (const bpf::Program& program : {compile(policy), test::libseccomp_compile(policy).program}) {
        LiftedFilter back;
        ASSERT_NO_THROW(back = lift_filter(program)) << bpf::disassemble(program);
        expect_same_decisions(program, back);
        ++lifted;
      }
    }
  }
  EXPECT_GE(lifted, 30);  // five loadable profiles, three arch sets, two compilers
}

// Random dense policies (many overlapping rules on a few syscalls, operands
// at the word boundaries), built by libseccomp and by seccage, on one arch and
// on the x86 family: each program reads back and decides as before, or is
// refused as too complex, never read back wrong. Refusals come from an
// argument both ordered and masked, or ranged on both sides, which a policy
// (one comparison per argument in a rule) says as aligned blocks, many of
// them across several arguments; the rules then exceed what a filter holds,
// or overlap in ways libseccomp's rule model refuses. Dense random rules do
// that far more than real profiles do; at least half must still read back.
TEST(Lift, RandomPoliciesBuiltByBothCompilersReadBack) {
  const std::vector<std::vector<Arch>> sets{{Arch::x86_64}, {Arch::x86_64, Arch::x32, Arch::i386}, {Arch::aarch64}};
  std::mt19937_64 rng(11);
  int lifted = 0, too_complex = 0;
  for (int round = 0; round < 45; ++round) {
    test::RandomPolicyOptions o;
    o.arches = sets[static_cast<std::size_t>(round) % sets.size()];
    o.by_number = o.arches.size() == 1 && o.arches[0] == native_arch();
    const Policy policy = test::random_policy(rng, o);
    std::vector<bpf::Program> programs{compile(policy)};
    const test::GuardedLibseccomp theirs = test::libseccomp_compile_guarded(policy, 1, std::chrono::seconds(5));
    // libseccomp's stale-accumulator bug (docs/semantics.md) makes programs
    // that compare one word where their tree meant another: what they decide
    // is no policy's meaning, and lift_filter may refuse them; left out.
    if (theirs.outcome == test::GuardedLibseccomp::Outcome::Built) {
      const std::vector<bool> stale = test::ambiguous_accumulator(theirs.result.program);
      if (std::find(stale.begin(), stale.end(), true) == stale.end()) programs.push_back(theirs.result.program);
    }
    for (const bpf::Program& program : programs) {
      SCOPED_TRACE(test::describe(policy));
      try {
        expect_same_decisions(program, lift_filter(program, o.arches));
        ++lifted;
      } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("too complex to read back as a policy"), std::string::npos) << e.what();
        ++too_complex;
      }
    }
  }
  EXPECT_GE(lifted, too_complex) << lifted << " read back, " << too_complex << " too complex";
  std::printf("%d programs read back, %d refused as too complex\n", lifted, too_complex);
}

// Two filters stacked, as the kernel runs a process's: the most severe action
// of the two, the newer filter's on a tie.
TEST(Lift, StackedFiltersTogether) {
  const bpf::Program older = compile(text_policy(
      "default errno(EPERM)\nallow read, write, exit_group, execve\nallow personality: arg0 == 8\nerrno(EACCES) openat\n"));
  const bpf::Program newer = compile(text_policy(
      "default allow\nerrno(ENOENT) execve\nerrno(EAGAIN) openat\nkill personality: arg0 > 4\n"));
  const std::vector<bpf::Program> stack{newer, older};
  const LiftedFilter back = lift_filters(stack);
  ASSERT_EQ(back.policies.size(), 1u);
  const Policy& p = back.policies.front();
  const std::uint32_t audit = arch_info(Arch::x86_64).audit_arch;
  auto at = [&](const char* name, std::uint64_t arg0) {
    const std::uint64_t args[6] = {arg0, 0, 0, 0, 0, 0};
    return evaluate(p, audit, static_cast<std::int32_t>(*syscall_number(Arch::x86_64, name)), args);
  };
  EXPECT_EQ(at("read", 0), Action::allow());
  EXPECT_EQ(at("execve", 0), Action::errno_(ENOENT));    // the newer's ERRNO over the older's ALLOW
  EXPECT_EQ(at("openat", 0), Action::errno_(EAGAIN));    // a tie of ERRNOs: the newer's
  EXPECT_EQ(at("personality", 8), Action::kill_process());  // KILL over ALLOW
  EXPECT_EQ(at("personality", 3), Action::errno_(EPERM));   // the older's default over the newer's ALLOW
  EXPECT_TRUE(diff_filter_stacks(stack, std::vector<bpf::Program>{compile(p)}, {Arch::x86_64}).same());
}

TEST(Lift, RefusesWhatAPolicyCannotSay) {
  using namespace bpf;
  // Arithmetic on an argument: arg0 + 1 == 5.
  const Program add = {
      stmt(op::LD | op::W | op::ABS, kOffArch),
      jump(op::JMP | op::JEQ | op::K, arch_info(Arch::x86_64).audit_arch, 1, 0),
      stmt(op::RET | op::K, 0),
      stmt(op::LD | op::W | op::ABS, kOffArgs),
      stmt(op::ALU | op::ADD | op::K, 1),
      jump(op::JMP | op::JEQ | op::K, 5, 0, 1),
      stmt(op::RET | op::K, 0x7fff0000u),
      stmt(op::RET | op::K, 0x00050001u),
  };
  try {
    lift_filter(add);
    FAIL() << "lifted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("instruction 4"), std::string::npos) << e.what();
  }
  // Every number from 1000 up allowed: no finite list of numbers says it.
  const Program from_1000 = {
      stmt(op::LD | op::W | op::ABS, kOffArch),
      jump(op::JMP | op::JEQ | op::K, arch_info(Arch::x86_64).audit_arch, 1, 0),
      stmt(op::RET | op::K, 0),
      stmt(op::LD | op::W | op::ABS, kOffNr),
      jump(op::JMP | op::JGE | op::K, 1000, 0, 1),
      stmt(op::RET | op::K, 0x7fff0000u),
      stmt(op::RET | op::K, 0x00050001u),
  };
  try {
    lift_filter(from_1000);
    FAIL() << "lifted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("x86_64: numbers from 1000 on (more than 256) get ALLOW"), std::string::npos) << e.what();
  }
  // The same for 1000 to 1009 only: ten rules by number.
  const Program ten = {
      stmt(op::LD | op::W | op::ABS, kOffArch),
      jump(op::JMP | op::JEQ | op::K, arch_info(Arch::x86_64).audit_arch, 1, 0),
      stmt(op::RET | op::K, 0),
      stmt(op::LD | op::W | op::ABS, kOffNr),
      jump(op::JMP | op::JGE | op::K, 1010, 2, 0),
      jump(op::JMP | op::JGE | op::K, 1000, 0, 1),
      stmt(op::RET | op::K, 0x7fff0000u),
      stmt(op::RET | op::K, 0x00050001u),
  };
  const LiftedFilter back = lift_filter(ten);
  std::size_t by_number = 0;
  for (const Rule& r : back.policies.front().rules) by_number += std::holds_alternative<std::uint32_t>(r.syscall);
  EXPECT_EQ(by_number, 10u) << write_text_policy(back.policies.front());
  // A filter that never tests the arch has no syscalls to read back.
  EXPECT_THROW(lift_filter({stmt(op::RET | op::K, 0x7fff0000u)}), InputError);
}

}  // namespace
}  // namespace seccage
