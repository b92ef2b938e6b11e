// Which syscall arguments the kernel reads as 32 bits.
//
// The syscall entry code passes six full registers, and SYSCALL_DEFINE's
// wrapper casts each to the declared type: an `int fd` of 0x100000002 is fd
// 2. A seccomp comparison on all 64 bits then sees something the kernel does
// not use, so write(0x100000002, ...) sidesteps `deny write: arg0 == 2`.
// This table gives the width the kernel actually uses, from the
// SYSCALL_DEFINE signatures (and, where the signature says `unsigned long`
// but the value only reaches a 32-bit parameter, from that use: noted below).
//
// One string per syscall, one letter per argument:
//   i  int-like (int, pid_t, clockid_t, key_serial_t, rwf_t): the low word,
//      sign-extended
//   u  unsigned int-like (unsigned int, u32, uid_t, gid_t, qid_t, umode_t):
//      the low word, zero-extended
//   .  64 bits (long, unsigned long, size_t, loff_t, pointers)
// Arguments past the string, and syscalls not listed, are 64 bits: the safe
// default is libseccomp's (a 64-bit test on a 32-bit argument can be
// sidestepped, but a 32-bit test on a 64-bit argument would ignore bits the
// kernel uses).
//
// Known gaps and arch differences, kept out of the table on purpose:
// * umode_t is an unsigned short: the kernel uses 16 bits of a mode. It is
//   treated as u32, so an equality on a mode can still be sidestepped with
//   bits 16-31 (a masked test on mode bits, the usual form, cannot).
// * The legacy 16-bit uid calls of i386, arm and others (`setuid`, `chown`,
//   ... where `setuid32` also exists) take old_uid_t (16 bits); the table
//   gives u32 by name on every arch.
// * clone's flags are `unsigned long`, but kernel/fork.c keeps only
//   lower_32_bits(clone_flags) (the high bits are clone3's): u32. On s390
//   (CLONE_BACKWARDS2) arg0 is the stack and arg1 the flags; the table is by
//   name and says arg0, a stack nobody filters.
// * The x86_64 mmap takes `unsigned long fd` but fget() takes an unsigned
//   int: u32. prot and flags stay 64 bits (unsigned long in do_mmap).
// * On 32-bit arches a loff_t takes two argument slots, which moves the
//   arguments after it: fadvise64 and sync_file_range list only their fd.
// * readv/writev/preadv*/pwritev* take `unsigned long fd` that fdget_pos()
//   truncates: u32. ptrace takes `long pid` that find_get_task_by_vpid()
//   reads as pid_t: i; its request is a long: 64 bits.
#include <algorithm>
#include <iterator>
#include <string_view>

#include "policy/arg_types.hpp"

namespace seccage {
namespace detail {
namespace {

// Sorted by name (arg_types_test checks it).
constexpr ArgTypes kTable[] = {
    {"accept", "i"},
    {"accept4", "i..i"},
    {"access", ".i"},
    {"add_key", "....i"},
    {"alarm", "u"},
    {"arch_prctl", "i"},
    {"bind", "i.i"},
    {"bpf", "i.u"},
    {"cachestat", "u..u"},
    {"chmod", ".u"},
    {"chown", ".uu"},
    {"chown32", ".uu"},
    {"clock_adjtime", "i"},
    {"clock_getres", "i"},
    {"clock_gettime", "i"},
    {"clock_nanosleep", "ii"},
    {"clock_settime", "i"},
    {"clone", "u"},
    {"close", "u"},
    {"close_range", "uuu"},
    {"connect", "i.i"},
    {"copy_file_range", "i.i..u"},
    {"creat", ".u"},
    {"delete_module", ".u"},
    {"dup", "u"},
    {"dup2", "uu"},
    {"dup3", "uui"},
    {"epoll_create", "i"},
    {"epoll_create1", "i"},
    {"epoll_ctl", "iii"},
    {"epoll_pwait", "i.ii"},
    {"epoll_pwait2", "i.i"},
    {"epoll_wait", "i.ii"},
    {"eventfd", "u"},
    {"eventfd2", "ui"},
    {"execveat", "i...i"},
    {"exit", "i"},
    {"exit_group", "i"},
    {"faccessat", "i.i"},
    {"faccessat2", "i.ii"},
    {"fadvise64", "i"},
    {"fallocate", "ii"},
    {"fanotify_init", "uu"},
    {"fanotify_mark", "iu.i"},
    {"fchdir", "u"},
    {"fchmod", "uu"},
    {"fchmodat", "i.u"},
    {"fchmodat2", "i.uu"},
    {"fchown", "uuu"},
    {"fchown32", "uuu"},
    {"fchownat", "i.uui"},
    {"fcntl", "uu"},
    {"fcntl64", "uu"},
    {"fdatasync", "u"},
    {"fgetxattr", "i"},
    {"finit_module", "i.i"},
    {"flistxattr", "i"},
    {"flock", "uu"},
    {"fremovexattr", "i"},
    {"fsconfig", "iu..i"},
    {"fsetxattr", "i...i"},
    {"fsmount", "iuu"},
    {"fsopen", ".u"},
    {"fspick", "i.u"},
    {"fstat", "u"},
    {"fstatfs", "u"},
    {"fsync", "u"},
    {"ftruncate", "u"},
    {"futex", ".iu..u"},
    {"futimesat", "i"},
    {"getdents", "u.u"},
    {"getdents64", "u.u"},
    {"getpeername", "i"},
    {"getpgid", "i"},
    {"getpriority", "ii"},
    {"getrandom", "..u"},
    {"getrlimit", "u"},
    {"getrusage", "i"},
    {"getsid", "i"},
    {"getsockname", "i"},
    {"getsockopt", "iii"},
    {"getxattrat", "i.u"},
    {"inotify_add_watch", "i.u"},
    {"inotify_init1", "i"},
    {"inotify_rm_watch", "ii"},
    {"io_uring_enter", "uuuu"},
    {"io_uring_register", "uu.u"},
    {"io_uring_setup", "u"},
    {"ioctl", "uu"},
    {"ioprio_get", "ii"},
    {"ioprio_set", "iii"},
    {"kcmp", "iii"},
    {"kexec_file_load", "ii"},
    {"keyctl", "i"},
    {"kill", "ii"},
    {"landlock_add_rule", "i..u"},
    {"landlock_create_ruleset", "..u"},
    {"landlock_restrict_self", "iu"},
    {"lchown", ".uu"},
    {"lchown32", ".uu"},
    {"linkat", "i.i.i"},
    {"listen", "ii"},
    {"lseek", "u.u"},
    {"lsetxattr", "....i"},
    {"madvise", "..i"},
    {"membarrier", "iui"},
    {"memfd_create", ".u"},
    {"migrate_pages", "i"},
    {"mkdir", ".u"},
    {"mkdirat", "i.u"},
    {"mknod", ".uu"},
    {"mknodat", "i.uu"},
    {"mlock2", "..i"},
    {"mlockall", "i"},
    {"mmap", "....u"},
    {"mount_setattr", "i.u"},
    {"move_mount", "i.i.u"},
    {"move_pages", "i....i"},
    {"mq_open", ".iu"},
    {"msgctl", "ii"},
    {"msgget", "ii"},
    {"msgrcv", "i...i"},
    {"msgsnd", "i..i"},
    {"msync", "..i"},
    {"name_to_handle_at", "i...i"},
    {"open", ".iu"},
    {"open_by_handle_at", "i.i"},
    {"open_tree", "i.u"},
    {"open_tree_attr", "i.u"},
    {"openat", "i.iu"},
    {"openat2", "i"},
    {"perf_event_open", ".iii"},
    {"personality", "u"},
    {"pidfd_getfd", "iiu"},
    {"pidfd_open", "iu"},
    {"pidfd_send_signal", "ii.u"},
    {"pipe2", ".i"},
    {"pkey_free", "i"},
    {"pkey_mprotect", "...i"},
    {"poll", ".ui"},
    {"ppoll", ".u"},
    {"prctl", "i"},
    {"pread64", "u"},
    {"preadv", "u"},
    {"preadv2", "u....i"},
    {"prlimit64", "iu"},
    {"process_madvise", "i..iu"},
    {"process_mrelease", "iu"},
    {"process_vm_readv", "i"},
    {"process_vm_writev", "i"},
    {"pselect6", "i"},
    {"ptrace", ".i"},
    {"pwrite64", "u"},
    {"pwritev", "u"},
    {"pwritev2", "u....i"},
    {"quotactl", "u.u"},
    {"quotactl_fd", "uuu"},
    {"read", "u"},
    {"readahead", "i"},
    {"readlinkat", "i..i"},
    {"readv", "u"},
    {"reboot", "iiu"},
    {"recvfrom", "i..u"},
    {"recvmmsg", "i.uu"},
    {"recvmsg", "i.u"},
    {"renameat", "i.i"},
    {"renameat2", "i.i.u"},
    {"rseq", ".uiu"},
    {"rt_sigaction", "i"},
    {"rt_sigprocmask", "i"},
    {"rt_sigqueueinfo", "ii"},
    {"rt_tgsigqueueinfo", "iii"},
    {"sched_get_priority_max", "i"},
    {"sched_get_priority_min", "i"},
    {"sched_getaffinity", "iu"},
    {"sched_getattr", "i.uu"},
    {"sched_getparam", "i"},
    {"sched_getscheduler", "i"},
    {"sched_rr_get_interval", "i"},
    {"sched_setaffinity", "iu"},
    {"sched_setattr", "i.u"},
    {"sched_setparam", "i"},
    {"sched_setscheduler", "ii"},
    {"seccomp", "uu"},
    {"select", "i"},
    {"semctl", "iii"},
    {"semget", "iii"},
    {"semop", "i.u"},
    {"semtimedop", "i.u"},
    {"sendfile", "ii"},
    {"sendmmsg", "i.uu"},
    {"sendmsg", "i.u"},
    {"sendto", "i..u.i"},
    {"setdomainname", ".i"},
    {"setfsgid", "u"},
    {"setfsgid32", "u"},
    {"setfsuid", "u"},
    {"setfsuid32", "u"},
    {"setgid", "u"},
    {"setgid32", "u"},
    {"setgroups", "i"},
    {"setgroups32", "i"},
    {"sethostname", ".i"},
    {"setitimer", "i"},
    {"setns", "ii"},
    {"setpgid", "ii"},
    {"setpriority", "iii"},
    {"setregid", "uu"},
    {"setregid32", "uu"},
    {"setresgid", "uuu"},
    {"setresgid32", "uuu"},
    {"setresuid", "uuu"},
    {"setresuid32", "uuu"},
    {"setreuid", "uu"},
    {"setreuid32", "uu"},
    {"setrlimit", "u"},
    {"setsockopt", "iii.i"},
    {"setuid", "u"},
    {"setuid32", "u"},
    {"setxattr", "....i"},
    {"setxattrat", "i.u"},
    {"shmat", "i.i"},
    {"shmctl", "ii"},
    {"shmget", "i.i"},
    {"shutdown", "ii"},
    {"signalfd4", "i..i"},
    {"socket", "iii"},
    {"socketpair", "iii"},
    {"splice", "i.i..u"},
    {"statx", "i.uu"},
    {"swapon", ".i"},
    {"symlinkat", ".i"},
    {"sync_file_range", "i"},
    {"syncfs", "i"},
    {"syslog", "i.i"},
    {"tee", "ii.u"},
    {"tgkill", "iii"},
    {"timer_create", "i"},
    {"timerfd_create", "ii"},
    {"timerfd_gettime", "i"},
    {"timerfd_settime", "ii"},
    {"tkill", "ii"},
    {"umask", "i"},
    {"umount2", ".i"},
    {"unlinkat", "i.i"},
    {"userfaultfd", "i"},
    {"utimensat", "i..i"},
    {"vmsplice", "i..u"},
    {"wait4", "i.i"},
    {"waitid", "ii.i"},
    {"write", "u"},
    {"writev", "u"},
};

// The lookup is a binary search: an entry out of order would silently read
// as 64 bits (and could hide its neighbours), so order is checked here.
constexpr bool sorted_and_unique() {
  for (std::size_t i = 1; i < std::size(kTable); ++i)
    if (!(kTable[i - 1].name < kTable[i].name)) return false;
  return true;
}
static_assert(sorted_and_unique(), "arg_types.cpp: keep kTable sorted by name, one entry per syscall");

}  // namespace

std::span<const ArgTypes> arg_types_table() { return kTable; }

}  // namespace detail

ArgWidth syscall_arg_width(std::string_view syscall, unsigned arg) {
  const auto table = detail::arg_types_table();
  auto it = std::lower_bound(table.begin(), table.end(), syscall,
                             [](const detail::ArgTypes& t, std::string_view n) { return t.name < n; });
  if (it == table.end() || it->name != syscall || arg >= it->args.size()) return ArgWidth::U64;
  switch (it->args[arg]) {
    case 'i': return ArgWidth::S32;
    case 'u': return ArgWidth::U32;
    default: return ArgWidth::U64;
  }
}

void apply_kernel_widths(Rule& rule) {
  const auto* name = std::get_if<std::string>(&rule.syscall);
  if (name == nullptr) return;
  for (Condition& c : rule.conditions) {
    if (c.width == ArgWidth::U64) c.width = syscall_arg_width(*name, c.arg);
  }
}

}  // namespace seccage
