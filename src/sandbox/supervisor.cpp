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
#include "sandbox/guards.hpp"
#include "sandbox/own_filter.hpp"
#include "sandbox/violation.hpp"

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

std::string outcome_for_errno(int err) {
  if (auto name = errno_name(err)) return fmt::format("errno {}", *name);
  return fmt::format("errno {}", err);
}

// A call one of seccage's guards refuses (sandbox/guards.hpp): EPERM, and
// reported as seccage's, not the policy's.
Classification guard_classification(Classification c, const Guard& guard, std::uint32_t audit_arch, std::uint32_t nr) {
  if (auto arch = arch_of_call(audit_arch, nr)) {
    c.known_arch = true;
    c.arch = *arch;
  }
  c.name = guard.syscall;
  c.action = Action::errno_(EPERM);
  c.rule = -1;
  c.rule_text = guard.why;
  c.origin = RuleOrigin::named("seccage");
  c.unknown_number = false;
  return c;
}

// The calls that send a signal, and which argument is the signal.
std::optional<int> signal_argument(const std::string& name) {
  if (name == "kill" || name == "tkill" || name == "rt_sigqueueinfo" || name == "pidfd_send_signal") return 1;
  if (name == "tgkill" || name == "rt_tgsigqueueinfo") return 2;
  return std::nullopt;
}

// Whether a signal sent by `name` with `args` can reach the process whose
// pid in the sandbox's namespace is `target`. A pidfd's process is not
// looked up: it may.
bool may_reach(const std::string& name, const std::array<std::uint64_t, 6>& args, pid_t target) {
  const auto first = static_cast<pid_t>(static_cast<std::int32_t>(args[0]));
  if (name == "pidfd_send_signal") return true;
  if (name == "kill") return first <= 0 || first == target;  // 0, -1 and groups: it may be among them
  return first == target;
}

}  // namespace

// One notification as received.
// A notification: the call, and the id to answer it by.
struct Supervisor::Call : HeldCall {
  std::uint64_t id = 0;
};

Supervisor::Supervisor(kernel::UniqueFd listener, const LazyClassifier& classifier, SupervisorConfig config)
    : listener_(std::move(listener)), classifier_(classifier), config_(std::move(config)) {
  // The kernel's structs may be larger than this build's headers say.
  const auto sizes = kernel::notif_sizes();
  req_.resize(std::max<std::size_t>(sizes ? sizes->notif : 0, sizeof(seccomp_notif)));
  resp_.resize(std::max<std::size_t>(sizes ? sizes->notif_resp : 0, sizeof(seccomp_notif_resp)));
  // Linux 6.6+: the kernel wakes the supervisor and the notified task
  // synchronously (on the same CPU where it can), which makes a round trip
  // several times cheaper; a program repeating a denied call is answered
  // faster. Older kernels refuse the ioctl, and nothing changes.
  constexpr unsigned long kSetFlags = _IOW('!', 4, std::uint64_t);  // SECCOMP_IOCTL_NOTIF_SET_FLAGS
  constexpr unsigned long kSyncWakeUp = 1;                          // SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
  ::ioctl(listener_.get(), kSetFlags, kSyncWakeUp);
}

// The kernel ranks a filter's ERRNO and TRAP above seccage's USER_NOTIF:
// from now on a call the program's own filter answers that way never reaches
// seccage, even one seccage's policy kills. That cannot be prevented from
// outside (no supervisor can install or inspect the filter race-free), so
// it is reported, with the kills the filter outranks (read from the task's
// memory while it waits: for the report only).
void Supervisor::record_own_filter(ViolationLog& log, const Call& call, const Classification& c) {
  Report& report = log.report();
  const auto st = read_status(call.tid);
  const pid_t pid = st ? st->tgid : call.tid;
  own_filter_pids_.insert(pid);
  OwnFilter f;
  f.pid = pid;
  f.call = *c.name;
  f.time_ms = log.now_ms();
  if (auto prog = read_installing_filter(call.tid, c.arch, call.args)) {
    f.instructions = prog->size();
    find_outranked_kills(*prog, classifier_.get(), c.arch, f);
  } else {
    f.exact = false;
  }
  std::string outranked;
  for (const auto& name : f.outranks_kills) outranked += (outranked.empty() ? "" : ", ") + name;
  if (report.own_filters++ == 0) {
    report.isolation.notes.push_back(fmt::format(
        "pid {} installed a seccomp filter of its own ({}): calls that filter answers with an errno or a trap are "
        "answered before seccage's supervisor sees them, so they are neither reported nor killed by seccage's policy{}",
        call.tid, *c.name,
        outranked.empty() ? std::string() : fmt::format(" ({}the policy's kill of {})", f.exact ? "it outranks " : "it may outrank ", outranked)));
  }
  if (!f.outranks_kills.empty()) {
    // Not silent: the kernel will answer these calls from the program's
    // filter, so the policy's kills of them cannot happen. A violation of its
    // own, naming the install and the kills it outranks.
    Violation v = violation_of(call, c);
    v.pid = pid;
    decode_arguments(v, c, MemoryReader{}, DecodeOptions{});
    v.rule = fmt::format("a stacked filter {} the policy's kill of {}", f.exact ? "outranks" : "may outrank", outranked);
    v.origin = RuleOrigin::named("own filter");
    v.outcome = fmt::format("installed: the kernel answers {} from this filter (errno or trap) before seccage, so "
                            "seccage cannot kill or report them", outranked);
    log.record(std::move(v));
  }
  if (report.own_filter_list.size() < 100) report.own_filter_list.push_back(std::move(f));
}

void Supervisor::record_sigsys_sent(const Call& call, const Classification& c) {
  const std::string& name = *c.name;
  const auto at = signal_argument(name);
  if (!at || static_cast<int>(call.args[static_cast<std::size_t>(*at)]) != SIGSYS) return;
  if (sigsys_sent_.size() >= 100) return;
  const auto st = read_status(call.tid);
  SigsysSent s;
  s.sender = st ? st->tgid : call.tid;
  s.call = fmt::format("pid {}: {}", s.sender, decode_call(c.arch, name, call.args, MemoryReader{}, DecodeOptions{}));
  s.may_reach_program = may_reach(name, call.args, config_.launcher_ns_pid);
  sigsys_sent_.push_back(std::move(s));
}

// Calls the policy does not deny that still notify: execve, execveat and the
// observed ones (seccomp and prctl, the signal senders, exit_group under
// --memory, prlimit64 under --nofile), and the policy's own USER_NOTIF/TRACE.
void Supervisor::observe_allowed(ViolationLog& log, const Call& call, const Classification& c) {
  if (c.name && *c.name == "exit_group") {
    if (auto st = read_status(call.tid)) peak_vm_kb_ = std::max(peak_vm_kb_, st->vm_peak_kb);
  }
  if (c.name && installs_filter(*c.name, call.args)) record_own_filter(log, call, c);
  if (c.name) record_sigsys_sent(call, c);
  if (c.action.kind == ActionKind::Allow || c.action.kind == ActionKind::Log) {
    // Exact: the policy allowed the call on the registers the kernel
    // captured, which the blocked task cannot change.
    respond(call.id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
  } else {
    // USER_NOTIF or TRACE in the policy itself: seccage is not the
    // supervisor or tracer the policy meant, and the kernel answers ENOSYS
    // when there is none.
    respond(call.id, 0, -kEnosys, 0);
  }
}

// A TRAP on a call that always notifies (execve, the observed calls): the
// kernel's trap would skip the call and raise SIGSYS with SYS_SECCOMP, which
// no other process can forge. When the program cannot take the signal (no
// handler, or SIGSYS blocked or ignored) the kernel would kill it, and so
// does seccage; otherwise its handler gets a SIGSYS from seccage (si_code
// SI_TKILL) and the call returns ENOSYS.
void Supervisor::trap_from_outside(const Call& call, Violation& v, const std::optional<TaskStatus>& st) {
  const std::uint64_t bit = 1ULL << (SIGSYS - 1);
  const bool handled = st && (st->sig_caught & bit) && !(st->sig_blocked & bit) && !(st->sig_ignored & bit);
  if (!handled) {
    kill_process(v.pid);
    killed_.insert(v.pid);
    v.outcome = "killed (trap: SIGSYS not handled)";
    return;
  }
  ::syscall(SYS_tgkill, v.pid, call.tid, SIGSYS);
  respond(call.id, 0, -kEnosys, 0);
  trapped_.insert(v.pid);
  v.outcome = "SIGSYS sent (trap, from seccage: si_code SI_TKILL)";
}

void Supervisor::carry_out(const Call& call, const Classification& c, Violation& v, const std::optional<TaskStatus>& st) {
  switch (c.action.kind) {
    case ActionKind::Errno:
      respond(call.id, 0, -static_cast<int>(c.action.data), 0);
      v.outcome = outcome_for_errno(c.action.data);
      break;
    case ActionKind::Trap: trap_from_outside(call, v, st); break;
    case ActionKind::KillThread:
    case ActionKind::KillProcess:
    default:
      // SIGKILL, not SIGSYS: a SIGSYS could be caught, blocked or ignored
      // by the program, and the kernel's kill cannot be. The task never
      // returns from the call. The runner reports the process as dead of
      // SIGSYS, as the kernel's kill would have left it.
      kill_process(v.pid);
      killed_.insert(v.pid);
      v.outcome = (c.action.kind == ActionKind::KillThread && st && st->threads > 1)
                      ? "killed (the whole process: seccage cannot kill one thread)"
                      : "killed";
      break;
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

bool Supervisor::handle_one(ViolationLog& log) {
  std::fill(req_.begin(), req_.end(), 0);
  auto* req = reinterpret_cast<seccomp_notif*>(req_.data());
  if (::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_RECV, req) != 0) {
    // ENOENT: the task died or was interrupted between the poll and RECV.
    return errno == EINTR || errno == ENOENT;
  }
  Call call;
  call.id = req->id;
  call.tid = static_cast<pid_t>(req->pid);
  std::copy(std::begin(req->data.args), std::end(req->data.args), call.args.begin());
  call.nr = static_cast<std::uint32_t>(req->data.nr);
  call.audit_arch = req->data.arch;

  if (!launched_) launched_ = config_.launched ? config_.launched() : true;
  if (!launched_ && call.tid == config_.launcher) {
    // Before the launcher's execve has succeeded, the only task under the
    // filter is seccage's own launcher: its execve (and, if that fails, the
    // write of the errno and the _exit) go through.
    respond(call.id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
    return true;
  }
  if (config_.recorder) {
    if (guard_for(call.audit_arch, call.nr, call.args)) {
      // Refused as in every run, and not recorded: the program never had
      // it, and the learned profile's default answers it the same way.
      respond(call.id, 0, -EPERM, 0);
      return true;
    }
    // Learning: nothing is enforced, so CONTINUE is what is wanted here (the
    // call runs with whatever its memory holds by then; only the registers
    // are recorded, and those the task cannot change while it waits).
    const int error = config_.recorder->record(call.audit_arch, call.nr, call.args);
    respond(call.id, 0, error > 0 ? -error : 0, error > 0 ? 0 : SECCOMP_USER_NOTIF_FLAG_CONTINUE);
    return true;
  }
  Classification c = classifier_.get().classify(call.audit_arch, call.nr, call.args);
  // seccage's own guards hold in permissive mode too; where the policy denies
  // the call itself, its answer (a kill, its errno) is carried out instead.
  const Guard* guard = guard_for(call.audit_arch, call.nr, call.args);
  const bool guarded = guard && (config_.mode == Mode::Permissive || !c.action.denies());
  if (guarded) c = guard_classification(c, *guard, call.audit_arch, call.nr);
  if (!c.action.denies()) {
    observe_allowed(log, call, c);
    return true;
  }

  Violation v = violation_of(call, c);
  const std::string key = ViolationLog::key(v.syscall, v.rule, v.action, v.arch);
  // A kill or trap needs the process (and its signal state); anything else
  // needs it only for a call the report keeps whole.
  const bool details = log.wants_details(key);
  const bool fatal = c.action.kind != ActionKind::Errno;
  std::optional<TaskStatus> status;
  if (details || fatal) status = read_status(call.tid);
  v.pid = status ? status->tgid : call.tid;
  DecodeOptions dopt;
  dopt.string_limit = config_.string_limit;
  if (details) {
    const pid_t tid = call.tid;
    MemoryReader reader = [tid](std::uint64_t addr, std::size_t max, bool cstring) {
      return read_memory(tid, addr, max, cstring);
    };
    decode_arguments(v, c, reader, dopt);
  }

  // What was read is the task's only if the notification is still pending:
  // otherwise the task died and its pid (and so /proc/PID/mem) may be another
  // process's now.
  std::uint64_t check_id = call.id;
  const bool alive = !details || ::ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_ID_VALID, &check_id) == 0;
  if (!alive) {
    decode_arguments(v, c, MemoryReader{}, dopt);
    v.outcome = "none: the task ended before the answer";
  } else if (config_.mode == Mode::Permissive && !guarded) {
    respond(call.id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
    v.outcome = std::string(kLetThrough);
  } else {
    carry_out(call, c, v, status);
  }
  log.record(key, std::move(v), c.action == Action::errno_(kEnosys));
  return true;
}

}  // namespace seccage::sandbox
