// Comparing two seccomp filters by what they decide: the same call, run
// through both in the emulator, gets the same action, or it is a difference.
// Works on raw programs, so any filter can be compared: one seccage built,
// libseccomp exported, or one read from a live process.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "seccage/action.hpp"
#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"

namespace seccage {

// One call the two filters answer differently: the first probe found for
// its arch and number.
struct FilterDifference {
  Arch arch = Arch::x86_64;
  std::uint32_t nr = 0;          // as seccomp_data.nr holds it
  std::string syscall;           // the name, or "#NR" outside the arch's table
  std::array<std::uint64_t, 6> args{};
  std::uint64_t instruction_pointer = 0;
  Action first, second;
};

struct FilterDiff {
  std::vector<FilterDifference> differences;  // at most one per (audit arch, nr), in the order probed
  std::vector<Arch> arches;                   // compared
  std::uint64_t numbers = 0;                  // (arch, nr) pairs compared
  std::uint64_t probes = 0;                   // calls run through both filters
  std::uint64_t capped = 0;                   // numbers whose argument search hit the cap
  bool same() const { return differences.empty(); }
};

// Probes, for each arch in `arches` (every arch seccage knows when empty):
// every number up to the end of its syscall table (the holes too), -1, one
// past the table, and every number either filter compares nr with (and its
// neighbours). For each number, the argument words (and
// instruction pointer) the filters read on the way are varied over the
// values either filter compares that word with (k-1, k, k+1 for equality
// and order, the bits of a mask test), one word after another as the paths
// read them, up to `max_probes_per_number`. A difference found is certain;
// "same" is as thorough as those probes, not a proof.
FilterDiff diff_filters(const bpf::Program& first, const bpf::Program& second, const std::vector<Arch>& arches = {},
                        std::uint64_t max_probes_per_number = 4096);

// The same for stacks of filters (newest first), each run as the kernel runs
// a process's filters: every filter on each call, the most severe action
// winning, the newer filter's on a tie. The probes come from every filter.
FilterDiff diff_filter_stacks(std::span<const bpf::Program> first, std::span<const bpf::Program> second,
                              const std::vector<Arch>& arches = {}, std::uint64_t max_probes_per_number = 4096);

}  // namespace seccage
