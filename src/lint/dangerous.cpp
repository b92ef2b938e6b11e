// The dangerous-syscall list. Each entry says why in one line, because a
// finding that only says "dangerous" teaches nothing; docs/check.md carries
// the same list. Kept to syscalls whose being allowed a reviewer must know
// about: kernel attack surface reachable without privileges, ways around
// the sandbox, and control over other processes or the kernel itself.
#include <algorithm>
#include <array>
#include <utility>

#include "seccage/lint.hpp"

namespace seccage {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 27> kDangerous{{
    {"add_key", "adds keys to the kernel keyring, which is not namespaced (shared with the host)"},
    {"bpf", "loads eBPF programs: a large kernel attack surface, and with privileges it reads kernel memory"},
    {"delete_module", "unloads kernel modules"},
    {"finit_module", "loads kernel modules: code running in the kernel"},
    {"fsconfig", "part of the new mount API (fsopen/fsmount): mounts file systems"},
    {"fsmount", "part of the new mount API: mounts file systems"},
    {"fsopen", "part of the new mount API: opens a file system for mounting, a frequent exploit entry point"},
    {"init_module", "loads kernel modules: code running in the kernel"},
    {"io_uring_setup",
     "io_uring runs I/O outside syscalls, so seccomp never sees those operations; a frequent source of kernel "
     "exploits"},
    {"ioperm", "gives direct access to I/O ports"},
    {"iopl", "gives direct access to all I/O ports and can disable interrupts"},
    {"kexec_file_load", "replaces the running kernel"},
    {"kexec_load", "replaces the running kernel"},
    {"keyctl", "manipulates the kernel keyring, which is not namespaced (shared with the host)"},
    {"mount", "changes the file system view; with user namespaces it reaches root-only kernel code"},
    {"move_mount", "part of the new mount API: attaches mounts"},
    {"open_by_handle_at",
     "opens files by handle, bypassing the mount namespace: the 'shocker' container escape"},
    {"open_tree", "part of the new mount API: clones mount trees"},
    {"perf_event_open", "a large kernel attack surface, and leaks kernel addresses and other processes' activity"},
    {"pidfd_getfd", "copies file descriptors out of another process"},
    {"pivot_root", "changes the root file system"},
    {"process_vm_writev", "writes another process's memory"},
    {"ptrace", "reads and modifies other processes; before Linux 4.8 a tracer could also bypass seccomp"},
    {"request_key", "reaches the kernel keyring, which is not namespaced (shared with the host)"},
    {"setns", "enters other namespaces"},
    {"unshare", "creates namespaces; user namespaces expose root-only kernel code to unprivileged users"},
    {"userfaultfd", "stalls the kernel at page faults: the standard way to win kernel race conditions in exploits"},
}};

}  // namespace

std::optional<std::string_view> dangerous_syscall_reason(std::string_view name) {
  auto it = std::lower_bound(kDangerous.begin(), kDangerous.end(), name,
                             [](const auto& e, std::string_view n) { return e.first < n; });
  if (it != kDangerous.end() && it->first == name) return it->second;
  return std::nullopt;
}

}  // namespace seccage
