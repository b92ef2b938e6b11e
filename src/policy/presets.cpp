#include "seccage/presets.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string>

#include <fmt/core.h>

#include "seccage/error.hpp"
#include "util/did_you_mean.hpp"

namespace seccage {
namespace {

constexpr std::array<PresetInfo, 1> kPresets{{
    {"default",
     "container-like baseline: every syscall except those that reach past a container (modules, "
     "mounts, namespaces, kernel keyring, tracing other processes, clock and reboot control, ...); "
     "EPERM for those, ENOSYS for syscalls newer than seccage's table"},
}};

// Syscalls the default preset refuses, grouped by why. A container-like
// workload has no business with any of them, and each has been a route to the
// host kernel or to other processes.
constexpr std::string_view kDefaultDenied[] = {
    // loading code into the kernel or replacing it
    "init_module", "finit_module", "delete_module", "create_module", "query_module", "get_kernel_syms",
    "kexec_load", "kexec_file_load", "bpf", "uselib",
    // mounts, file-system and namespace changes visible beyond the process
    "mount", "umount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick",
    "move_mount", "open_tree", "mount_setattr", "unshare", "setns", "swapon", "swapoff", "quotactl",
    "quotactl_fd", "nfsservctl", "sysfs", "_sysctl", "ustat",
    // reaching into other processes or the kernel's memory layout
    "ptrace", "process_vm_readv", "process_vm_writev", "process_madvise", "kcmp", "pidfd_getfd",
    "perf_event_open", "lookup_dcookie", "userfaultfd", "name_to_handle_at", "open_by_handle_at",
    "get_mempolicy", "set_mempolicy", "mbind", "move_pages", "set_mempolicy_home_node",
    // the kernel keyring
    "add_key", "request_key", "keyctl",
    // clocks, accounting, reboot, kernel log, hardware ports
    "settimeofday", "stime", "clock_settime", "clock_settime64", "clock_adjtime", "clock_adjtime64",
    "adjtimex", "acct", "reboot", "syslog", "vhangup", "ioperm", "iopl", "vm86", "vm86old",
    // namespaces through clone3, whose flags sit behind a pointer (libc falls back to clone)
    "clone3",
};

// clone(2) is allowed unless it asks for a new namespace (its flags are in
// args[0], except on s390 where the first two arguments are swapped).
constexpr std::uint64_t kCloneNamespaceFlags = 0x7e020000;  // CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET

Policy default_preset(const std::vector<Arch>& arches) {
  Policy p;
  p.default_action = Action::errno_(1);  // EPERM, as container runtimes answer
  p.arches = arches;
  const std::set<std::string_view> denied(std::begin(kDefaultDenied), std::end(kDefaultDenied));
  for (std::string_view name : all_syscall_names()) {
    if (denied.count(name) || name == "clone") continue;
    p.rules.push_back({std::string(name), Action::allow(), {}, "preset default"});
  }
  // clone3 gets ENOSYS rather than EPERM so libc falls back to clone, which
  // the filter can inspect.
  p.rules.push_back({std::string("clone3"), Action::errno_(38), {}, "preset default: clone3 -> ENOSYS"});
  const bool s390 = std::any_of(arches.begin(), arches.end(), [](Arch a) { return a == Arch::s390 || a == Arch::s390x; });
  p.rules.push_back({std::string("clone"), Action::allow(), {(arg(s390 ? 1 : 0) & kCloneNamespaceFlags) == 0},
                     "preset default: clone without namespace flags"});
  return p;
}

}  // namespace

std::span<const PresetInfo> presets() { return kPresets; }

Policy preset_policy(std::string_view name, std::vector<Arch> arches) {
  if (name == "default") return default_preset(arches);
  std::vector<std::string_view> names;
  for (const auto& p : kPresets) names.push_back(p.name);
  std::string msg = fmt::format("unknown preset '{}'", name);
  if (auto guess = did_you_mean(name, names)) msg += fmt::format(" (did you mean '{}'?)", *guess);
  msg += "; `seccage presets` lists them";
  throw InputError(msg);
}

}  // namespace seccage
