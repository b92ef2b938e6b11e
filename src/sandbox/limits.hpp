// Resource limits as rlimits, computed before fork and applied in the child
// with nothing but setrlimit (safe after fork).
#pragma once

#include <sys/resource.h>

#include <cstdint>
#include <vector>

#include "seccage/sandbox.hpp"

namespace seccage::sandbox {

struct RlimitSetting {
  int resource;      // RLIMIT_*
  rlim_t soft;
  rlim_t hard;
  const char* name;  // "RLIMIT_AS", for error messages
};

// --time becomes RLIMIT_CPU rounded up to whole seconds (soft; hard one second
// later, so SIGXCPU comes first and SIGKILL if it is ignored); the runner
// samples the CPU time to enforce fractions. RLIMIT_CORE is 1 unless core
// dumps are asked for. Where a cgroup enforces the memory or the process
// count (`by_cgroup`), RLIMIT_AS and RLIMIT_NPROC are left alone: a cgroup
// counts memory used, not address space reserved, and counts every process.
struct CgroupEnforced {
  bool memory = false;
  bool pids = false;
};
std::vector<RlimitSetting> rlimits_for(const Limits& limits, CgroupEnforced by_cgroup = {});

// In the child: applies every setting (or, with `only` >= 0, that resource
// alone; with `except` >= 0, every other one); on failure returns the failing
// one's index and leaves errno set, else -1.
int apply_rlimits(const std::vector<RlimitSetting>& settings, int only = -1, int except = -1) noexcept;

// The verdict for an ended run, from what the runner observed. Pure, so the
// rules are tested on their own (docs/run.md, "Verdicts").
struct Observed {
  bool exited = false;
  int exit_code = 0;
  int signal = 0;
  bool wall_limit_hit = false;
  bool cpu_limit_hit = false;    // seccage's sampling saw the CPU time reach the limit
  bool output_limit_hit = false;
  bool memory_limit_hit = false; // the cgroup's OOM killer killed at the limit
  std::int64_t cpu_time_ms = 0;
  std::uint64_t peak_vm_kb = 0;  // highest VmPeak seen (address space)
  std::size_t violations = 0;    // denials, not counting ENOSYS fallbacks
  bool killed_by_policy = false;
};
Verdict verdict_for(const Limits& limits, const Observed& seen);

}  // namespace seccage::sandbox
