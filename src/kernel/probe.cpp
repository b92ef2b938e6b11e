// Probes of the running kernel. None of them installs a filter or sets
// NO_NEW_PRIVS: they ask seccomp(2) questions whose answers come before any
// state change (see detail::probe_filter_flags).
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <iterator>

#include "kernel/sys.hpp"
#include "seccage/error.hpp"
#include "seccage/kernel.hpp"

// Older uapi headers lack the newest names; the values are ABI and never change.
#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL 2
#endif
#ifndef SECCOMP_GET_NOTIF_SIZES
#define SECCOMP_GET_NOTIF_SIZES 3
#endif

namespace seccage::kernel {
namespace detail {

long seccomp_call(unsigned op, unsigned flags, void* args) noexcept {
  long ret = syscall(SYS_seccomp, op, flags, args);
  if (ret == -1 && errno == ENOSYS && flags == 0 &&
      (op == SECCOMP_SET_MODE_STRICT || op == SECCOMP_SET_MODE_FILTER)) {
    // Linux 3.5..3.16: the same operations through prctl.
    const unsigned long mode = op == SECCOMP_SET_MODE_STRICT ? SECCOMP_MODE_STRICT : SECCOMP_MODE_FILTER;
    ret = prctl(PR_SET_SECCOMP, mode, args, 0, 0);
  }
  return ret;
}

int probe_filter_flags(std::uint32_t bits) noexcept {
  // A null program: the kernel rejects unknown flags with EINVAL first, then
  // fails to copy the program with EFAULT. It cannot succeed, so there is no
  // success branch to undo.
  const long ret = seccomp_call(SECCOMP_SET_MODE_FILTER, bits, nullptr);
  return ret == -1 ? errno : 0;
}

std::uint32_t probe_companions(std::uint32_t bit) noexcept {
  if (bit == flag_bit(FilterFlag::WaitKillableRecv)) return flag_bit(FilterFlag::NewListener);
  return 0;
}

bool parse_release(std::string_view release, int& major, int& minor) noexcept {
  const char* p = release.data();
  const char* end = p + release.size();
  auto r1 = std::from_chars(p, end, major);
  if (r1.ec != std::errc{} || r1.ptr == end || *r1.ptr != '.') return false;
  auto r2 = std::from_chars(r1.ptr + 1, end, minor);
  return r2.ec == std::errc{};
}

}  // namespace detail

std::uint32_t flag_bit(FilterFlag flag) { return 1u << static_cast<unsigned>(flag); }

std::string_view flag_name(FilterFlag flag) {
  switch (flag) {
    case FilterFlag::Tsync: return "SECCOMP_FILTER_FLAG_TSYNC";
    case FilterFlag::Log: return "SECCOMP_FILTER_FLAG_LOG";
    case FilterFlag::SpecAllow: return "SECCOMP_FILTER_FLAG_SPEC_ALLOW";
    case FilterFlag::NewListener: return "SECCOMP_FILTER_FLAG_NEW_LISTENER";
    case FilterFlag::TsyncEsrch: return "SECCOMP_FILTER_FLAG_TSYNC_ESRCH";
    case FilterFlag::WaitKillableRecv: return "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV";
  }
  return "SECCOMP_FILTER_FLAG_?";
}

std::string_view flag_since(FilterFlag flag) {
  switch (flag) {
    case FilterFlag::Tsync: return "3.17";
    case FilterFlag::Log: return "4.14";
    case FilterFlag::SpecAllow: return "4.17";
    case FilterFlag::NewListener: return "5.0";
    case FilterFlag::TsyncEsrch: return "5.7";
    case FilterFlag::WaitKillableRecv: return "5.19";
  }
  return "?";
}

bool filter_mode_available() {
  // Flags 0 and a null program: EFAULT when filter mode exists; EINVAL when
  // the kernel was built without CONFIG_SECCOMP_FILTER (or without seccomp).
  return detail::probe_filter_flags(0) == EFAULT;
}

bool flag_supported(FilterFlag flag) {
  const std::uint32_t bits = flag_bit(flag) | detail::probe_companions(flag_bit(flag));
  const int err = detail::probe_filter_flags(bits);
  if (err == EFAULT) return true;
  // ENOSYS: no seccomp(2) at all (before 3.17), so no flag either.
  if (err == EINVAL || err == ENOSYS) return false;
  throw SystemError(std::string("probing ") + std::string(flag_name(flag)) +
                        " with seccomp(2) failed unexpectedly (is seccomp(2) denied by a filter seccage runs under?)",
                    err);
}

bool action_available(Action action) {
  // The kernel compares the whole 32-bit value against the bare actions, so
  // the data must be cleared.
  std::uint32_t ret = action.to_ret() & SECCOMP_RET_ACTION_FULL;
  if (detail::seccomp_call(SECCOMP_GET_ACTION_AVAIL, 0, &ret) == 0) return true;
  const int err = errno;
  if (err == EOPNOTSUPP) return false;
  // Before 4.14 the operation is unknown (EINVAL, or ENOSYS before 3.17). The
  // actions that came with 4.14 or later (KILL_PROCESS, LOG, USER_NOTIF) are
  // then missing; the original ones exist wherever filter mode does.
  switch (action.kind) {
    case ActionKind::KillThread:
    case ActionKind::Trap:
    case ActionKind::Errno:
    case ActionKind::Trace:
    case ActionKind::Allow: return filter_mode_available();
    default: return false;
  }
}

std::optional<NotifSizes> notif_sizes() {
  seccomp_notif_sizes sizes{};
  if (detail::seccomp_call(SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0) return std::nullopt;
  return NotifSizes{sizes.seccomp_notif, sizes.seccomp_notif_resp, sizes.seccomp_data};
}

SeccompMode current_mode() {
  const int mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
  if (mode == SECCOMP_MODE_STRICT) return SeccompMode::Strict;
  if (mode == SECCOMP_MODE_FILTER) return SeccompMode::Filter;
  return SeccompMode::Disabled;  // 0, or -1/EINVAL without CONFIG_SECCOMP
}

std::string_view to_string(SeccompMode mode) {
  switch (mode) {
    case SeccompMode::Disabled: return "disabled";
    case SeccompMode::Strict: return "strict";
    case SeccompMode::Filter: return "filter";
  }
  return "disabled";
}

bool no_new_privs() { return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1; }

bool has_cap_sys_admin() {
  // capget(2) directly: the kernel's own view, without a libcap dependency.
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3]{};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  return (data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective & CAP_TO_MASK(CAP_SYS_ADMIN)) != 0;
}

std::string_view actions_avail_name(ActionKind kind) {
  switch (kind) {
    case ActionKind::KillProcess: return "kill_process";
    case ActionKind::KillThread: return "kill_thread";
    case ActionKind::Trap: return "trap";
    case ActionKind::Errno: return "errno";
    case ActionKind::UserNotif: return "user_notif";
    case ActionKind::Trace: return "trace";
    case ActionKind::Log: return "log";
    case ActionKind::Allow: return "allow";
  }
  return "";
}

bool KernelFeatures::supports(FilterFlag flag) const {
  for (const auto& f : flags)
    if (f.flag == flag) return f.supported;
  return false;
}

bool KernelFeatures::supports(ActionKind kind) const {
  for (const auto& a : actions)
    if (a.kind == kind) return a.available;
  return false;
}

KernelFeatures probe_kernel() {
  KernelFeatures k;
  utsname u{};
  if (uname(&u) == 0) {
    k.release = u.release;
    k.machine = u.machine;
    if (!detail::parse_release(k.release, k.version_major, k.version_minor)) k.version_major = k.version_minor = 0;
  }

  k.seccomp = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
  // Raw syscall here, without the prctl fallback, to tell whether seccomp(2) exists.
  const long ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, nullptr);
  k.seccomp_syscall = !(ret == -1 && errno == ENOSYS);
  k.filter_mode = filter_mode_available();
  {
    std::uint32_t allow = SECCOMP_RET_ALLOW;
    k.get_action_avail = detail::seccomp_call(SECCOMP_GET_ACTION_AVAIL, 0, &allow) == 0;
  }

  for (FilterFlag f : kAllFilterFlags) {
    bool supported = false;
    try {
      supported = flag_supported(f);
    } catch (const SystemError&) {
      // Reported as unsupported: the probe could not tell, and loading with it
      // would fail the same way.
    }
    k.flags.push_back({f, supported});
  }

  std::ifstream avail("/proc/sys/kernel/seccomp/actions_avail");
  if (avail) {
    std::vector<std::string> words{std::istream_iterator<std::string>(avail), std::istream_iterator<std::string>()};
    k.actions_avail = std::move(words);
  }
  for (int i = 0; i <= static_cast<int>(ActionKind::Allow); ++i) {
    const auto kind = static_cast<ActionKind>(i);
    KernelFeatures::ActionInfo info{kind, action_available(Action{kind, 0}), std::nullopt};
    if (k.actions_avail) {
      bool listed = false;
      for (const auto& w : *k.actions_avail) listed = listed || w == actions_avail_name(kind);
      info.listed = listed;
    }
    k.actions.push_back(info);
  }

  k.notif_sizes = notif_sizes();
  k.action_cache = k.filter_mode && (k.version_major > 5 || (k.version_major == 5 && k.version_minor >= 11));
  k.mode = current_mode();
  k.no_new_privs = no_new_privs();
  k.cap_sys_admin = has_cap_sys_admin();
  return k;
}

}  // namespace seccage::kernel
