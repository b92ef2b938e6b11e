#include "sandbox/supervisor.hpp"

#include <linux/seccomp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

#include <fmt/core.h>

#include "sandbox/decode.hpp"
#include "sandbox/proc.hpp"

namespace seccage::sandbox {
namespace {

constexpr int kEnosys = 38;

// A pidfd pins a process: a signal sent through it can never reach a later
// process that reused the pid.
int open_pidfd(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

void kill_process(pid_t tgid) {
  const int pfd = open_pidfd(tgid);
  if (pfd >= 0) {
    ::syscall(SYS_pidfd_send_signal, pfd, SIGKILL, nullptr, 0);
    ::close(pfd);
  } else {
    ::kill(tgid, SIGKILL);
  }
}

// seccomp(SECCOMP_SET_MODE_FILTER, ...) or prctl(PR_SET_SECCOMP,
// SECCOMP_MODE_FILTER, ...): the program stacks a filter of its own.
bool installs_filter(const std::string& name, const std::array<std::uint64_t, 6>& args) {
  if (name == "seccomp") return static_cast<std::uint32_t>(args[0]) == 1;
  if (name == "prctl") return static_cast<std::uint32_t>(args[0]) == 22 && args[1] == 2;
  return false;
}

std::string outcome_for_errno(int err) {
  if (auto name = errno_name(err)) return fmt::format("errno {}", *name);
  return fmt::format("errno {}", err);
}

}  // namespace

Supervisor::Supervisor(kernel::UniqueFd listener, const LazyClassifier& classifier, SupervisorConfig config)
    : listener_(std::move(listener)), classifier_(classifier), config_(std::move(config)) {
  // The kernel's structs may be larger than this build's headers say.
  const auto sizes = kernel::notif_sizes();
  req_.resize(std::max<std::size_t>(sizes ? sizes->notif : 0, sizeof(seccomp_notif)));
  resp_.resize(std::max<std::size_t>(sizes ? sizes->notif_resp : 0, sizeof(seccomp_notif_resp)));
}

// The kernel ranks a filter's ERRNO above seccage's USER_NOTIF: from now on
// a call the program's own filter answers with an errno never reaches
// seccage, even one seccage's policy kills. That cannot be prevented from
// outside (no supervisor can install or inspect the filter race-free), so
// it is reported: the run's report says the kill may have been preempted.
void Supervisor::record_own_filter(Report& report, pid_t tid, const std::string& call) {
  if (report.own_filters++ == 0) {
    report.isolation.notes.push_back(fmt::format(
        "pid {} installed a seccomp filter of its own ({}): calls that filter answers with an errno or a trap are "
        "answered before seccage's supervisor sees them, so they are neither reported nor killed by seccage's policy",
        tid, call));
  }
}

void Supervisor::respond(std::uint64_t id, std::int64_t val, int error, std::uint32_t flags) {
  std::fill(resp_.begin(), resp_.end(), 0);
  auto* resp = reinterpret_cast<seccomp_notif_resp*>(resp_.data());
  resp->id = id;
  resp->val = val;
  resp->error = error;
  resp->flags = flags;
  // ENOENT: the task is gone (killed, or interrupted by a signal; it will
  // notify again when the call restarts). Nothing to answer then.
  ::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_SEND, resp);
}

bool Supervisor::handle_one(Report& report) {
  std::fill(req_.begin(), req_.end(), 0);
  auto* req = reinterpret_cast<seccomp_notif*>(req_.data());
  if (::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_RECV, req) != 0) {
    // ENOENT: the task died or was interrupted between the poll and RECV.
    return errno == EINTR || errno == ENOENT;
  }
  const std::uint64_t id = req->id;
  const auto tid = static_cast<pid_t>(req->pid);
  std::array<std::uint64_t, 6> args{};
  std::copy(std::begin(req->data.args), std::end(req->data.args), args.begin());
  const auto nr = static_cast<std::uint32_t>(req->data.nr);

  if (!launched_) launched_ = config_.launched ? config_.launched() : true;
  if (!launched_ && tid == config_.launcher) {
    // Before the launcher's execve has succeeded, the only task under the
    // filter is seccage's own launcher: its execve (and, if that fails, the
    // write of the errno and the _exit) go through.
    respond(id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
    return true;
  }
  const Classification c = classifier_.get().classify(req->data.arch, nr, args);

  if (!c.action.denies()) {
    // Calls that always notify (execve, execveat, exit_group under
    // --memory), and the policy's own USER_NOTIF/TRACE actions.
    if (c.name && *c.name == "exit_group") {
      if (auto st = read_status(tid)) peak_vm_kb_ = std::max(peak_vm_kb_, st->vm_peak_kb);
    }
    if (c.name && installs_filter(*c.name, args)) record_own_filter(report, tid, *c.name);
    if (c.action.kind == ActionKind::Allow || c.action.kind == ActionKind::Log) {
      // Exact: the policy allowed the call on the registers the kernel
      // captured, which the blocked task cannot change.
      respond(id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
    } else {
      // USER_NOTIF or TRACE in the policy itself: seccage is not the
      // supervisor or tracer the policy meant, and the kernel answers ENOSYS
      // when there is none.
      respond(id, 0, -kEnosys, 0);
    }
    return true;
  }

  Violation v;
  v.nr = nr;
  v.tid = tid;
  v.args = args;
  v.action = c.action;
  v.rule = c.rule_text;
  v.origin = c.origin;
  v.arch = c.known_arch ? std::string(arch_name(c.arch)) : fmt::format("audit {:#x}", req->data.arch);
  v.syscall = c.name ? *c.name : fmt::format("#{}", nr);
  const auto status = read_status(tid);
  v.pid = status ? status->tgid : tid;
  MemoryReader reader = [tid](std::uint64_t addr, std::size_t max, bool cstring) {
    return read_memory(tid, addr, max, cstring);
  };
  DecodeOptions dopt;
  dopt.string_limit = config_.string_limit;
  DecodedCall decoded = decode_call_structured(c.arch, v.syscall, args, reader, dopt);
  v.decoded = std::move(decoded.line);
  v.arguments = std::move(decoded.args);

  // What was read is the task's only if the notification is still pending:
  // otherwise the task died and its pid (and so /proc/PID/mem) may be another
  // process's now.
  std::uint64_t check_id = id;
  const bool alive = ::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_ID_VALID, &check_id) == 0;
  if (!alive) {
    decoded = decode_call_structured(c.arch, v.syscall, args, MemoryReader{}, dopt);
    v.decoded = std::move(decoded.line);
    v.arguments = std::move(decoded.args);
    v.outcome = "none: the task ended before the answer";
  } else if (config_.mode == Mode::Permissive) {
    respond(id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
    v.outcome = "allowed (permissive)";
  } else {
    switch (c.action.kind) {
      case ActionKind::Errno:
        respond(id, 0, -static_cast<int>(c.action.data), 0);
        v.outcome = outcome_for_errno(c.action.data);
        break;
      case ActionKind::Trap:
        // The kernel would skip the call and raise SIGSYS; the signal is
        // queued before the answer, so it is delivered on the way back to
        // user space, before the program's next instruction.
        ::syscall(SYS_tgkill, v.pid, tid, SIGSYS);
        respond(id, 0, -kEnosys, 0);
        v.outcome = "SIGSYS sent (trap)";
        break;
      case ActionKind::KillThread:
      case ActionKind::KillProcess:
      default:
        // SIGKILL, not SIGSYS: a SIGSYS could be caught, blocked or ignored
        // by the program, and the kernel's kill cannot be. The task never
        // returns from the call. The runner reports the process as dead of
        // SIGSYS, as the kernel's kill would have left it.
        kill_process(v.pid);
        killed_.insert(v.pid);
        v.outcome = (c.action.kind == ActionKind::KillThread && status && status->threads > 1)
                        ? "killed (the whole process: seccage cannot kill one thread)"
                        : "killed";
        break;
    }
  }

  const bool fallback = c.action == Action::errno_(kEnosys);
  auto& list = fallback ? report.fallbacks : report.violations;
  auto& count = fallback ? report.fallback_count : report.violation_count;
  ++count;
  if (list.size() < config_.max_violations) list.push_back(std::move(v));
  return true;
}

}  // namespace seccage::sandbox
