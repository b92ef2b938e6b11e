// The child's side of `run`: everything between fork and execve, planned
// before the fork so that the child only makes system calls (no allocation:
// the caller may have other threads holding the allocator's locks).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/limits.hpp"
#include "seccage/bpf.hpp"

namespace seccage::sandbox {

// Messages the launcher writes to the status pipe (O_CLOEXEC: a successful
// execve closes it, and the parent reads end-of-file).
struct LaunchMessage {
  enum Kind : std::int32_t { ListenerFd = 1, SetupFailed = 2, ExecFailed = 3 };
  std::int32_t kind = 0;
  std::int32_t value = 0;   // the fd number, or errno
  std::int32_t stage = 0;   // SetupFailed: which step (LaunchStage)
};

enum LaunchStage : std::int32_t {
  StageParent = 1,   // the parent died before the child could set PDEATHSIG
  StageSetpgid,
  StageStdin,
  StageStdout,
  StageStderr,
  StageCwd,
  StageRlimit,       // + the index of the setting
  StageGroups = 100,
  StageGid,
  StageUid,
  StageFilter,
  StageFds,
};

struct LaunchPlan {
  std::string path;                   // resolved program
  std::vector<std::string> argv, envp;
  std::vector<char*> argv_ptrs, envp_ptrs;  // into argv/envp, NULL-terminated
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;  // -1: inherited
  std::string cwd;
  std::vector<RlimitSetting> rlimits;
  std::optional<std::uint32_t> uid, gid;
  bpf::Program program;
  bool supervise = false;
  bool audit_log = false;
  bool wait_killable = false;         // SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
  pid_t parent = 0;
  int status_fd = -1;                 // the write end, O_CLOEXEC

  void finish();                      // fills the pointer arrays
};

// Runs in the child after fork; never returns.
[[noreturn]] void launch(const LaunchPlan& plan) noexcept;

}  // namespace seccage::sandbox
