// The randomized API-sequence differential test: for each seed, a random
// sequence of libseccomp API calls (init/reset with every action kind, arch
// add/remove/exist, rules by name, by number, by pseudo number, invalid
// ones, with 0-7 conditions of every operator, attributes, priorities,
// merges, exports, and 2.6's transactions where both libraries have them)
// is applied to Debian's libseccomp and to the drop-in, both opened with
// dlopen in one process. Every return code must be the same, and every
// program both export must decide the same in seccage's emulator for every
// number of the x86 arches and aarch64 (and numbers past the tables, -1),
// over argument vectors built from the values the rules used.
//
// SECCAGE_COMPAT_FUZZ_SEEDS=N runs N seeds (default below, under a minute on
// two cores); SECCAGE_COMPAT_FUZZ_FIRST=S starts at seed S. A mismatch
// prints the seed and a reduced call sequence as a corpus program
// (tests/compat/corpus/*.c).
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "random_api_sequence.hpp"
#include "support/stale_accumulator.hpp"
#include "seccage/arch.hpp"
#include "seccage/bpf.hpp"

namespace seccage::compat_test {
namespace {

using fuzz::Api;
using fuzz::Op;
using fuzz::Outcome;

// ---------------------------------------------------------------------------
// Decisions of two exported programs.

std::set<std::uint64_t> rule_values(const std::vector<Op>& ops) {
  std::set<std::uint64_t> values = {0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0xffffffffffffffff};
  for (const Op& op : ops) {
    for (const scmp_arg_cmp& c : op.conds) {
      for (std::uint64_t v : {c.datum_a, c.datum_b, c.datum_a & c.datum_b, c.datum_b | ~c.datum_a}) {
        values.insert(v);
        values.insert(v + 1);
        values.insert(v - 1);
      }
    }
  }
  return values;
}

// Argument vectors: each value in every argument at once and in each
// argument alone; and for each rule, a vector meeting all its conditions
// (which a conjunction needs), and that vector with each argument moved by
// one either way.
std::vector<std::array<std::uint64_t, 6>> argument_vectors(const std::vector<Op>& ops) {
  std::set<std::array<std::uint64_t, 6>> out;
  for (std::uint64_t v : rule_values(ops)) {
    out.insert({v, v, v, v, v, v});
    for (unsigned i = 0; i < 6; ++i) {
      std::array<std::uint64_t, 6> a{};
      a[i] = v;
      out.insert(a);
    }
  }
  for (const Op& op : ops) {
    if (op.conds.empty()) continue;
    std::array<std::uint64_t, 6> meet{};
    for (const scmp_arg_cmp& c : op.conds) {
      if (c.arg >= 6) continue;
      switch (c.op) {
        case SCMP_CMP_NE: meet[c.arg] = c.datum_a + 1; break;
        case SCMP_CMP_LT: meet[c.arg] = c.datum_a - 1; break;
        case SCMP_CMP_GT: meet[c.arg] = c.datum_a + 1; break;
        case SCMP_CMP_MASKED_EQ: meet[c.arg] = c.datum_b; break;
        default: meet[c.arg] = c.datum_a; break;
      }
    }
    out.insert(meet);
    for (unsigned i = 0; i < 6; ++i) {
      for (std::uint64_t d : {std::uint64_t{1}, ~std::uint64_t{0}}) {
        auto moved = meet;
        moved[i] += d;
        out.insert(moved);
      }
    }
  }
  return {out.begin(), out.end()};
}

// Every number of the arches the sequences use (x32's on AUDIT_ARCH_X86_64),
// a little past each table, numbers no table has, and a sample of the
// other arches (foreign to every filter here: the bad-arch action).
const std::vector<std::pair<std::uint32_t, std::uint32_t>>& syscall_points() {
  static const auto points = [] {
    const std::set<Arch> used = {Arch::x86_64, Arch::x32, Arch::i386, Arch::aarch64, Arch::s390x};
    std::set<std::pair<std::uint32_t, std::uint32_t>> out;
    for (const ArchInfo& info : all_arches()) {
      if (used.count(info.arch)) {
        for (std::uint32_t nr = info.nr_offset; nr <= info.max_nr + 40; ++nr) out.insert({info.audit_arch, nr});
      }
      for (std::uint32_t nr : {0u, 1000u, 0x7fffffffu, 0x80000000u, 0xffffffffu, 0xfffffff0u, 0xffffff9bu})
        out.insert({info.audit_arch, nr});
    }
    out.insert({0x12345678u, 0u});
    return std::vector<std::pair<std::uint32_t, std::uint32_t>>(out.begin(), out.end());
  }();
  return points;
}

// The first few differences, "" when the programs decide the same. Leaves
// out libseccomp's two known code generation bugs (docs/semantics.md,
// "Differences from libseccomp 2.5.4 the differential test tolerates"), as
// the corpus test does: a path that never loaded nr, and one through an
// instruction that reads a stale accumulator.
// x32 numbers (bit 30 set) that rules by number with conditions name: the
// one documented difference left (docs/compat.md, "x32 numbers in an x86_64
// filter"). libseccomp files such a rule, added while x86_64 was the only
// arch, in its x86_64 filter, and once x32 joins the filter that rule decides
// x32 calls comparing all 64 bits of each argument; the drop-in decides them
// with x32's rules, which compare the low 32 bits as libseccomp does for
// every other x32 rule. Unconditional ones decide the same and are compared.
// Noted as the sequence runs: the number as resolved, of a rule both accepted.
void note_x32_number(const Op& op, const Outcome& o, std::set<std::uint32_t>& out) {
  const auto nr = static_cast<std::uint32_t>(o.resolved);
  if (op.kind == fuzz::Kind::Rule && o.rc == 0 && !op.conds.empty() && nr >= kX32SyscallBit && nr != kNoSyscallNr) {
    out.insert(nr);
  }
}

// With SCMP_FLTATR_CTL_OPTIMIZE at 2 (a binary search), libseccomp 2.5.4
// tries x86_64's rules on -1 before x32's when the filter has both, the
// other way round from level 1: a hint about speed changes what the filter
// decides, which libseccomp's documentation of the attribute does not allow
// (docs/compat.md). The drop-in decides as level 1 (its compiler's model)
// for both; -1 under AUDIT_ARCH_X86_64 is left out after level 2 was set.
std::string compare_decisions(const bpf::Program& reference, const bpf::Program& ours,
                              const std::vector<std::array<std::uint64_t, 6>>& vectors, bool little_endian,
                              const std::set<std::uint32_t>& x32_with_conditions, bool optimize_2) {
  if (auto err = bpf::verify(ours)) return "the drop-in's program fails verification: " + err->to_string();
  const std::vector<bool> stale = test::ambiguous_accumulator(reference);
  std::string out;
  int shown = 0;
  const std::uint32_t audit_x86_64 = arch_info(Arch::x86_64).audit_arch;
  for (const auto& [arch, nr] : syscall_points()) {
    if (arch == audit_x86_64 && x32_with_conditions.count(nr)) continue;
    if (arch == audit_x86_64 && nr == kNoSyscallNr && optimize_2) continue;
    for (std::size_t v = 0; v < vectors.size(); ++v) {
      bpf::SeccompData data;
      data.arch = arch;
      data.nr = static_cast<std::int32_t>(nr);
      data.args = vectors[v];
      const bpf::EmuResult a = bpf::emulate(reference, data, little_endian);
      const bpf::EmuResult b = bpf::emulate(ours, data, little_endian);
      if (a.action != b.action && a.read_nr &&
          std::none_of(a.path.begin(), a.path.end(), [&](std::uint16_t pc) { return stale[pc]; })) {
        out += fmt::format("  arch {:#x} nr {} args [{:#x} {:#x} {:#x} {:#x} {:#x} {:#x}]: libseccomp {} drop-in {}\n",
                           arch, static_cast<std::int32_t>(nr), data.args[0], data.args[1], data.args[2],
                           data.args[3], data.args[4], data.args[5], a.action.to_string(), b.action.to_string());
        if (++shown == 6) return out;
        break;  // one vector per number is enough to show
      }
      // A path that reads no argument decides the same for all of them.
      if (v == 0 && !a.read_args && !b.read_args) break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// One sequence, both libraries, in a child process: libseccomp 2.5.4 never
// finishes some rule sequences (docs/semantics.md, "Loops"), and a hang must
// not hang the test.

// Where a sequence's comparison may stop early, by design.
enum Stop : int {
  kRanToEnd = 0,
  // A rule on a number the drop-in's native table names and libseccomp
  // 2.5.4's does not (a newer syscall, 335..460 on x86_64): the drop-in
  // knows it, libseccomp answers -EFAULT (docs/compat.md). Both filters are
  // right for their table; past it they differ.
  kTableDifference = 1,
  // libseccomp's copy from the last accepted rule, updated by filter index
  // after an arch was removed, restored by a refusal (docs/compat.md, "Not
  // copied"): past that refusal libseccomp's filter pairs one arch's rules
  // with another's, which the drop-in does not copy.
  kShadowByIndex = 2,
  // The same copy restored over arches of the other byte order (s390x added
  // since the last accepted rule): libseccomp restores the arches but keeps
  // the byte order of the filter it replaced (an attribute, not in the
  // copy), so an x86 arch then fails with -EDOM. libseccomp's state no
  // longer agrees with itself there (docs/compat.md).
  kByteOrderKept = 3,
};

struct Shared {
  int op_index;    // the op being applied to libseccomp
  int dropin_rc;   // what the drop-in answered for it
  int done;        // 1: finished
  int stop;        // a Stop
  int stale_shadow;  // libseccomp's copy was stale when the op began (ShadowWatch::stale)
  char report[16384];
};

// The rule's raw number is one the drop-in's table has and libseccomp's lacks.
bool table_difference(const Op& op) {
  if ((op.kind != fuzz::Kind::Rule && op.kind != fuzz::Kind::Priority) || op.sys.how != fuzz::Syscall::Raw ||
      op.sys.nr < 0) {
    return false;
  }
  return fuzz::knows_number(fuzz::dropin(), op.sys.nr) && !fuzz::knows_number(fuzz::libseccomp(), op.sys.nr);
}

// Follows, per context, when libseccomp's copy of the filter (its "shadow")
// may pair arches and rules by index: an arch removed after an accepted
// rule, then another rule accepted. A refusal then restores that copy.
class ShadowWatch {
 public:
  // libseccomp 2.5.4 crashes (SIGSEGV) adding a rule after an arch was
  // removed since the last accepted rule (its copy still has the removed
  // arch's filter; e.g. x86_64, x86, x32, a rule, x86_64 removed, a rule).
  bool stale(const Op& op) const {
    const Slot& s = slots_[static_cast<std::size_t>(op.slot)];
    return op.kind == fuzz::Kind::Rule && (s.removed || s.mispaired);
  }

  // Whether the comparison must stop after this op (both libraries agreed
  // on it): the Stop, or kRanToEnd to go on.
  int after(const Op& op, const Outcome& o) {
    if (op.kind == fuzz::Kind::Merge && o.rc == 0) slots_[static_cast<std::size_t>(op.other)] = {};
    Slot& s = slots_[static_cast<std::size_t>(op.slot)];
    switch (op.kind) {
      case fuzz::Kind::Init:
      case fuzz::Kind::Release: s = {}; break;
      case fuzz::Kind::Reset:
        if (o.rc == 0) s = {};  // a refused reset (an invalid action) changes nothing
        break;
      case fuzz::Kind::ArchRemove:
        if (o.rc == 0 && s.accepted) s.removed = true;
        break;
      case fuzz::Kind::ArchAdd:
        if (o.rc == 0 && s.accepted && op.value == SCMP_ARCH_S390X) s.other_order = true;
        break;
      case fuzz::Kind::Rule:
        if (o.rc == 0) {
          s.mispaired = s.mispaired || s.removed;
          s.accepted = true;
          s.removed = false;
          s.other_order = false;
        } else if (o.rc == -EEXIST || o.rc == -EFAULT || o.rc == -EDOM || o.rc == -EINVAL) {
          // (an -EINVAL before the transaction too: conservative)
          if (s.mispaired) return kShadowByIndex;
          if (s.other_order) return kByteOrderKept;
          if (o.rc != -EINVAL) s = {};
        }
        break;
      default: break;
    }
    return kRanToEnd;
  }

 private:
  struct Slot {
    bool accepted = false, removed = false, mispaired = false, other_order = false;
  };
  std::array<Slot, 3> slots_{};
};

// Runs the sequence on both libraries; the report of the first difference,
// or "" when there is none.
std::string run_sequence(const std::vector<Op>& ops, Shared* shared) {
  fuzz::Session mine(fuzz::dropin());
  fuzz::Session ref(fuzz::libseccomp());
  std::vector<std::array<std::uint64_t, 6>> vectors;
  ShadowWatch shadow;
  std::set<std::uint32_t> x32_with_conditions;
  bool optimize_2 = false;
  const bool trace = std::getenv("SECCAGE_COMPAT_FUZZ_TRACE") != nullptr;  // every call, to stderr
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (table_difference(ops[i])) {
      if (shared) shared->stop = kTableDifference;
      return "";
    }
    bpf::Program ours_program, ref_program;
    const Outcome b = mine.apply(ops[i], &ours_program);
    if (shared) {
      shared->op_index = static_cast<int>(i);
      shared->dropin_rc = b.rc;
      shared->stale_shadow = shadow.stale(ops[i]);
    }
    const Outcome a = ref.apply(ops[i], &ref_program);
    if (trace) {
      std::cerr << fmt::format("{:3} {}\n    libseccomp {} | drop-in {}\n", i, fuzz::to_c(ops[i], i), a.to_string(),
                               b.to_string());
    }
    if (!fuzz::same_outcome(ops[i], a, b)) {
      return fmt::format("op {}: {}\n  libseccomp: {}\n  drop-in:    {}\n", i, fuzz::to_c(ops[i], i),
                         a.to_string(), b.to_string());
    }
    note_x32_number(ops[i], a, x32_with_conditions);
    optimize_2 = optimize_2 || (ops[i].kind == fuzz::Kind::AttrSet && ops[i].attr == SCMP_FLTATR_CTL_OPTIMIZE &&
                                ops[i].value == 2 && a.rc == 0);
    if (ops[i].kind == fuzz::Kind::Export && a.rc == 0 && !ref_program.empty()) {
      if (vectors.empty()) vectors = argument_vectors(ops);
      std::string diff =
          compare_decisions(ref_program, ours_program, vectors, !a.big_endian, x32_with_conditions, optimize_2);
      if (!diff.empty()) return fmt::format("op {}: {}\n decisions differ:\n{}", i, fuzz::to_c(ops[i], i), diff);
    }
    if (const int stop = shadow.after(ops[i], a); stop != kRanToEnd) {
      if (shared) shared->stop = stop;
      return "";
    }
  }
  return "";
}

enum class Verdict { Same, Differ, LibseccompLoops, LibseccompLoopsAccepted, LibseccompCrashes };

struct RunResult {
  Verdict verdict = Verdict::Same;
  std::string report;
  int stop = kRanToEnd;
};

RunResult run_in_child(const std::vector<Op>& ops, Shared* shared) {
  std::memset(shared, 0, sizeof *shared);
  shared->op_index = -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    // libseccomp's expansion of socket/IPC sub-calls, to compare like with
    // like (as the corpus test does; the Safe default is tested in
    // compat_api_test.cpp).
    ::setenv("SECCAGE_COMPAT_MULTIPLEX", "compatible", 1);
    std::string report;
    try {
      report = run_sequence(ops, shared);
    } catch (const std::exception& e) {
      report = std::string("exception: ") + e.what();
    }
    std::snprintf(shared->report, sizeof shared->report, "%s", report.c_str());
    shared->done = 1;
    ::_exit(0);
  }
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  pollfd p{pidfd, POLLIN, 0};
  const bool finished = ::poll(&p, 1, 10000) == 1;
  if (!finished) ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(pidfd);
  RunResult r;
  if (!finished) {
    // A hang in libseccomp on a rule the drop-in refused with -EEXIST is
    // libseccomp's loop, which the drop-in refuses by design (docs/compat.md,
    // "Rules that would make libseccomp loop"). Any other hang is a finding.
    const int i = shared->op_index;
    if (i >= 0 && ops[static_cast<std::size_t>(i)].kind == fuzz::Kind::Rule && shared->dropin_rc == -EEXIST) {
      r.verdict = Verdict::LibseccompLoops;
      return r;
    }
    // The same loop on a rule whose syscall has rules of its action only:
    // the drop-in runs its model (and so its loop check) only where another
    // action could conflict, and accepts the rule (docs/compat.md, "Rules
    // that would make libseccomp loop"). libseccomp has no answer to match.
    if (i >= 0 && ops[static_cast<std::size_t>(i)].kind == fuzz::Kind::Rule && shared->dropin_rc == 0) {
      r.verdict = Verdict::LibseccompLoopsAccepted;
      return r;
    }
    r.verdict = Verdict::Differ;
    r.report = fmt::format("libseccomp hangs at op {} (the drop-in answered {})", i, shared->dropin_rc);
    return r;
  }
  if (!shared->done && shared->op_index >= 0 && shared->stale_shadow && WIFSIGNALED(status)) {
    r.verdict = Verdict::LibseccompCrashes;  // ShadowWatch::stale: libseccomp's bug, not a difference
    return r;
  }
  if (!shared->done) {
    r.verdict = Verdict::Differ;
    r.report = fmt::format("the child died (status {:#x}) at op {}", status, shared->op_index);
    return r;
  }
  if (shared->report[0] != 0) {
    r.verdict = Verdict::Differ;
    r.report = shared->report;
  }
  r.stop = shared->stop;
  return r;
}

// Drops ops one at a time while the sequence still differs: a short
// reproduction to read and to turn into a corpus program.
std::vector<Op> reduce(std::vector<Op> ops, Shared* shared) {
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t i = ops.size(); i-- > 0;) {
      std::vector<Op> shorter = ops;
      shorter.erase(shorter.begin() + static_cast<std::ptrdiff_t>(i));
      if (run_in_child(shorter, shared).verdict == Verdict::Differ) {
        ops = std::move(shorter);
        progress = true;
      }
    }
  }
  return ops;
}

unsigned env_number(const char* name, unsigned fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != 0 ? static_cast<unsigned>(std::strtoul(v, nullptr, 10)) : fallback;
}

TEST(CompatRandomApi, SameReturnCodesAndDecisionsAsLibseccomp) {
  const unsigned seeds = env_number("SECCAGE_COMPAT_FUZZ_SEEDS", 1500);
  const unsigned first = env_number("SECCAGE_COMPAT_FUZZ_FIRST", 1);
  const bool keep_going = std::getenv("SECCAGE_COMPAT_FUZZ_ALL") != nullptr;  // hunting: report every seed
  // Both libraries open before the first fork, so each child starts with them.
  fuzz::libseccomp();
  fuzz::dropin();
  auto* shared = static_cast<Shared*>(
      ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(shared, MAP_FAILED);
  const fuzz::Features features = fuzz::common_features();
  unsigned differ = 0, loops = 0, loops_accepted = 0, crashes = 0, ops_total = 0, table_stops = 0, shadow_stops = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (unsigned seed = first; seed < first + seeds; ++seed) {
    const std::vector<Op> ops = fuzz::generate(seed, features);
    ops_total += static_cast<unsigned>(ops.size());
    const RunResult r = run_in_child(ops, shared);
    if (r.verdict == Verdict::LibseccompLoops) ++loops;
    if (r.verdict == Verdict::LibseccompCrashes) ++crashes;
    if (r.verdict == Verdict::LibseccompLoopsAccepted) ++loops_accepted;
    if (r.stop == kTableDifference) ++table_stops;
    if (r.stop == kShadowByIndex || r.stop == kByteOrderKept) ++shadow_stops;
    if (r.verdict != Verdict::Differ) continue;
    ++differ;
    const std::vector<Op> small = reduce(ops, shared);
    const RunResult again = run_in_child(small, shared);
    ADD_FAILURE() << fmt::format("seed {}: {}\nreduced to {} calls: {}\n{}", seed, r.report, small.size(),
                                 again.report, fuzz::to_c_program(small, seed));
    if (!keep_going) break;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << fmt::format(
      "[ fuzz     ] seeds {}..{}: {} calls, {} differ; skipped: {} libseccomp loops (refused by the drop-in), {} "
      "libseccomp loops (accepted by the drop-in), {} libseccomp crashes (stale copy); stopped early, by design: {} at a number only the drop-in's table has, {} at a refusal restoring "
      "libseccomp's copy paired by index or over another byte order; {:.1f} s\n",
      first, first + seeds - 1, ops_total, differ, loops, loops_accepted, crashes, table_stops, shadow_stops, secs);
  ::munmap(shared, sizeof(Shared));
}

}  // namespace
}  // namespace seccage::compat_test
