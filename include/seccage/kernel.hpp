// The kernel-facing layer: installing filters with seccomp(2), strict mode,
// and probes of what the running kernel supports. Everything else in seccage
// works on values (policies, programs) and runs in tests without touching the
// kernel; this is the one place that changes a process's seccomp state, and it
// is kept thin on purpose (docs/kernel.md).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "seccage/action.hpp"
#include "seccage/bpf.hpp"

namespace seccage::kernel {

// The SECCOMP_FILTER_FLAG_* flags of SECCOMP_SET_MODE_FILTER.
enum class FilterFlag : std::uint8_t {
  Tsync,             // 3.17: install on every thread of the process
  Log,               // 4.14: log all actions except ALLOW
  SpecAllow,         // 4.17: do not enable the speculative store bypass mitigation
  NewListener,       // 5.0:  return a user-notification listener fd
  TsyncEsrch,        // 5.7:  a TSYNC failure returns ESRCH rather than a thread id
  WaitKillableRecv,  // 5.19: a notified task waits killably once the supervisor has received the call
};
inline constexpr std::array<FilterFlag, 6> kAllFilterFlags{
    FilterFlag::Tsync,       FilterFlag::Log,        FilterFlag::SpecAllow,
    FilterFlag::NewListener, FilterFlag::TsyncEsrch, FilterFlag::WaitKillableRecv,
};
std::uint32_t flag_bit(FilterFlag flag);          // 1u << n, as in linux/seccomp.h
std::string_view flag_name(FilterFlag flag);      // "SECCOMP_FILTER_FLAG_TSYNC"
std::string_view flag_since(FilterFlag flag);     // "3.17": the first Linux release with it

// Whether load_filter sets NO_NEW_PRIVS (prctl PR_SET_NO_NEW_PRIVS) first.
enum class NoNewPrivs : std::uint8_t {
  // Set it. Always allowed, and required by the kernel for callers without
  // CAP_SYS_ADMIN. It cannot be unset, and is inherited across fork and execve
  // (setuid bits and file capabilities stop working), which is why...
  Set,
  // ...a caller with CAP_SYS_ADMIN in its effective set may leave it as it is.
  // Without that capability (and with NO_NEW_PRIVS still unset) the kernel
  // refuses the filter with EACCES, reported as a SystemError.
  Keep,
};

struct LoadOptions {
  bool tsync = false;
  bool log = false;
  bool spec_allow = false;
  bool new_listener = false;
  // With tsync and new_listener together the kernel requires tsync_esrch
  // (otherwise a return value could be a listener fd or a failing thread id);
  // load_filter adds it on its own in that case.
  bool tsync_esrch = false;
  bool wait_killable_recv = false;  // needs new_listener
  NoNewPrivs no_new_privs = NoNewPrivs::Set;
};

// An owned file descriptor, closed on destruction. Moving and destroying it
// never allocate.
class UniqueFd {
 public:
  UniqueFd() noexcept = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  explicit operator bool() const noexcept { return valid(); }
  int release() noexcept;  // gives up ownership; returns the fd
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

struct LoadResult {
  UniqueFd listener;        // the user-notification fd (O_CLOEXEC) when new_listener was asked
  std::uint32_t flags = 0;  // the SECCOMP_FILTER_FLAG_* bits passed to the kernel
};

// Installs `program` on the calling thread (every thread with tsync) with
// SECCOMP_SET_MODE_FILTER.
//
// Before anything changes it checks the arguments (InputError: an empty
// program or one over 4096 instructions, wait_killable_recv without
// new_listener), probes each requested flag (SystemError with EINVAL naming the
// flag and the Linux release that added it), and copies the program into its
// own buffer. Then it sets NO_NEW_PRIVS (per options.no_new_privs) and calls
// seccomp(2). Once the filter is on, nothing is allocated, so the call is safe
// right before execve, after fork in a multithreaded program (given a program
// built before the fork), and with tsync while other threads run.
//
// The kernel's refusals are SystemErrors whose message says what to do (EINVAL:
// verify the program with `seccage disasm`; EACCES: NO_NEW_PRIVS; ENOMEM: over
// the 32768-instruction limit of all filters together; EBUSY: a listener
// exists already; ESRCH: a thread could not be synchronized). If the kernel
// refuses, NO_NEW_PRIVS stays set when it was set here.
LoadResult load_filter(const bpf::Program& program, const LoadOptions& options = {});

// SECCOMP_MODE_STRICT on the calling thread: from then on only read, write,
// _exit (the exit syscall, not exit_group, which glibc's _exit uses) and
// sigreturn are allowed; anything else kills the thread with SIGKILL. It cannot
// be left. Throws SystemError if the kernel refuses (e.g. a filter is already
// installed).
void enter_strict_mode();

// Probes. None changes the caller's seccomp state or NO_NEW_PRIVS.

// SECCOMP_MODE_FILTER is available (CONFIG_SECCOMP_FILTER).
bool filter_mode_available();
// The kernel knows the flag (it checks flags before reading the program, so
// asking with a null program answers EFAULT for a known flag and EINVAL for an
// unknown one, and installs nothing). Throws SystemError if seccomp(2) itself
// fails some other way, for instance when an outer filter denies it.
bool flag_supported(FilterFlag flag);
// SECCOMP_GET_ACTION_AVAIL (Linux 4.14+) for the action's kind (its data is
// ignored). On older kernels: the actions of Linux 3.5 when filter mode exists.
bool action_available(Action action);

// SECCOMP_GET_NOTIF_SIZES (Linux 5.0+): the kernel's sizes of struct
// seccomp_notif, seccomp_notif_resp and seccomp_data, which may be larger than
// the ones this program was compiled with. nullopt before Linux 5.0.
struct NotifSizes {
  std::uint16_t notif = 0;
  std::uint16_t notif_resp = 0;
  std::uint16_t data = 0;
  friend bool operator==(const NotifSizes&, const NotifSizes&) = default;
};
std::optional<NotifSizes> notif_sizes();

// The calling thread's state. current_mode() uses prctl(PR_GET_SECCOMP), which
// strict mode does not allow: never call it after enter_strict_mode().
enum class SeccompMode : std::uint8_t { Disabled, Strict, Filter };
SeccompMode current_mode();
std::string_view to_string(SeccompMode mode);  // "disabled", "strict", "filter"
bool no_new_privs();
bool has_cap_sys_admin();  // CAP_SYS_ADMIN in the effective set

// "kill_process", "user_notif", ...: the names of /proc/sys/kernel/seccomp/actions_avail.
std::string_view actions_avail_name(ActionKind kind);

// Everything the probes find, in one value.
struct KernelFeatures {
  std::string release;  // uname -r
  std::string machine;  // uname -m
  int version_major = 0, version_minor = 0;  // parsed from release (0.0 if unparsable)

  bool seccomp = false;          // CONFIG_SECCOMP (PR_GET_SECCOMP answers)
  bool seccomp_syscall = false;  // seccomp(2), Linux 3.17+
  bool filter_mode = false;      // CONFIG_SECCOMP_FILTER
  bool get_action_avail = false; // SECCOMP_GET_ACTION_AVAIL, Linux 4.14+

  struct Flag {
    FilterFlag flag;
    bool supported = false;
  };
  std::vector<Flag> flags;  // in kAllFilterFlags order

  struct ActionInfo {
    ActionKind kind;
    bool available = false;     // action_available()
    std::optional<bool> listed; // in actions_avail; nullopt when the file is unreadable
  };
  std::vector<ActionInfo> actions;  // in ActionKind order (most severe first)

  std::optional<NotifSizes> notif_sizes;
  // The constant-action cache (Linux 5.11+; judged by the release, as the
  // kernel offers no query): syscalls a filter always allows skip it.
  bool action_cache = false;
  // The words of /proc/sys/kernel/seccomp/actions_avail (Linux 4.14+).
  std::optional<std::vector<std::string>> actions_avail;

  // The probing thread.
  SeccompMode mode = SeccompMode::Disabled;
  bool no_new_privs = false;
  bool cap_sys_admin = false;

  bool supports(FilterFlag flag) const;
  bool supports(ActionKind kind) const;
};
KernelFeatures probe_kernel();

// One seccomp filter of a running process, as the kernel holds it.
struct LiveFilter {
  bpf::Program program;
  bool log = false;  // installed with SECCOMP_FILTER_FLAG_LOG (from the filter's metadata)
};

// Every seccomp filter of process `pid`, newest first: the order in which
// the kernel runs them (each call's action is the most severe any of them
// returns). Empty when the process has none. The process is stopped for the
// read (PTRACE_SEIZE + PTRACE_INTERRUPT) and let go after; it notices
// nothing else. Needs CAP_SYS_ADMIN, ptrace access to the process, and a
// caller with no seccomp filter of its own (the kernel's rules for
// PTRACE_SECCOMP_GET_FILTER); a SystemError says which one failed.
std::vector<LiveFilter> read_process_filters(int pid);

}  // namespace seccage::kernel
