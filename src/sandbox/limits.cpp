#include "sandbox/limits.hpp"

#include <csignal>
#include <cmath>

namespace seccage::sandbox {

std::vector<RlimitSetting> rlimits_for(const Limits& l, CgroupEnforced by_cgroup) {
  std::vector<RlimitSetting> out;
  auto add = [&](int res, std::uint64_t v, const char* name) {
    out.push_back({res, static_cast<rlim_t>(v), static_cast<rlim_t>(v), name});
  };
  if (l.cpu_seconds) {
    const auto whole = static_cast<rlim_t>(std::ceil(*l.cpu_seconds));
    out.push_back({RLIMIT_CPU, whole, whole + 1, "RLIMIT_CPU"});
  }
  if (l.memory && !by_cgroup.memory) add(RLIMIT_AS, *l.memory, "RLIMIT_AS");
  if (l.stack) add(RLIMIT_STACK, *l.stack, "RLIMIT_STACK");
  if (l.fsize) add(RLIMIT_FSIZE, *l.fsize, "RLIMIT_FSIZE");
  if (l.nofile) add(RLIMIT_NOFILE, *l.nofile, "RLIMIT_NOFILE");
  if (l.nproc && !by_cgroup.pids) add(RLIMIT_NPROC, *l.nproc, "RLIMIT_NPROC");
  // 1, not 0: where kernel.core_pattern is a pipe (systemd-coredump, apport)
  // the kernel ignores RLIMIT_CORE but for the value 1, and would start the
  // host's helper as root, outside the sandbox, for every crash. A core
  // file needs at least a page, so 1 stops those too.
  if (!l.core_dumps) add(RLIMIT_CORE, 1, "RLIMIT_CORE");
  return out;
}

int apply_rlimits(const std::vector<RlimitSetting>& settings, int only, int except) noexcept {
  for (std::size_t i = 0; i < settings.size(); ++i) {
    if ((only >= 0 && settings[i].resource != only) || (except >= 0 && settings[i].resource == except)) continue;
    rlimit r{settings[i].soft, settings[i].hard};
    if (::setrlimit(settings[i].resource, &r) != 0) return static_cast<int>(i);
  }
  return -1;
}

Verdict verdict_for(const Limits& limits, const Observed& seen) {
  // seccage's own kills first: they are certain.
  if (seen.wall_limit_hit) return Verdict::WallTimeLimit;
  if (seen.output_limit_hit) return Verdict::OutputLimit;
  if (seen.cpu_limit_hit) return Verdict::CpuTimeLimit;
  if (seen.memory_limit_hit) return Verdict::MemoryLimit;
  if (seen.killed_by_policy) return Verdict::Violation;
  const bool failed = !seen.exited || seen.exit_code != 0;
  // The kernel's RLIMIT_CPU signals, or a kill at the limit.
  if (limits.cpu_seconds && !seen.exited &&
      (seen.signal == SIGXCPU ||
       (seen.signal == SIGKILL && static_cast<double>(seen.cpu_time_ms) >= *limits.cpu_seconds * 1000.0)))
    return Verdict::CpuTimeLimit;
  // RLIMIT_AS makes allocations fail rather than killing: a program that
  // failed after its address space came within 10% of the limit is taken to
  // have run out of memory.
  if (limits.memory && failed &&
      static_cast<double>(seen.peak_vm_kb) * 1024.0 >= 0.9 * static_cast<double>(*limits.memory))
    return Verdict::MemoryLimit;
  if (seen.violations > 0) return Verdict::Violation;
  return failed ? Verdict::RuntimeError : Verdict::Ok;
}

}  // namespace seccage::sandbox
