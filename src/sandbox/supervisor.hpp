// The user-notification supervisor: receives each call the variant filter
// sends, classifies it against the original policy, records it, and answers
// with the original action (docs/run.md, "How a denial is carried out").
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <vector>

#include "sandbox/variant.hpp"
#include "seccage/kernel.hpp"
#include "seccage/sandbox.hpp"

namespace seccage::sandbox {

struct SupervisorConfig {
  Mode mode = Mode::Enforce;
  std::size_t string_limit = 96;
  std::size_t max_violations = 1000;
  pid_t launcher = 0;  // the child seccage started (pid = tid: it is single-threaded until exec)
  // Asked at each notification until it answers true: has the launcher's
  // execve succeeded? Until then every call comes from seccage's own launcher
  // code and is let through (see docs/run.md, "The launcher's execve").
  std::function<bool()> launched;
};

class Supervisor {
 public:
  Supervisor(kernel::UniqueFd listener, const LazyClassifier& classifier, SupervisorConfig config);

  int fd() const { return listener_.get(); }
  // Receives and answers one notification. False when the listener has no
  // more tasks (POLLHUP) or fails.
  bool handle_one(Report& report);

  // Processes seccage killed for the policy (SIGKILL standing in for the
  // kernel's SIGSYS): the runner reports them as dead of SIGSYS.
  const std::set<pid_t>& killed() const { return killed_; }
  // The highest VmPeak seen at exit_group (when exit_group is observed), kB.
  std::uint64_t peak_vm_kb() const { return peak_vm_kb_; }

 private:
  void respond(std::uint64_t id, std::int64_t val, int error, std::uint32_t flags);
  void record_own_filter(Report& report, pid_t tid, const std::string& call);

  kernel::UniqueFd listener_;
  const LazyClassifier& classifier_;
  SupervisorConfig config_;
  std::vector<unsigned char> req_, resp_;
  std::set<pid_t> killed_;
  std::uint64_t peak_vm_kb_ = 0;
  bool launched_ = false;
};

}  // namespace seccage::sandbox
