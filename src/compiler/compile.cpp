// compile(): Policy -> decisions per arch -> ranges -> search trees -> one
// hash-consed graph -> BPF, verified.
#include "seccage/compiler.hpp"

#include <algorithm>

#include <fmt/core.h>

#include "compiler/arg_tests.hpp"
#include "compiler/codegen.hpp"
#include "compiler/dispatch.hpp"
#include "policy/evaluator.hpp"
#include "seccage/decision.hpp"
#include "seccage/error.hpp"

namespace seccage {
namespace {

using compiler::Graph;
using compiler::Load;
using compiler::NodeId;
using compiler::Range;

// Weight of a run of numbers no syscall uses: small, so the search tree keeps
// them out of the way of real syscalls, but not zero, so they are not buried
// arbitrarily deep.
constexpr double kGapWeight = 0.1;

// Extra weight for syscalls whose outcome depends on their arguments: their
// checks come after the search, so they are lifted nearer the root to keep
// the longest paths short, at a small cost to the mean.
constexpr double kArgCheckWeight = 4.0;

// How many lone numbers may be folded into one range (see fold_exceptions).
constexpr std::size_t kMaxExceptions = 2;

class Weights {
 public:
  Weights(const CompileOptions& options, Arch arch) : options_(options), arch_(arch) {}

  double of(std::uint32_t nr, const Decision& decision) const {
    if (options_.frequency.empty()) return 1.0;
    auto name = syscall_name(arch_, nr);
    if (!name) return kGapWeight;
    // A syscall allowed whatever its arguments is answered by the kernel's
    // action cache (Linux 5.11) without running the filter: how often it is
    // called costs nothing here, so its frequency must not pull it up the
    // tree at the expense of the calls that do run the filter.
    if (!decision.depends_on_args() && decision.otherwise == Action::allow()) return kGapWeight;
    auto it = options_.frequency.find(std::string(*name));
    // Syscalls the profile never saw still happen (error paths, other inputs).
    return kGapWeight + (it == options_.frequency.end() ? 0.0 : it->second);
  }

 private:
  const CompileOptions& options_;
  Arch arch_;
};

// The ranges of [first, last] for one arch: its decisions, and the arch's
// `unknown` decision in the gaps.
void add_arch_ranges(Graph& g, std::vector<Range>& out, const ArchDecisions& d, std::uint32_t first,
                     std::uint32_t last, const CompileOptions& options) {
  const bool le = arch_info(d.arch).little_endian;
  const Weights weights(options, d.arch);
  const NodeId unknown = compiler::build_decision(g, d.unknown, le);
  // Neighbouring numbers mostly share a decision: each run of numbers with
  // one decision is built once and appended as one range.
  const Decision* previous = nullptr;
  Range run{first, first, unknown, 0.0};
  bool in_run = false;
  auto flush = [&] {
    if (in_run) compiler::append_range(out, run);
    in_run = false;
  };
  std::uint64_t next = first;
  auto it = std::lower_bound(d.by_number.begin(), d.by_number.end(), first,
                             [](const auto& entry, std::uint32_t n) { return entry.first < n; });
  for (; it != d.by_number.end() && it->first <= last; ++it) {
    const auto& [nr, decision] = *it;
    const bool same = previous != nullptr && *previous == decision;
    if (nr > next || !same) {
      flush();
      if (nr > next) compiler::append_range(out, {static_cast<std::uint32_t>(next), nr - 1, unknown, kGapWeight});
      if (!same) {
        previous = &decision;
        run.code = compiler::build_decision(g, decision, le);
      }
      run.first = nr;
      run.weight = 0;
      in_run = true;
    }
    run.last = nr;
    run.weight += weights.of(nr, decision) + (decision.depends_on_args() ? kArgCheckWeight : 0.0);
    next = std::uint64_t{nr} + 1;
  }
  flush();
  if (next <= last) compiler::append_range(out, {static_cast<std::uint32_t>(next), last, unknown, kGapWeight});
}

// Everything seen under one AUDIT_ARCH value. Only x86_64 and x32 share one:
// x32 numbers carry bit 30, so the x86_64 half of the space below it and the
// x32 half above it, and a half whose arch the policy lacks is a foreign arch.
NodeId audit_block(Graph& g, const Policy& policy, const std::vector<Arch>& arches,
                   const std::vector<ArchDecisions>& decisions, std::uint32_t audit, const CompileOptions& options) {
  auto decisions_of = [&](Arch arch) -> const ArchDecisions& {
    return decisions[static_cast<std::size_t>(std::find(arches.begin(), arches.end(), arch) - arches.begin())];
  };
  const NodeId bad_arch = g.ret(policy.bad_arch_action.to_ret());
  const ArchInfo* lower_half = nullptr;
  const ArchInfo* upper_half = nullptr;
  for (const ArchInfo& info : all_arches()) {
    if (info.audit_arch != audit) continue;
    if (info.arch == Arch::x32) upper_half = &info;
    else lower_half = &info;
  }
  auto wanted = [&](const ArchInfo* info) {
    return info && std::find(arches.begin(), arches.end(), info->arch) != arches.end();
  };

  std::vector<Range> ranges;
  ranges.reserve(256);
  if (!upper_half) {
    add_arch_ranges(g, ranges, decisions_of(lower_half->arch), 0, 0xffffffffu, options);
  } else if (wanted(lower_half) && wanted(upper_half)) {
    // Both ABIs: a tree per half under one test of the x32 bit. The optimal
    // tree costs the square of its ranges in time and memory, and one tree
    // over both halves made x86_64+x32 compile about thirty times slower
    // than x86_64 alone (docs/benchmarks.md).
    std::vector<Range> lower, upper;
    add_arch_ranges(g, lower, decisions_of(lower_half->arch), 0, kX32SyscallBit - 1, options);
    add_arch_ranges(g, upper, decisions_of(upper_half->arch), kX32SyscallBit, 0xffffffffu, options);
    const NodeId low = compiler::search_tree(g, lower, kMaxExceptions);
    const NodeId high = compiler::search_tree(g, upper, kMaxExceptions);
    return g.test(Load{bpf::kOffNr}, bpf::op::JGE, kX32SyscallBit, high, low);
  } else {
    if (wanted(lower_half)) add_arch_ranges(g, ranges, decisions_of(lower_half->arch), 0, kX32SyscallBit - 1, options);
    else compiler::append_range(ranges, {0, kX32SyscallBit - 1, bad_arch, kGapWeight});
    if (wanted(upper_half)) {
      add_arch_ranges(g, ranges, decisions_of(upper_half->arch), kX32SyscallBit, 0xffffffffu, options);
    } else {
      compiler::append_range(ranges, {kX32SyscallBit, kNoSyscallNr - 1, bad_arch, kGapWeight});
      // -1 is no x32 call: libseccomp gives it to the x86_64 rules.
      if (wanted(lower_half)) add_arch_ranges(g, ranges, decisions_of(lower_half->arch), kNoSyscallNr, kNoSyscallNr, options);
      else compiler::append_range(ranges, {kNoSyscallNr, kNoSyscallNr, bad_arch, kGapWeight});
    }
  }
  return compiler::search_tree(g, ranges, kMaxExceptions);
}

}  // namespace

bpf::Program compile(const Policy& policy, const CompileOptions& options) { return compile(policy, options, nullptr); }

bpf::Program compile(const Policy& policy, const CompileOptions& options, std::vector<RefusedRule>* refused) {
  // Decides every arch in one pass (libseccomp's refusals span arches) and
  // validates the policy on the way.
  return compile_decisions(policy, decide_all(policy, refused), options);
}

bpf::Program compile_decisions(const Policy& policy, const std::vector<ArchDecisions>& decisions,
                               const CompileOptions& options) {
  const std::vector<Arch> arches = policy.effective_arches();
  bool matching = decisions.size() == arches.size();
  for (std::size_t i = 0; matching && i < arches.size(); ++i) matching = decisions[i].arch == arches[i];
  if (!matching) throw InputError("compile_decisions: the decisions are not one per arch of the policy, in its order");

  // One block per AUDIT_ARCH value, tested in the policy's order of arches.
  std::vector<std::uint32_t> audits;
  for (Arch a : arches) {
    const std::uint32_t audit = arch_info(a).audit_arch;
    if (std::find(audits.begin(), audits.end(), audit) == audits.end()) audits.push_back(audit);
  }

  Graph g;
  NodeId chain = g.ret(policy.bad_arch_action.to_ret());
  for (auto it = audits.rbegin(); it != audits.rend(); ++it) {
    const NodeId block = audit_block(g, policy, arches, decisions, *it, options);
    chain = g.test(Load{bpf::kOffArch}, bpf::op::JEQ, *it, block, chain);
  }

  bpf::Program program = compiler::generate(g, chain);
  if (program.size() > bpf::kMaxInsns) {
    throw InputError(fmt::format(
        "the policy compiles to {} instructions, more than the kernel's limit of {}; "
        "split it into several filters or simplify its argument conditions",
        program.size(), bpf::kMaxInsns));
  }
  if (auto err = bpf::verify(program)) {
    // A compiler bug, never the user's: say so rather than hand out a filter.
    throw Error("internal compiler error: generated program fails verification: " + err->to_string());
  }
  return program;
}

}  // namespace seccage
