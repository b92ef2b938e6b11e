// A cgroup for one run: an exact memory limit and peak, a process-count
// limit, the CPU time of every descendant (reaped or not), and kill-all.
// Both layouts are handled: a pure cgroup v2 (/sys/fs/cgroup with
// cgroup.controllers), and the hybrid one with v1 controllers under
// /sys/fs/cgroup/<name> beside a controller-less v2 at /sys/fs/cgroup/unified
// (used for cgroup.kill). Creating one needs write access to the hierarchy
// (root, or a delegated subtree); without it the runner uses rlimits and the
// report says so.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace seccage::sandbox {

struct CgroupLimits {
  std::optional<std::uint64_t> memory;  // bytes
  std::optional<std::uint64_t> pids;    // processes (the sandbox's init included)
};

class RunCgroup {
 public:
  // Makes the run's cgroup(s) with these limits. nullopt, with `why_not`
  // set, when the machine has no cgroup seccage may use.
  static std::optional<RunCgroup> create(const CgroupLimits& limits, std::string& why_not);

  RunCgroup(RunCgroup&&) noexcept;
  RunCgroup& operator=(RunCgroup&&) = delete;
  RunCgroup(const RunCgroup&) = delete;
  ~RunCgroup();  // removes the directories (every process in them must be gone)

  // Moves a process (and so everything it will start) in. Throws SystemError.
  void add(pid_t pid) const;
  // CPU time of every process that ran in it, ns.
  std::optional<std::uint64_t> cpu_ns() const;
  // Highest memory use, bytes, where the kernel records it.
  std::optional<std::uint64_t> memory_peak() const;
  // How many times the kernel's OOM killer killed a process at the limit.
  std::uint64_t oom_kills() const;
  // SIGKILLs every process in it at once (cgroup.kill). False where the
  // kernel has no cgroup.kill.
  bool kill_all() const;

  const std::string& version() const { return version_; }  // "v1" (hybrid) or "v2"

 private:
  RunCgroup() = default;
  std::string version_;
  std::vector<std::string> dirs_;  // every directory made, removed in reverse
  std::string memory_, pids_, cpu_, unified_;  // where each file lives ("" if absent)
};

}  // namespace seccage::sandbox
