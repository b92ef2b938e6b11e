#include "seccage/filter_diff.hpp"

#include <algorithm>
#include <set>

#include <fmt/core.h>

#include "seccage/error.hpp"

namespace seccage {
namespace {

using bpf::Insn;
namespace op = bpf::op;

// The words of seccomp_data after nr and arch: the instruction pointer's two
// and the six arguments' twelve, by offset (8, 12, ..., 60).
constexpr std::size_t kWords = 14;
constexpr std::uint32_t kFirstWordOffset = bpf::kOffIp;
using Words = std::array<std::uint32_t, kWords>;

std::size_t word_index(std::uint32_t offset) { return (offset - kFirstWordOffset) / 4; }

// What the accumulator holds at an instruction, for finding the values each
// word is compared with.
struct Acc {
  enum Kind { Unreached, Unknown, Word } kind = Unreached;
  std::uint32_t offset = 0;
  std::uint32_t mask = 0xffffffffu;  // the word, ANDed with this
  bool operator==(const Acc&) const = default;
};

Acc merge(const Acc& a, const Acc& b) {
  if (a.kind == Acc::Unreached) return b;
  if (b.kind == Acc::Unreached || a == b) return a;
  return Acc{Acc::Unknown};
}

// The values worth trying for a word compared with `k` under `mask`: each
// side of every boundary the test draws.
void values_for_test(std::uint16_t test, std::uint32_t k, std::uint32_t mask, std::set<std::uint32_t>& out) {
  const std::uint32_t low_bit = mask & (~mask + 1);
  if (test == op::JSET) {
    const std::uint32_t bits = k & mask;
    out.insert({0u, bits, bits & (~bits + 1), ~bits});
    return;
  }
  for (std::uint32_t v : {k - 1, k, k + 1}) {
    out.insert(v);
    out.insert(v | ~mask);  // bits the mask ignores must not matter
  }
  if (low_bit) out.insert(k ^ low_bit);
}

// Per offset (nr, arch and the 14 words), the values the program compares
// it with. Jumps only go forward, so one pass in index order reaches every
// instruction after all of its predecessors.
void collect_values(const bpf::Program& p, std::array<std::set<std::uint32_t>, 16>& by_offset,
                    std::set<std::uint32_t>& unattributed) {
  std::vector<Acc> at(p.size() + 1);
  if (!p.empty()) at[0] = Acc{Acc::Unknown};
  for (std::size_t i = 0; i < p.size(); ++i) {
    Acc a = at[i];
    if (a.kind == Acc::Unreached) continue;
    const Insn& in = p[i];
    const std::uint16_t cls = in.code & 0x07;
    auto flow = [&](std::size_t to, const Acc& s) {
      if (to < at.size()) at[to] = merge(at[to], s);
    };
    if (cls == op::RET) continue;
    if (cls == op::JMP) {
      const std::uint16_t test = in.code & 0xf0;
      if (test == op::JA) {
        flow(i + 1 + in.k, a);
        continue;
      }
      if ((in.code & op::X) == 0) {
        if (a.kind == Acc::Word && a.offset / 4 < by_offset.size()) {
          values_for_test(test, in.k, a.mask, by_offset[a.offset / 4]);
        } else {
          values_for_test(test, in.k, 0xffffffffu, unattributed);
        }
      }
      flow(i + 1 + in.jt, a);
      flow(i + 1 + in.jf, a);
      continue;
    }
    if (in.code == (op::LD | op::W | op::ABS)) {
      a = Acc{Acc::Word, in.k, 0xffffffffu};
    } else if (in.code == (op::ALU | op::AND | op::K) && a.kind == Acc::Word) {
      a.mask &= in.k;
    } else if (cls == op::LD || cls == op::ALU || in.code == (op::MISC | op::TXA)) {
      a = Acc{Acc::Unknown};
    }
    flow(i + 1, a);
  }
}

// A stack of filters run as the kernel runs a process's: newest first, the
// most severe action wins, the newer filter's on a tie. `words` gets the
// words (after nr and arch) the paths read.
Action run_stack(std::span<const bpf::Program> stack, const bpf::SeccompData& d, bool little_endian,
                 std::uint32_t& words);

struct Prober {
  std::span<const bpf::Program> first;
  std::span<const bpf::Program> second;
  std::array<std::set<std::uint32_t>, 16> values;  // by offset / 4
  std::uint64_t cap;
  FilterDiff& out;

  bpf::SeccompData data_for(const ArchInfo& info, std::uint32_t nr, const Words& w) const {
    bpf::SeccompData d;
    d.nr = static_cast<std::int32_t>(nr);
    d.arch = info.audit_arch;
    auto join = [&](std::size_t at) {
      const std::uint64_t a = w[at], b = w[at + 1];
      return info.little_endian ? (b << 32 | a) : (a << 32 | b);
    };
    d.instruction_pointer = join(0);
    for (std::size_t i = 0; i < 6; ++i) d.args[i] = join(2 + 2 * i);
    return d;
  }

  // The words (after nr and arch) a path read.
  static std::uint32_t words_read(const bpf::Program& p, const bpf::EmuResult& r) {
    std::uint32_t set = 0;
    for (std::uint16_t i : r.path) {
      const Insn& in = p[i];
      if (in.code == (op::LD | op::W | op::ABS) && in.k >= kFirstWordOffset && in.k < bpf::kSeccompDataSize)
        set |= 1u << word_index(in.k);
    }
    return set;
  }

  // Searches one number's argument space; records its first difference.
  void probe_number(const ArchInfo& info, std::uint32_t nr) {
    ++out.numbers;
    std::set<Words> seen;
    std::vector<std::pair<Words, std::uint32_t>> todo{{Words{}, 0u}};  // words, and which are settled
    seen.insert(Words{});
    std::uint64_t probes = 0;
    while (!todo.empty()) {
      if (probes == cap) {
        ++out.capped;
        return;
      }
      const auto [w, settled] = todo.back();
      todo.pop_back();
      const bpf::SeccompData d = data_for(info, nr, w);
      std::uint32_t read = 0;
      const Action a = run_stack(first, d, info.little_endian, read);
      const Action b = run_stack(second, d, info.little_endian, read);
      ++probes;
      ++out.probes;
      if (a != b) {
        FilterDifference diff;
        // x32's calls come with x86_64's audit arch: named by the ABI that owns the number.
        diff.arch = arch_of_call(info.audit_arch, nr).value_or(info.arch);
        diff.nr = nr;
        const auto name = syscall_name(diff.arch, nr);
        diff.syscall = name ? std::string(*name) : fmt::format("#{}", static_cast<std::int32_t>(nr));
        diff.args = d.args;
        diff.instruction_pointer = d.instruction_pointer;
        diff.first = a;
        diff.second = b;
        out.differences.push_back(std::move(diff));
        return;
      }
      const std::uint32_t open = read & ~settled;
      for (std::size_t i = 0; i < kWords; ++i) {
        if (!(open & (1u << i))) continue;
        for (std::uint32_t v : values[(kFirstWordOffset / 4) + i]) {
          Words next = w;
          next[i] = v;
          if (seen.insert(next).second) todo.emplace_back(next, settled | (1u << i));
        }
      }
    }
  }
};

Action run_stack(std::span<const bpf::Program> stack, const bpf::SeccompData& d, bool little_endian,
                 std::uint32_t& words) {
  Action action = Action::allow();
  for (std::size_t i = 0; i < stack.size(); ++i) {
    const bpf::EmuResult r = bpf::emulate(stack[i], d, little_endian);
    words |= Prober::words_read(stack[i], r);
    if (i == 0 || r.action.outranks(action)) action = r.action;
  }
  return action;
}

}  // namespace

FilterDiff diff_filters(const bpf::Program& first, const bpf::Program& second, const std::vector<Arch>& arches,
                        std::uint64_t max_probes_per_number) {
  return diff_filter_stacks({&first, 1}, {&second, 1}, arches, max_probes_per_number);
}

FilterDiff diff_filter_stacks(std::span<const bpf::Program> first, std::span<const bpf::Program> second,
                              const std::vector<Arch>& arches, std::uint64_t max_probes_per_number) {
  if (first.empty() || second.empty()) throw InputError("a stack of filters to compare is empty");
  FilterDiff out;
  Prober prober{first, second, {}, std::max<std::uint64_t>(max_probes_per_number, 1), out};
  std::set<std::uint32_t> unattributed;
  for (std::span<const bpf::Program> stack : {first, second}) {
    for (const bpf::Program& p : stack) {
      bpf::verify_or_throw(p);
      collect_values(p, prober.values, unattributed);
    }
  }
  // Every word gets the extremes, and the values compared with an
  // accumulator the pass could not attribute.
  for (std::size_t i = 2; i < prober.values.size(); ++i) {
    prober.values[i].insert({0u, 0xffffffffu});
    prober.values[i].insert(unattributed.begin(), unattributed.end());
  }
  if (arches.empty()) {
    for (const ArchInfo& info : all_arches()) out.arches.push_back(info.arch);
  } else {
    out.arches = arches;
  }
  // x86_64 and x32 share an audit arch: each (audit arch, number) once.
  std::set<std::pair<std::uint32_t, std::uint32_t>> probed;
  for (Arch arch : out.arches) {
    const ArchInfo& info = arch_info(arch);
    std::set<std::uint32_t> numbers{kNoSyscallNr, info.max_nr + 1};
    // Every number up to the table's end, the holes included: a range test
    // may take a hole with its neighbours.
    for (std::uint32_t nr = info.nr_offset; nr <= info.max_nr; ++nr) numbers.insert(nr);
    // Numbers either filter compares nr with, and their neighbours: the
    // ranges between table numbers, and numbers no table has.
    for (std::uint32_t v : prober.values[bpf::kOffNr / 4]) numbers.insert(v);
    for (std::uint32_t nr : numbers)
      if (probed.emplace(info.audit_arch, nr).second) prober.probe_number(info, nr);
  }
  return out;
}

}  // namespace seccage
