// The sandbox's init: the process seccage starts for a run, which starts the
// launcher (and so the program) and outlives it only to clean up.
//
// With namespaces (the default) it is PID 1 of a new PID namespace, in a new
// mount namespace with its own /proc, and usually a new user namespace:
//   - the program cannot see, signal or trace seccage or any other process
//     outside (kill(-1) reaches only the sandbox);
//   - when the init dies, the kernel kills every process of the namespace.
//     It dies with seccage (PR_SET_PDEATHSIG), so nothing outlives seccage,
//     even when seccage is SIGKILLed;
//   - it does what PID 1 must: it reaps orphans, and the program runs as
//     PID 2, so signals without handlers act on it as they do outside.
// Without namespaces it is a child subreaper that kills and reaps the
// program's descendants at the end (weaker: see docs/SECURITY.md).
//
// When the program ends, or seccage sends SIGTERM, the init kills everything
// left, reaps it, writes an InitResult to seccage and exits.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>

#include "sandbox/launcher.hpp"
#include "seccage/bpf.hpp"

namespace seccage::sandbox {

struct InitPlan {
  bool pid_namespace = false;    // it is PID 1 of a new PID namespace
  bool mount_namespace = false;  // remount / private, mount a new /proc
  int go_fd = -1;                // read end: one byte once seccage has set up the namespace (EOF: seccage died)
  int result_fd = -1;            // write end: the InitResult
  pid_t seccage = 0;             // seccage's pid, as the init sees it before namespaces (no-namespace mode)
  // A user seccage's /proc/PID/uid_map is writable by its user only while
  // the process is dumpable, and the init inherits seccage's non-dumpable
  // state: it turns dumpable, says so (an InitReady message on the status
  // socket), and turns non-dumpable again at "go", before any untrusted code
  // exists. Root needs none of this.
  bool dumpable_for_maps = false;
  // Installed on the init once it has forked the launcher, where the
  // program could otherwise take the init over (a root program without a
  // user namespace holds CAP_SYS_PTRACE): only what the init itself calls is
  // allowed. Empty: none (in a user namespace the program cannot trace it).
  const bpf::Program* own_filter = nullptr;
  // The program may be the host's uid 0 (root without --user: its user
  // namespace maps 0 to 0), for whom file permissions open sysfs, cgroupfs
  // and /proc/sys: those are made read-only in the sandbox.
  bool read_only_host_files = false;
};

// Written to seccage when the program ends (and the sandbox is empty), and
// also, with `stopped_by` set, each time the program is stopped by a
// job-control signal (Ctrl-Z, a background read of the terminal), so that
// seccage can stop too and the shell sees the job stopped.
struct InitResult {
  std::int32_t launched = 0;     // 1 once the launcher was forked
  std::int32_t stopped_by = 0;   // SIGTSTP, SIGTTIN or SIGTTOU: not the end, a stop
  std::int32_t wait_status = 0;  // the launcher's (the program's) wait status
  rusage program{};              // the program and the children it waited for
  rusage all{};                  // every process of the sandbox the init reaped
};

// Runs in the child seccage cloned; never returns.
[[noreturn]] void run_init(const InitPlan& init, LaunchPlan& launch_plan) noexcept;

}  // namespace seccage::sandbox
