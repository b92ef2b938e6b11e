// The user-notification supervisor: receives each call the variant filter
// sends, classifies it against the original policy, records it, and answers
// with the original action (docs/run.md, "How a denial is carried out").
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sandbox/proc.hpp"
#include "sandbox/variant.hpp"
#include "sandbox/violation_log.hpp"
#include "seccage/kernel.hpp"
#include "seccage/sandbox.hpp"

namespace seccage::sandbox {

struct SupervisorConfig {
  Mode mode = Mode::Enforce;
  std::size_t string_limit = 96;
  pid_t launcher = 0;  // the child seccage started (pid = tid: it is single-threaded until exec)
  pid_t launcher_ns_pid = 0;  // the same process's pid inside the sandbox's PID namespace
  // Asked at each notification until it answers true: has the launcher's
  // execve succeeded? Until then every call comes from seccage's own launcher
  // code and is let through (see docs/run.md, "The launcher's execve").
  std::function<bool()> launched;
  // Learning: every call after the launch goes to the recorder (RunOptions::recorder).
  CallRecorder* recorder = nullptr;
};

// A SIGSYS a process of the sandbox sent (kill, tgkill, ...), seen because
// the signal-sending calls always notify.
struct SigsysSent {
  pid_t sender = 0;
  std::string call;           // "kill(pid=2, sig=SIGSYS)"
  bool may_reach_program = false;
};

class Supervisor {
 public:
  Supervisor(kernel::UniqueFd listener, const LazyClassifier& classifier, SupervisorConfig config);

  int fd() const { return listener_.get(); }
  // Receives and answers one notification. False when the listener has no
  // more tasks (POLLHUP) or fails.
  bool handle_one(ViolationLog& log);

  // Processes seccage killed for the policy (SIGKILL standing in for the
  // kernel's SIGSYS): the runner reports them as dead of SIGSYS.
  const std::set<pid_t>& killed() const { return killed_; }
  // Processes seccage sent a trap's SIGSYS to (a TRAP on a call that always
  // notifies, execve for one, which the kernel cannot carry out itself).
  const std::set<pid_t>& trapped() const { return trapped_; }
  // Processes that installed a seccomp filter of their own.
  const std::set<pid_t>& own_filter_pids() const { return own_filter_pids_; }
  const std::vector<SigsysSent>& sigsys_sent() const { return sigsys_sent_; }
  // The highest VmPeak seen at exit_group (when exit_group is observed), kB.
  std::uint64_t peak_vm_kb() const { return peak_vm_kb_; }

 private:
  struct Call;
  void respond(std::uint64_t id, std::int64_t val, int error, std::uint32_t flags);
  void observe_allowed(ViolationLog& log, const Call& call, const Classification& c);
  void record_own_filter(ViolationLog& log, const Call& call, const Classification& c);
  void record_sigsys_sent(const Call& call, const Classification& c);
  void carry_out(const Call& call, const Classification& c, Violation& v, const std::optional<TaskStatus>& st);
  void trap_from_outside(const Call& call, Violation& v, const std::optional<TaskStatus>& st);

  kernel::UniqueFd listener_;
  const LazyClassifier& classifier_;
  SupervisorConfig config_;
  std::vector<unsigned char> req_, resp_;
  std::set<pid_t> killed_, trapped_, own_filter_pids_;
  std::vector<SigsysSent> sigsys_sent_;
  std::uint64_t peak_vm_kb_ = 0;
  bool launched_ = false;
};

}  // namespace seccage::sandbox
