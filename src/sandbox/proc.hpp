// Reading another process through /proc: its memory (for string arguments),
// its status (thread group, threads, memory), its CPU time, the syscall it
// sits in, and its children. All of these race with the process itself; the
// callers say what they do about it.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace seccage::sandbox {

// Up to `max` bytes at `addr` of task `tid`'s memory (/proc/TID/mem, which
// needs ptrace access: seccage is the parent, or root). With `cstring`, stops
// at the first NUL. Reads page by page, so a string ending just before an
// unmapped page is read whole. nullopt when nothing could be read.
std::optional<std::string> read_memory(pid_t tid, std::uint64_t addr, std::size_t max, bool cstring);

struct TaskStatus {
  pid_t tgid = 0;
  int threads = 0;
  std::uint64_t vm_peak_kb = 0;
  std::uint64_t vm_hwm_kb = 0;  // peak resident set
  // Signal masks, bit N-1 for signal N: blocked (this thread's), ignored and
  // caught (the process's dispositions).
  std::uint64_t sig_blocked = 0, sig_ignored = 0, sig_caught = 0;
  pid_t ns_pid = 0;             // its pid in its own (innermost) PID namespace
};
std::optional<TaskStatus> read_status(pid_t tid);

// utime+stime of a process (its threads included, its children not), in ms.
std::optional<std::int64_t> cpu_time_ms(pid_t pid);
// The CPU time of every process below `root`, running or reaped (each live
// descendant's own time plus what it reaped, and what `root` reaped), in
// ms; `root`'s own time is not counted. How --time counts without a cgroup.
std::optional<std::int64_t> tree_cpu_time_ms(pid_t root);

// /proc/PID/syscall: what a stopped or dead-by-signal task was doing: the
// number and six arguments. Works on a zombie that has not been reaped
// (waitid with WNOWAIT), which is how a kernel-side kill is named.
struct SyscallState {
  std::int64_t nr = -1;
  std::array<std::uint64_t, 6> args{};
};
std::optional<SyscallState> read_syscall(pid_t pid);

// The direct children of this process (every thread's), from
// /proc/self/task/*/children.
std::vector<pid_t> own_children();

}  // namespace seccage::sandbox
