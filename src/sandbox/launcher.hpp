// The child's side of `run`: everything between fork and execve, planned
// before the fork so that the child only makes system calls (no allocation:
// the caller may have other threads holding the allocator's locks).
//
// The launcher is started by the sandbox's init (src/sandbox/init.hpp) and
// talks to seccage over the status socket (a SOCK_SEQPACKET socketpair,
// close-on-exec: a successful execve closes the launcher's end, and seccage
// reads end-of-file).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/limits.hpp"
#include "seccage/bpf.hpp"

namespace seccage::sandbox {

struct LaunchMessage {
  enum Kind : std::int32_t {
    Hello = 1,        // first message; carries a pidfd of the launcher (SCM_RIGHTS)
    ListenerFd = 2,   // value: the fd number the listener will get
    SetupFailed = 3,  // value: errno, stage: which step (LaunchStage)
    ExecFailed = 4,   // value: errno
    InitReady = 5,    // the init may now be given its user namespace's maps (InitPlan::dumpable_for_maps)
  };
  std::int32_t kind = 0;
  std::int32_t value = 0;
  std::int32_t stage = 0;
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
  StageTerminal,
  StageKeyring,
  StageInit = 200,   // the sandbox's init: its steps (init.hpp)
  StageMountPrivate,
  StageMountProc,
  StageInitFork,
  StageReadOnly,
  StageDevShm,
};

// Sends a message on the status socket, with `fd` attached when >= 0.
// Async-signal-safe.
void send_launch_message(int socket, LaunchMessage m, int fd = -1) noexcept;

struct LaunchPlan {
  std::string path;                   // resolved program
  std::vector<std::string> argv, envp;
  std::vector<char*> argv_ptrs, envp_ptrs;  // into argv/envp, NULL-terminated
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;  // -1: inherited
  std::string cwd;
  std::vector<RlimitSetting> rlimits;
  std::optional<std::uint32_t> uid, gid;
  bpf::Program program;
  // Installed before `program` when not empty: seccage's guards (mounting,
  // pushing input into a terminal) on the ABIs the supervisor does not see
  // (src/sandbox/guards.hpp).
  bpf::Program guard_filter;
  bool supervise = false;
  bool audit_log = false;
  bool wait_killable = false;         // SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
  // Make the program's group the terminal's foreground group (stdin is the
  // terminal and seccage was in the foreground), so it can read it and
  // Ctrl-C reaches it.
  bool take_terminal = false;
  pid_t parent = 0;                   // the init's pid as the launcher sees it
  int init_sync_fd = -1;              // a byte here once the init holds no copy of status_fd (init.cpp)
  int status_fd = -1;                 // the launcher's end of the status socket

  void finish();                      // fills the pointer arrays
};

// Runs in the child after fork; never returns.
[[noreturn]] void launch(const LaunchPlan& plan) noexcept;

}  // namespace seccage::sandbox
