// The kernel-side figures: how long seccomp(2) takes to install a program, and
// what a filtered syscall costs. Neither fits Google Benchmark's loop: a filter
// can never be removed, and installing a second one stacks it on the first
// (the kernel then runs both on every syscall, computes the action cache
// against the previous filter's, and counts both against the 32768-instruction
// limit), so every sample needs a process of its own with no filter yet. Both
// use forked children and report through a pipe (tests/support/child.hpp).

#include <benchmark/benchmark.h>
#include <linux/filter.h>
#include <sched.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>
#include <stdexcept>
#include <vector>

#include <fmt/core.h>

#include "bench_common.hpp"
#include "support/child.hpp"

namespace seccage::bench {
namespace {

// CLOCK_MONOTONIC through the vDSO: no syscall, so the filter being measured
// never sees the clock reads.
std::int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

double percentile(std::vector<double> sorted_copy, double p) {
  std::sort(sorted_copy.begin(), sorted_copy.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted_copy.size() - 1) + 0.5);
  return sorted_copy[std::min(i, sorted_copy.size() - 1)];
}

// SYSLOG_ACTION_SIZE_BUFFER: only reads the log buffer's size, so the
// unfiltered baseline changes nothing. Docker's profile allows syslog only
// with CAP_SYSLOG, which its default set lacks: the filter answers EPERM.
constexpr long kSyslogSizeBuffer = 10;
// Queries the persona without changing it; Docker's profile allows this exact
// argument value (and four others) through a check on args[0].
constexpr unsigned long kPersonalityQuery = 0xffffffffUL;

// Batches of syscalls per child; each figure is the best batch (see
// time_syscalls).
constexpr int kBatches = 10;
constexpr int kCallsPerBatch = 10'000;

}  // namespace

namespace {

std::int64_t install_once(const bpf::Program& program) {
  // Method: one install per child, in a child that has no filter yet, so each
  // sample is exactly the cost a container runtime pays at startup: copying
  // the program in, the kernel's checks, translating classic BPF to eBPF (and
  // JITing it where bpf_jit_enable=1), and precomputing the constant-action
  // cache (Linux 5.11+, which emulates the program for every syscall number
  // of every arch the kernel knows, so it grows with the program). NO_NEW_PRIVS
  // is set before the clock starts; only the seccomp(2) call is timed.
  test::ChildResult r = test::run_in_child([&](int fd) {
      // The program was built before fork: touching it here takes any page
      // faults out of the timed call.
      std::uint32_t sum = 0;
      for (const bpf::Insn& in : program) sum += in.k;
      benchmark::DoNotOptimize(sum);
      if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 2;
      sock_fprog prog{};
      prog.len = static_cast<unsigned short>(program.size());
      // The kernel only reads the array; the cast drops const for the C struct.
      prog.filter = reinterpret_cast<sock_filter*>(const_cast<bpf::Insn*>(program.data()));
      const std::int64_t t0 = now_ns();
      const long rc = ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
      const std::int64_t t1 = now_ns();
      if (rc != 0) return 3;
      return test::write_value(fd, t1 - t0) ? 0 : 4;
    });
  std::vector<std::int64_t> v = test::read_values<std::int64_t>(r.output);
  if (!r.ok() || v.size() != 1) throw std::runtime_error("install timing child " + r.describe());
  return v[0];
}

SyscallTiming syscalls_once(const bpf::Program* program) {
  // Method: a child installs the program, checks that both calls are
  // answered as assumed, then alternates batches of 10000 personality() and
  // 10000 syslog() calls, 10 of each. Its figure is the fastest batch's mean:
  // other load on the machine only ever adds time, so the minimum is the
  // estimate least disturbed by it. The child stays on one CPU so that every
  // batch runs where its caches are warm.
  test::ChildResult r = test::run_in_child([&](int fd) {
    cpu_set_t one{};
    CPU_ZERO(&one);
    CPU_SET(static_cast<int>(::sched_getcpu() < 0 ? 0 : ::sched_getcpu()), &one);
    ::sched_setaffinity(0, sizeof one, &one);
    if (program != nullptr) {
      if (int err = test::install_filter(*program); err != 0) {
        std::fprintf(stderr, "install: %s\n", std::strerror(err));
        return 2;
      }
    }
    if (::syscall(SYS_personality, kPersonalityQuery) == -1) {
      std::fprintf(stderr, "personality(0xffffffff) failed: %s\n", std::strerror(errno));
      return 3;
    }
    errno = 0;
    const long denied = ::syscall(SYS_syslog, kSyslogSizeBuffer, nullptr, 0);
    if (program != nullptr && !(denied == -1 && errno == EPERM)) {
      std::fprintf(stderr, "syslog was not denied with EPERM (returned %ld, errno %d)\n", denied, errno);
      return 4;
    }
    double best_personality = std::numeric_limits<double>::infinity();
    double best_denied = best_personality;
    for (int b = 0; b < kBatches; ++b) {
      std::int64_t t0 = now_ns();
      for (int i = 0; i < kCallsPerBatch; ++i) ::syscall(SYS_personality, kPersonalityQuery);
      std::int64_t t1 = now_ns();
      for (int i = 0; i < kCallsPerBatch; ++i) ::syscall(SYS_syslog, kSyslogSizeBuffer, nullptr, 0);
      std::int64_t t2 = now_ns();
      best_personality = std::min(best_personality, static_cast<double>(t1 - t0) / kCallsPerBatch);
      best_denied = std::min(best_denied, static_cast<double>(t2 - t1) / kCallsPerBatch);
    }
    const double out[2] = {best_personality, best_denied};
    return test::write_value(fd, out) ? 0 : 5;
  }, std::chrono::seconds(120));
  std::vector<double> v = test::read_values<double>(r.output);
  if (!r.ok() || v.size() != 2) throw std::runtime_error("syscall timing child " + r.describe());
  return SyscallTiming{v[0], v[1]};
}

}  // namespace

std::vector<InstallTiming> time_installs(const std::vector<const bpf::Program*>& programs, int children) {
  std::vector<std::vector<double>> samples(programs.size());
  for (int i = 0; i < children; ++i)
    for (std::size_t p = 0; p < programs.size(); ++p)
      samples[p].push_back(static_cast<double>(install_once(*programs[p])));
  std::vector<InstallTiming> out;
  for (const std::vector<double>& s : samples)
    out.push_back({percentile(s, 0.5), percentile(s, 0.1), percentile(s, 0.9), children});
  return out;
}

std::vector<SyscallTiming> time_syscalls(const std::vector<const bpf::Program*>& programs, int rounds) {
  // Each child's figure is already a best-of-batches; across rounds the best
  // child counts, for the same reason.
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<SyscallTiming> best(programs.size(), SyscallTiming{inf, inf});
  for (int r = 0; r < rounds; ++r) {
    for (std::size_t p = 0; p < programs.size(); ++p) {
      SyscallTiming t = syscalls_once(programs[p]);
      best[p].personality_ns = std::min(best[p].personality_ns, t.personality_ns);
      best[p].denied_ns = std::min(best[p].denied_ns, t.denied_ns);
    }
  }
  return best;
}

}  // namespace seccage::bench
