// Starting the sandbox: the init (in new namespaces where the kernel allows),
// the launcher under it, and the first word from the launcher. Tries the
// strongest isolation first and falls back one level at a time, recording why.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "sandbox/cgroup.hpp"
#include "sandbox/launcher.hpp"
#include "seccage/kernel.hpp"

namespace seccage::sandbox {

enum class IsolationLevel {
  UserPidMount,  // user + PID + mount namespaces: the default
  PidMount,      // PID + mount namespaces without a user namespace (root only)
  None,          // no namespaces: the init is a subreaper in seccage's namespaces
};
std::vector<std::string> namespace_names(IsolationLevel level);

struct Sandbox {
  IsolationLevel level = IsolationLevel::None;
  pid_t init = -1;                // seccage's child
  pid_t launcher = -1;            // the launcher (then the program), as seccage sees it
  kernel::UniqueFd launcher_pidfd;
  kernel::UniqueFd status;        // seccage's end of the status socket
  kernel::UniqueFd result;        // the init's InitResult
  std::optional<LaunchMessage> early_failure;  // the launcher failed before its first word
};

// Starts the sandbox at `level`. nullopt when this level is refused by the
// kernel (`why` says what failed; the caller tries the next level). Throws
// SystemError for failures no other level would avoid.
// `init_filter`: see InitPlan::own_filter; `read_only_host_files`: see
// InitPlan::read_only_host_files.
std::optional<Sandbox> start_sandbox(IsolationLevel level, LaunchPlan& plan, const RunCgroup* cgroup,
                                     const bpf::Program* init_filter, bool read_only_host_files, std::string& why);

// Receives one message from the status socket, with the fd it carries if any.
// 1: a message; 0: end-of-file; -1: nothing within `timeout_ms` (or an error).
int receive_launch_message(int socket, LaunchMessage& m, kernel::UniqueFd* fd, int timeout_ms);

}  // namespace seccage::sandbox
