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
#include <set>

#include <fmt/core.h>

#include "policy/evaluator.hpp"
#include "seccage/bpf.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "support/libseccomp_ref.hpp"
#include "support/random_policy.hpp"

namespace seccage {
namespace {

using test::RandomPolicyOptions;

int policy_budget() {
  const char* env = std::getenv("SECCAGE_DIFF_POLICIES");
  if (env == nullptr || *env == '\0') return 10000;
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
std::vector<Probe> probes(const Policy& p, std::mt19937_64& rng, bool all_unknown = false) {
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
    // Unknown numbers: past the table, and a gap inside it when there is one.
    bool unknown_comparable = all_unknown || !(p.enosys_for_unknown && p.default_action.denies());
    if (unknown_comparable) {
      nrs.insert(info.max_nr + 1);
      nrs.insert(info.max_nr + 100);
      if (a == Arch::x86_64) nrs.insert(0x3fffffff);
      if (a == Arch::x32) nrs.insert(0x7fffffff);
    }
    for (std::uint32_t nr : nrs) {
      // libseccomp's rules for names an arch lacks test negative pseudo
      // numbers; seccage has none (documented exception).
      if (nr >= 0x80000000u) continue;
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

// libseccomp 2.5.4 saves loads by remembering which word the accumulator
// holds, but does not account for the fall-through out of a deeper level, so
// a node after one can compare the wrong argument word (its own tree says
// otherwise: export_pfc shows the intended logic). This finds, by a forward
// data-flow pass over the program, the instructions that read the
// accumulator while it may hold more than one word: where libseccomp's code
// does not implement its own tree, there is no semantics to follow.
std::vector<bool> ambiguous_accumulator(const bpf::Program& prog) {
  using Source = std::pair<std::int64_t, std::uint32_t>;  // loaded offset (-1: none), mask applied
  std::vector<std::set<Source>> in(prog.size() + 1);
  std::vector<bool> ambiguous(prog.size(), false);
  in[0].insert({-1, 0xffffffffu});
  for (std::size_t i = 0; i < prog.size(); ++i) {
    const bpf::Insn& insn = prog[i];
    const std::uint16_t cls = insn.code & 0x07;
    std::set<Source> out = in[i];
    if (cls == bpf::op::LD) {
      out = {{static_cast<std::int64_t>(insn.k), 0xffffffffu}};
    } else if (cls == bpf::op::ALU) {
      if (in[i].size() > 1) ambiguous[i] = true;
      std::set<Source> masked;
      for (const Source& src : in[i]) masked.insert({src.first, src.second & insn.k});
      out = masked;
    } else if (cls == bpf::op::JMP) {
      const std::uint16_t kind = insn.code & 0xf0;
      if (kind == bpf::op::JA) {
        in[i + 1 + insn.k].insert(out.begin(), out.end());
        continue;
      }
      if (in[i].size() > 1) ambiguous[i] = true;
      in[i + 1 + insn.jt].insert(out.begin(), out.end());
      in[i + 1 + insn.jf].insert(out.begin(), out.end());
      continue;
    } else if (cls == bpf::op::RET) {
      continue;
    }
    in[i + 1].insert(out.begin(), out.end());
  }
  return ambiguous;
}

struct Totals {
  long compiled_cases = 0;     // seccage::compile's program against the evaluator
  long compiled_too_large = 0;
  long policies = 0;
  long cases = 0;
  long refused = 0;
  long libseccomp_broken = 0;  // filters that never load nr (see below)
  long libseccomp_stale = 0;   // paths through a stale accumulator (see above)
  long libseccomp_hangs = 0;   // policies libseccomp never finishes (see semantics)
};

std::string args_text(const std::array<std::uint64_t, 6>& a) {
  return fmt::format("[{:#x}, {:#x}, {:#x}, {:#x}, {:#x}, {:#x}]", a[0], a[1], a[2], a[3], a[4], a[5]);
}

// seccage's own compiled program against the evaluator: no exceptions at all,
// unknown numbers (ENOSYS) included.
std::optional<std::string> compare_compiled(const Policy& p, std::mt19937_64& rng, Totals& totals) {
  Evaluator ours(p);
  bpf::Program program;
  try {
    program = compile(p);
  } catch (const InputError&) {
    // Dense random policies can pass 4096 instructions; compile refuses
    // them, which is its documented behaviour.
    ++totals.compiled_too_large;
    return std::nullopt;
  }
  const auto vectors = test::random_args(rng, p, 16);
  for (const Probe& probe : probes(p, rng, true)) {
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

// Compares one policy; returns a reproduction message on the first mismatch.
std::optional<std::string> compare(const Policy& p, std::mt19937_64& rng, int optimize, Totals& totals) {
  Evaluator ours(p);
  // libseccomp 2.5.4 would loop forever on this policy: nothing to compare.
  if (std::any_of(ours.refused().begin(), ours.refused().end(), [](const RefusedRule& r) { return r.error == -ELOOP; })) {
    ++totals.libseccomp_hangs;
    return std::nullopt;
  }
  // In a child with a time limit: libseccomp 2.5.4 loops forever on some
  // rule sets that seccage's model does not see as loops (it reuses freed
  // tree nodes; the model never does).
  auto compiled = test::libseccomp_compile_guarded(p, optimize, std::chrono::seconds(5));
  if (!compiled) {
    ++totals.libseccomp_hangs;
    return std::nullopt;
  }
  const bpf::Program& program = compiled->program;
  auto pfc = [&]() { return test::LibseccompFilter(p, optimize).export_pfc(); };
  const std::vector<bool> stale = ambiguous_accumulator(program);

  std::set<int> ours_refused, theirs_refused;
  for (const auto& r : ours.refused()) ours_refused.insert(r.rule);
  for (const auto& r : compiled->refused) theirs_refused.insert(r.rule);
  totals.refused += static_cast<long>(theirs_refused.size());
  if (ours_refused != theirs_refused) {
    std::string msg = "refused rules differ: libseccomp refused";
    for (const auto& r : compiled->refused) msg += " " + r.to_string() + ";";
    msg += " seccage refused";
    for (const auto& r : ours.refused()) msg += fmt::format(" rule {} ({});", r.rule, r.reason);
    return msg;
  }

  const auto vectors = test::random_args(rng, p, 24);
  for (const Probe& probe : probes(p, rng)) {
    for (const auto& args : vectors) {
      bpf::SeccompData data;
      data.nr = static_cast<std::int32_t>(probe.nr);
      data.arch = probe.audit_arch;
      data.args = args;
      bpf::EmuResult run = bpf::emulate(program, data, probe.little_endian);
      Action theirs = run.action;
      Action mine = ours.evaluate(probe.audit_arch, probe.nr, args);
      ++totals.cases;
      if (mine != theirs && !run.read_nr) {
        // libseccomp 2.5.4 bug: in a filter for several arches, when an
        // arch's highest-priority entry is a pseudo syscall (a name the arch
        // lacks, such as semop on i386 or ipc on x86_64) its section never
        // loads nr and compares the arch value with syscall numbers. Not a
        // semantics to follow.
        ++totals.libseccomp_broken;
        totals.cases -= 1;
        return std::nullopt;
      }
      if (mine != theirs && std::any_of(run.path.begin(), run.path.end(), [&](std::uint16_t pc) { return stale[pc]; })) {
        ++totals.libseccomp_stale;
        totals.cases -= 1;
        return std::nullopt;
      }
      if (mine != theirs) {
        return fmt::format("arch {:#x} nr {} args {}: libseccomp {} seccage {}\nlibseccomp's filter:\n{}",
                           probe.audit_arch, probe.nr, args_text(args), theirs.to_string(), mine.to_string(),
                           pfc());
      }
    }
  }
  ++totals.policies;
  return std::nullopt;
}

void run_random(const char* name, const RandomPolicyOptions& options, int policies, std::uint64_t seed_base) {
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
      FAIL() << name << ": seed " << seed << " (optimize " << optimize << ")\n" << test::describe(p) << *failure;
    }
  }
  std::string line = fmt::format(
      "{}: {} policies, {} cases compared, {} rules refused by both, {} policies skipped for libseccomp's "
      "unloaded-nr bug, {} for its stale-accumulator bug, {} it would never finish, 0 mismatches; "
      "seccage::compile: {} cases, 0 mismatches ({} policies over 4096 instructions)",
      name, totals.policies, totals.cases, totals.refused, totals.libseccomp_broken, totals.libseccomp_stale,
      totals.libseccomp_hangs, totals.compiled_cases, totals.compiled_too_large);
  std::printf("%s\n", line.c_str());
  ::testing::Test::RecordProperty("policies", static_cast<int>(totals.policies));
  ::testing::Test::RecordProperty("cases", std::to_string(totals.cases));
}

TEST(Differential, RandomPoliciesX86_64) {
  RandomPolicyOptions o;
  o.arches = {Arch::x86_64};
  o.by_number = true;
  o.max_rules = 12;
  run_random("x86_64", o, policy_budget() * 6 / 10, 1'000'000);
}

TEST(Differential, RandomPoliciesX86Family) {
  RandomPolicyOptions o;
  o.arches = {Arch::x86_64, Arch::x32, Arch::i386};
  o.multiplexed = true;
  run_random("x86_64+x32+i386", o, policy_budget() * 2 / 10, 2'000'000);
}

TEST(Differential, RandomPoliciesI386Multiplexed) {
  RandomPolicyOptions o;
  o.arches = {Arch::i386};
  o.multiplexed = true;
  o.max_syscalls = 4;
  run_random("i386", o, policy_budget() / 10, 3'000'000);
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
  for (const auto& arches : sets) {
    RandomPolicyOptions o;
    o.arches = arches;
    o.multiplexed = true;
    std::string name;
    for (Arch a : arches) name += (name.empty() ? "" : "+") + std::string(arch_name(a));
    run_random(name.c_str(), o, per_set, seed);
    seed += 100'000;
  }
}

}  // namespace
}  // namespace seccage
