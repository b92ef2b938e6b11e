// Differential tests: seccage's semantics (the Evaluator) against libseccomp
// 2.5.4's filters run in seccage's emulator, on thousands of random dense
// policies and many syscall numbers and argument vectors each. libseccomp is
// the reference: any disagreement outside the documented exceptions
// (docs/semantics.md, "Differences from libseccomp") is a bug in seccage.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <linux/audit.h>
#include <random>
#include <numeric>
#include <set>
#include <string_view>

#include <fmt/core.h>

#include "policy/evaluator.hpp"
#include "seccage/bpf.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "support/stale_accumulator.hpp"
#include "support/libseccomp_pfc.hpp"
#include "support/libseccomp_ref.hpp"
#include "support/random_policy.hpp"

namespace seccage {
namespace {

using test::RandomPolicyOptions;

int policy_budget() {
  const char* env = std::getenv("SECCAGE_DIFF_POLICIES");
  // 2500 keeps the four tests under a minute on two cores; set
  // SECCAGE_DIFF_POLICIES=10000 or more for a longer hunt.
  if (env == nullptr || *env == '\0') return 2500;
  return std::max(1, std::atoi(env));
}

struct Probe {
  std::uint32_t audit_arch;
  std::uint32_t nr;
  bool little_endian;
};

// The syscall numbers worth asking about: every number a rule reaches, a few
// others from the table, numbers past the table, and the other ABI's numbers
// on AUDIT_ARCH_X86_64.
std::vector<Probe> probes(const Policy& p, std::mt19937_64& rng) {
  std::vector<Probe> out;
  const std::vector<Arch> arches = p.effective_arches();
  bool has_x86_64 = false, has_x32 = false;
  for (Arch a : arches) {
    const ArchInfo& info = arch_info(a);
    has_x86_64 |= a == Arch::x86_64;
    has_x32 |= a == Arch::x32;
    std::set<std::uint32_t> nrs;
    for (const Rule& r : p.rules) {
      if (const auto* n = std::get_if<std::uint32_t>(&r.syscall)) {
        nrs.insert(*n);
        continue;
      }
      const auto& name = std::get<std::string>(r.syscall);
      if (auto nr = syscall_number(a, name)) nrs.insert(*nr);
      if (auto m = multiplexed_call(name)) {
        if (auto via = syscall_number(a, m->via)) nrs.insert(*via);
      }
    }
    auto table = syscall_table(a);
    for (int i = 0; i < 3; ++i) nrs.insert(table[std::uniform_int_distribution<std::size_t>(0, table.size() - 1)(rng)].nr);
    // Unknown numbers: past the table, and the top of the ABI's range. Under
    // a denying default seccage answers them ENOSYS where libseccomp gives
    // the default (decided choice 1): compare() judges them as such.
    nrs.insert(info.max_nr + 1);
    nrs.insert(info.max_nr + 100);
    if (a == Arch::x86_64) nrs.insert(0x3fffffff);
    if (a == Arch::x32) nrs.insert(0x7fffffff);
    // Not probed: libseccomp's negative pseudo numbers for names an arch
    // lacks (-10100 and so on): no syscall has them, and seccage does not
    // give them the rule (docs/semantics.md).
    for (std::uint32_t nr : nrs) {
      if (a == Arch::x86_64 && nr >= kX32SyscallBit) continue;
      if (a == Arch::x32 && nr < kX32SyscallBit) continue;
      out.push_back({info.audit_arch, nr, info.little_endian});
    }
    // -1, the number a tracer writes to skip a call: both hand it to the
    // rules (the default action), on every arch, x86_64 without x32 too.
    out.push_back({info.audit_arch, kNoSyscallNr, info.little_endian});
  }
  // The other ABI on AUDIT_ARCH_X86_64: a foreign arch for the filter.
  if (has_x86_64 && !has_x32) out.push_back({AUDIT_ARCH_X86_64, kX32SyscallBit + 1, true});
  if (has_x32 && !has_x86_64) out.push_back({AUDIT_ARCH_X86_64, 1, true});
  // A foreign arch altogether.
  bool has_aarch64 = std::find(arches.begin(), arches.end(), Arch::aarch64) != arches.end();
  out.push_back({has_aarch64 ? AUDIT_ARCH_I386 : AUDIT_ARCH_AARCH64, 1, true});
  return out;
}


// Why a probe was not compared. Every probe ends in exactly one tally: a
// judgement (Judged) or a skip (Skipped); the run prints both, by reason,
// and fails when skips pass kMaxSkippedShare of all probes.
enum class Judged {
  Agree,             // libseccomp's program returns what seccage's evaluator does
  EnosysChoice,      // an unknown number: ENOSYS by seccage's decided choice 1, libseccomp's default
  UnloadedNr,        // libseccomp's program never loaded nr; its own tree (PFC) agrees with seccage
  StaleAccumulator,  // libseccomp's program compared a stale word; its own tree (PFC) agrees with seccage
  kCount
};
enum class Skipped {
  LibseccompHangs,  // libseccomp did not finish the policy within the time limit (its loop)
  kCount
};
constexpr std::array<const char*, static_cast<int>(Judged::kCount)> kJudgedNames{
    "agree with libseccomp's program", "ENOSYS for unknown numbers (decided choice 1, libseccomp gives the default)",
    "libseccomp's program never loads nr there; its tree (PFC) agrees with seccage",
    "libseccomp's program reads a stale accumulator there; its tree (PFC) agrees with seccage"};
constexpr std::array<const char*, static_cast<int>(Skipped::kCount)> kSkippedNames{
    "libseccomp never finishes the policy (confirmed: its guarded build ran out of time)"};

// The skip bound the test enforces, per run: beyond it, the oracle hides too
// much. Confirmed libseccomp loops are the only skip left; they are about 1%
// of the probes for the x86 family (0.5% for x86_64 alone).
constexpr double kMaxSkippedShare = 0.02;
// How long a libseccomp build may take before it counts as libseccomp's
// infinite loop. These policies build in about a millisecond; 500 ms leaves
// a wide margin on a loaded machine, and a loop costs that much CPU time
// (the child spins), so it also bounds what the confirmed loops cost.
constexpr std::chrono::milliseconds kLibseccompTimeLimit{500};

struct Totals {
  std::array<long, static_cast<int>(Judged::kCount)> judged{};
  std::array<long, static_cast<int>(Skipped::kCount)> skipped{};
  long foreign_arch = 0;        // of the judged probes: on an arch (or ABI) the filter lacks
  long multi_level = 0;         // of the judged probes: the program's path read an ambiguous accumulator
  long pfc_checked = 0;         // probes where libseccomp's tree (PFC) was evaluated too (all built ones)
  long generated = 0;           // policies generated
  long policies = 0;            // ... of them built by libseccomp and compared
  long refused = 0;             // rules refused by both
  long loops_predicted = 0;     // policies seccage's model calls a libseccomp loop (ELOOP)
  long loops_confirmed = 0;     // ... whose guarded libseccomp build indeed ran out of time
  long hangs_unpredicted = 0;   // libseccomp ran out of time on a policy the model builds (node reuse)
  long compiled_cases = 0;      // seccage::compile's program against the evaluator
  long compiled_too_large = 0;  // policies compile refuses for passing the kernel's 4096 instructions
  long judged_total() const { return std::accumulate(judged.begin(), judged.end(), 0L); }
  long skipped_total() const { return std::accumulate(skipped.begin(), skipped.end(), 0L); }
};

std::string args_text(const std::array<std::uint64_t, 6>& a) {
  return fmt::format("[{:#x}, {:#x}, {:#x}, {:#x}, {:#x}, {:#x}]", a[0], a[1], a[2], a[3], a[4], a[5]);
}

bool is_too_large(const InputError& e) {
  return std::string_view(e.what()).find("more than the kernel's limit") != std::string_view::npos;
}

// seccage's own compiled program against the evaluator: no exceptions at all,
// unknown numbers (ENOSYS) included.
std::optional<std::string> compare_compiled(const Policy& p, std::mt19937_64& rng, Totals& totals) {
  Evaluator ours(p);
  bpf::Program program;
  try {
    program = compile(p);
  } catch (const InputError& e) {
    // Dense random policies can pass 4096 instructions; compile refuses
    // them, which is its documented behaviour. Any other input error is a
    // generator or compiler bug and fails the test.
    if (!is_too_large(e)) return std::string("seccage::compile refused the policy: ") + e.what();
    ++totals.compiled_too_large;
    return std::nullopt;
  }
  const auto vectors = test::random_args(rng, p, 16);
  for (const Probe& probe : probes(p, rng)) {
    for (const auto& args : vectors) {
      bpf::SeccompData data;
      data.nr = static_cast<std::int32_t>(probe.nr);
      data.arch = probe.audit_arch;
      data.args = args;
      Action theirs = bpf::emulate(program, data, probe.little_endian).action;
      Action mine = ours.evaluate(probe.audit_arch, probe.nr, args);
      ++totals.compiled_cases;
      if (mine != theirs) {
        return fmt::format("seccage::compile: arch {:#x} nr {} args {}: program {} evaluator {}\n{}", probe.audit_arch,
                           probe.nr, args_text(args), theirs.to_string(), mine.to_string(),
                           bpf::disassemble(program));
      }
    }
  }
  return std::nullopt;
}

// Whether (audit_arch, nr) reaches one of the policy's arches: the rest is
// answered by the bad-arch action on both sides.
const ArchDecisions* own_arch(const Evaluator& ours, std::uint32_t audit_arch, std::uint32_t nr) {
  for (const ArchDecisions& d : ours.all_decisions()) {
    const ArchInfo& info = arch_info(d.arch);
    if (info.audit_arch != audit_arch) continue;
    if (d.arch == Arch::x86_64 && nr >= kX32SyscallBit && nr != kNoSyscallNr) continue;
    if (d.arch == Arch::x32 && nr < kX32SyscallBit) continue;
    return &d;
  }
  return nullptr;
}

// Compares one policy probe by probe; returns a reproduction message on the
// first probe that seccage gets wrong.
std::optional<std::string> compare(const Policy& p, std::mt19937_64& rng, int optimize, Totals& totals) {
  Evaluator ours(p);
  const bool loop_predicted = std::any_of(ours.refused().begin(), ours.refused().end(),
                                          [](const RefusedRule& r) { return r.error == -ELOOP; });
  totals.loops_predicted += loop_predicted;
  // Always run libseccomp, in a child with a time limit: a predicted loop
  // counts only when libseccomp indeed does not finish, and libseccomp also
  // loops on some rule sets the model builds (it reuses freed tree nodes;
  // the model never does).
  const test::GuardedLibseccomp built = test::libseccomp_compile_guarded(p, optimize, kLibseccompTimeLimit);
  const auto vectors = test::random_args(rng, p, 24);
  const std::vector<Probe> all_probes = probes(p, rng);
  if (built.outcome == test::GuardedLibseccomp::Outcome::Failed)
    return "libseccomp could not build the policy: " + built.error;
  if (built.outcome == test::GuardedLibseccomp::Outcome::TimedOut) {
    if (loop_predicted) ++totals.loops_confirmed;
    else ++totals.hangs_unpredicted;
    totals.skipped[static_cast<int>(Skipped::LibseccompHangs)] +=
        static_cast<long>(all_probes.size() * vectors.size());
    return std::nullopt;
  }
  if (loop_predicted) {
    return "seccage's model says libseccomp never finishes this policy (ELOOP), but libseccomp built it";
  }
  const bpf::Program& program = built.result.program;
  const test::PfcModel tree(built.pfc);
  const std::vector<bool> stale = test::ambiguous_accumulator(program);

  std::set<int> ours_refused, theirs_refused;
  for (const auto& r : ours.refused()) ours_refused.insert(r.rule);
  for (const auto& r : built.result.refused) theirs_refused.insert(r.rule);
  totals.refused += static_cast<long>(theirs_refused.size());
  if (ours_refused != theirs_refused) {
    std::string msg = "refused rules differ: libseccomp refused";
    for (const auto& r : built.result.refused) msg += " " + r.to_string() + ";";
    msg += " seccage refused";
    for (const auto& r : ours.refused()) msg += fmt::format(" rule {} ({});", r.rule, r.reason);
    return msg;
  }

  for (const Probe& probe : all_probes) {
    const ArchDecisions* arch = own_arch(ours, probe.audit_arch, probe.nr);
    // Unknown to seccage: not in the arch's table and named by no rule.
    const bool unknown = arch != nullptr && arch->find(probe.nr) == nullptr;
    for (const auto& args : vectors) {
      bpf::SeccompData data;
      data.nr = static_cast<std::int32_t>(probe.nr);
      data.arch = probe.audit_arch;
      data.args = args;
      const bpf::EmuResult run = bpf::emulate(program, data, probe.little_endian);
      const Action theirs = run.action;
      const Action mine = ours.evaluate(probe.audit_arch, probe.nr, args);
      const Action intended = Action::from_ret(tree.evaluate(probe.audit_arch, probe.nr, args));
      const bool through_stale =
          std::any_of(run.path.begin(), run.path.end(), [&](std::uint16_t pc) { return stale[pc]; });
      ++totals.pfc_checked;
      totals.foreign_arch += arch == nullptr;
      totals.multi_level += through_stale;

      // seccage's decided choice 1: libseccomp answers the default there.
      const bool enosys_choice = unknown && mine == Action::errno_(ENOSYS) && p.enosys_for_unknown &&
                                 p.default_action.denies();
      const Action expected_program = enosys_choice ? p.default_action : mine;
      auto explain = [&](std::string_view what) {
        return fmt::format(
            "{}: arch {:#x} nr {} args {}: libseccomp's program {}, libseccomp's tree (PFC) {}, seccage {}\n"
            "libseccomp's PFC:\n{}\nlibseccomp's program:\n{}",
            what, probe.audit_arch, probe.nr, args_text(args), theirs.to_string(), intended.to_string(),
            mine.to_string(), built.pfc, bpf::disassemble(program));
      };
      // The tree is libseccomp's meaning; seccage's model must agree with it
      // on every probe, whatever the program does.
      if (intended != expected_program) return explain("seccage disagrees with libseccomp's tree");
      if (theirs == expected_program) {
        ++totals.judged[static_cast<int>(enosys_choice ? Judged::EnosysChoice : Judged::Agree)];
        continue;
      }
      // The program departs from its own tree: only for libseccomp's two
      // known code generation bugs is that not a failure.
      if (arch != nullptr && !run.read_nr) {
        ++totals.judged[static_cast<int>(Judged::UnloadedNr)];
      } else if (through_stale) {
        ++totals.judged[static_cast<int>(Judged::StaleAccumulator)];
      } else {
        return explain("libseccomp's program departs from its tree for no known reason (PFC reading wrong?)");
      }
    }
  }
  ++totals.policies;
  return std::nullopt;
}

std::string report(const std::string& name, const Totals& totals);

Totals run_random(const char* name, const RandomPolicyOptions& options, int policies, std::uint64_t seed_base) {
  Totals totals;
  for (int i = 0; i < policies; ++i) {
    std::uint64_t seed = seed_base + static_cast<std::uint64_t>(i);
    std::mt19937_64 rng(seed);
    Policy p = test::random_policy(rng, options);
    int optimize = (i % 2 == 0) ? 1 : 2;
    std::optional<std::string> failure;
    try {
      // The compiler is slower than libseccomp on these dense policies: a
      // quarter of them keeps the whole test within CI's budget.
      if (i % 4 == 0) failure = compare_compiled(p, rng, totals);
      if (!failure) failure = compare(p, rng, optimize, totals);
    } catch (const std::exception& e) {
      failure = std::string("exception: ") + e.what();
    }
    if (failure) {
      ADD_FAILURE() << name << ": seed " << seed << " (optimize " << optimize << ")\n" << test::describe(p) << *failure;
      return totals;
    }
  }
  totals.generated = policies;
  std::printf("%s", report(name, totals).c_str());
  return totals;
}

// What a run compared and skipped, by reason.
std::string report(const std::string& name, const Totals& totals) {
  const long judged = totals.judged_total(), skipped = totals.skipped_total();
  std::string out = fmt::format("{}: {} policies ({} built by libseccomp), {} probes: {} judged, {} skipped\n", name,
                                   totals.generated, totals.policies, judged + skipped, judged, skipped);
  for (std::size_t i = 0; i < kJudgedNames.size(); ++i)
    out += fmt::format("  judged  {:>8}  {}\n", totals.judged[i], kJudgedNames[i]);
  for (std::size_t i = 0; i < kSkippedNames.size(); ++i)
    out += fmt::format("  skipped {:>8}  {}\n", totals.skipped[i], kSkippedNames[i]);
  out += fmt::format(
      "  of the judged: {} on an arch or ABI the filter lacks, {} through an accumulator holding more than one "
      "word; {} checked against libseccomp's tree (PFC) as well\n"
      "  libseccomp loops: {} predicted by seccage's model, {} of them confirmed; {} unpredicted; "
      "{} rules refused by both\n"
      "  seccage::compile: {} probes, 0 mismatches ({} policies over 4096 instructions)\n",
      totals.foreign_arch, totals.multi_level, totals.pfc_checked, totals.loops_predicted, totals.loops_confirmed,
      totals.hangs_unpredicted, totals.refused, totals.compiled_cases, totals.compiled_too_large);
  return out;
}

// The bound on skips, over one test's runs.
void expect_few_skips(const std::string& name, const Totals& totals) {
  const long judged = totals.judged_total(), skipped = totals.skipped_total();
  ::testing::Test::RecordProperty("policies", static_cast<int>(totals.policies));
  ::testing::Test::RecordProperty("judged", std::to_string(judged));
  ::testing::Test::RecordProperty("skipped", std::to_string(skipped));
  EXPECT_GT(judged, 0) << name;
  EXPECT_LE(static_cast<double>(skipped), kMaxSkippedShare * static_cast<double>(judged + skipped))
      << name << ": more than " << kMaxSkippedShare * 100 << "% of the probes skipped\n" << report(name, totals);
}

Totals& operator+=(Totals& a, const Totals& b) {
  for (std::size_t i = 0; i < a.judged.size(); ++i) a.judged[i] += b.judged[i];
  for (std::size_t i = 0; i < a.skipped.size(); ++i) a.skipped[i] += b.skipped[i];
  a.foreign_arch += b.foreign_arch;
  a.multi_level += b.multi_level;
  a.pfc_checked += b.pfc_checked;
  a.generated += b.generated;
  a.policies += b.policies;
  a.refused += b.refused;
  a.loops_predicted += b.loops_predicted;
  a.loops_confirmed += b.loops_confirmed;
  a.hangs_unpredicted += b.hangs_unpredicted;
  a.compiled_cases += b.compiled_cases;
  a.compiled_too_large += b.compiled_too_large;
  return a;
}

// The judge itself: libseccomp's PFC for a small rule set, read by
// PfcModel, gives the answers libseccomp's semantics say (worked out by hand:
// rules on later arguments are tried first; foreign arches and the other x86
// ABI get the bad-arch action).
TEST(DifferentialOracle, PfcModelReadsLibseccompsTree) {
  Policy p;
  p.arches = {Arch::x86_64};
  p.default_action = Action::kill_process();
  p.bad_arch_action = Action::errno_(9);
  p.multiplex = MultiplexMode::Compatible;
  auto add = [&](std::string name, Action action, std::vector<Condition> conditions) {
    Rule r;
    r.syscall = std::move(name);
    r.action = action;
    r.conditions = std::move(conditions);
    p.rules.push_back(r);
  };
  auto cond = [](std::uint8_t arg, CmpOp op, std::uint64_t value) {
    Condition c;
    c.arg = arg;
    c.op = op;
    c.value = value;
    return c;
  };
  add("write", Action::allow(), {});
  add("read", Action::errno_(5), {cond(0, CmpOp::EQ, 1), cond(1, CmpOp::GT, 0x100000005ull)});
  add("read", Action::errno_(7), {cond(3, CmpOp::NE, 3)});
  for (int level : {1, 2}) {
    const test::PfcModel tree(test::LibseccompFilter(p, level).export_pfc());
    const std::uint32_t x86_64 = arch_info(Arch::x86_64).audit_arch;
    const std::uint32_t read_nr = *syscall_number(Arch::x86_64, "read");
    const std::uint32_t write_nr = *syscall_number(Arch::x86_64, "write");
    using A = std::array<std::uint64_t, 6>;
    EXPECT_EQ(tree.evaluate(x86_64, write_nr, A{}), Action::allow().to_ret());
    EXPECT_EQ(tree.evaluate(x86_64, read_nr, A{1, 0x100000006ull, 0, 3}), Action::errno_(5).to_ret());
    EXPECT_EQ(tree.evaluate(x86_64, read_nr, A{1, 0x100000005ull, 0, 3}), Action::kill_process().to_ret());
    // a3 != 3 sits on a later argument, so it is tried first.
    EXPECT_EQ(tree.evaluate(x86_64, read_nr, A{1, 0x100000006ull, 0, 4}), Action::errno_(7).to_ret());
    EXPECT_EQ(tree.evaluate(x86_64, 2, A{}), Action::kill_process().to_ret());
    EXPECT_EQ(tree.evaluate(x86_64, kX32SyscallBit | 1u, A{}), Action::errno_(9).to_ret());
    EXPECT_EQ(tree.evaluate(AUDIT_ARCH_I386, 4, A{}), Action::errno_(9).to_ret());
  }
  // Nothing half-read: a comparison libseccomp cannot print is an error.
  EXPECT_THROW(test::PfcModel("if ($arch == 1)\n  if ($a0 ??? 5)\n    action ALLOW;\naction KILL;\n"),
               std::runtime_error);
  EXPECT_THROW(test::PfcModel("if ($arch == 1)\n  action ALLOW;\n").evaluate(2, 0, {}), std::runtime_error);
}

TEST(Differential, RandomPoliciesX86_64) {
  RandomPolicyOptions o;
  o.arches = {Arch::x86_64};
  o.by_number = true;
  o.max_rules = 12;
  expect_few_skips("x86_64", run_random("x86_64", o, policy_budget() * 6 / 10, 1'000'000));
}

TEST(Differential, RandomPoliciesX86Family) {
  RandomPolicyOptions o;
  o.arches = {Arch::x86_64, Arch::x32, Arch::i386};
  o.multiplexed = true;
  expect_few_skips("x86_64+x32+i386", run_random("x86_64+x32+i386", o, policy_budget() * 2 / 10, 2'000'000));
}

TEST(Differential, RandomPoliciesI386Multiplexed) {
  RandomPolicyOptions o;
  o.arches = {Arch::i386};
  o.multiplexed = true;
  o.max_syscalls = 4;
  expect_few_skips("i386", run_random("i386", o, policy_budget() / 10, 3'000'000));
}

TEST(Differential, RandomPoliciesOtherArches) {
  // Big-endian, 32-bit and multiplexing ABIs libseccomp supports.
  const std::vector<std::vector<Arch>> sets{{Arch::aarch64, Arch::arm},
                                            {Arch::s390x, Arch::s390},
                                            {Arch::ppc64, Arch::ppc},
                                            {Arch::mips, Arch::mips64n32},
                                            {Arch::ppc64le, Arch::riscv64, Arch::mipsel}};
  int per_set = std::max(1, policy_budget() / 10 / static_cast<int>(sets.size()));
  std::uint64_t seed = 4'000'000;
  Totals all;
  for (const auto& arches : sets) {
    RandomPolicyOptions o;
    o.arches = arches;
    o.multiplexed = true;
    std::string name;
    for (Arch a : arches) name += (name.empty() ? "" : "+") + std::string(arch_name(a));
    all += run_random(name.c_str(), o, per_set, seed);
    seed += 100'000;
  }
  // Few policies per set: the bound applies to the five sets together.
  std::printf("%s", report("other arches, together", all).c_str());
  expect_few_skips("other arches", all);
}

}  // namespace
}  // namespace seccage
