// run(): starts the sandbox and watches it to its end (docs/run.md,
// docs/SECURITY.md). One thread, one poll loop over the signalfd (the init's
// end, and the signals passed on to the program), the listener, the
// launcher's status socket, the init's result, the timers and the output
// relays.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <linux/seccomp.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <optional>

#include <fmt/core.h>

#include "policy/evaluator.hpp"
#include "sandbox/cgroup.hpp"
#include "sandbox/guards.hpp"
#include "sandbox/init.hpp"
#include "sandbox/launcher.hpp"
#include "sandbox/limits.hpp"
#include "sandbox/proc.hpp"
#include "sandbox/program_setup.hpp"
#include "sandbox/relay.hpp"
#include "sandbox/sandbox_start.hpp"
#include "sandbox/sigsys.hpp"
#include "sandbox/supervisor.hpp"
#include "sandbox/variant.hpp"
#include "sandbox/violation.hpp"
#include "sandbox/violation_log.hpp"
#include "sandbox/watchdog.hpp"
#include "seccage/decision.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/kernel.hpp"
#include "seccage/sandbox.hpp"
#include "seccage/safe_path.hpp"

namespace seccage::sandbox {
namespace {

using kernel::UniqueFd;
using Clock = std::chrono::steady_clock;

constexpr auto kListenerTimeout = std::chrono::seconds(10);
constexpr long kSampleNs = 20'000'000;      // CPU and memory sampling: 20 ms
constexpr int kInitGraceMs = 2000;          // the init reports within this after SIGTERM, or is SIGKILLed

std::string errno_text(int err) { return std::strerror(err); }

bool pidfd_getfd_available() {
  errno = 0;
  return ::syscall(SYS_pidfd_getfd, -1, 0, 0) < 0 && errno == EBADF;
}

bool is_listener(int fd) {
  char target[64] = {};
  const std::string link = fmt::format("/proc/self/fd/{}", fd);
  const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
  return n > 0 && std::string_view(target, static_cast<std::size_t>(n)).find("seccomp notify") != std::string_view::npos;
}

bool exited(int pidfd) {
  pollfd p{pidfd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

// Takes a copy of the launcher's listener fd once the filter is on. The
// launcher is then blocked in its execve notification (execve always
// notifies), so the fd cannot have been closed by a successful exec.
UniqueFd fetch_listener(int pidfd, int number) {
  // The launcher installs its filter within a fraction of a millisecond and
  // then waits in its execve notification, so the wait is short and every
  // microsecond of it is start-up time: poll every 20 µs, with the timer
  // slack (default 50 µs, which would more than triple each sleep) at 1 µs
  // for the wait only.
  const int old_slack = ::prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
  ::prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
  struct RestoreSlack {
    int slack;
    ~RestoreSlack() {
      if (slack > 0) ::prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(slack), 0, 0, 0);
    }
  } restore_slack{old_slack};
  const auto deadline = Clock::now() + kListenerTimeout;
  while (Clock::now() < deadline) {
    const long fd = ::syscall(SYS_pidfd_getfd, pidfd, number, 0);
    if (fd >= 0) {
      UniqueFd got(static_cast<int>(fd));
      ::fcntl(got.get(), F_SETFD, FD_CLOEXEC);
      if (is_listener(got.get())) return got;
      // Not yet the listener: the number was free until the filter went on.
    } else if (errno != EBADF) {
      throw SystemError("cannot take the seccomp listener from the launcher (pidfd_getfd)", errno);
    }
    if (exited(pidfd)) return UniqueFd();  // the launcher died in set-up; its message says why
    ::usleep(20);
  }
  throw SystemError("the launcher did not install its filter in time", ETIMEDOUT);
}

// Learning (RunOptions::recorder): every call of every ABI the program can
// use notifies, so the recorder sees each one. The policy only lends its
// arches (foreign ones notify through the bad-arch action too).
Policy learning_policy(const Policy& policy) {
  Policy p;
  p.default_action = Action::user_notif();
  p.bad_arch_action = Action::user_notif();
  p.arches = callable_arches(policy);
  p.enosys_for_unknown = false;  // numbers newer than the table are recorded as they are
  return p;
}

// The sandbox's init's own filter, where the program could take it over
// (InitPlan::own_filter): the calls src/sandbox/init.cpp makes after it has
// forked the launcher, and nothing else.
bpf::Program init_program() {
  Policy p;
  p.default_action = Action::kill_process();
  p.enosys_for_unknown = false;
  for (const char* name : {"rt_sigtimedwait", "wait4", "waitid", "kill", "write", "getrusage", "close", "exit_group",
                           "exit", "rt_sigreturn", "restart_syscall", "openat", "read", "getpid"}) {
    Rule r;
    r.syscall = std::string(name);
    r.action = Action::allow();
    p.rules.push_back(std::move(r));
  }
  // The terminal put back as it was (restore_terminal, src/sandbox/init.cpp):
  // these requests only, so that a program that took the init over could not
  // push keystrokes into the terminal (TIOCSTI) from it.
  for (const std::uint64_t request : {TCXONC, TCSETS, TIOCNXCL}) {
    Rule r;
    r.syscall = std::string("ioctl");
    r.action = Action::allow();
    r.conditions.push_back(Condition{1, CmpOp::MaskedEq, request, 0xffffffffULL});
    p.rules.push_back(std::move(r));
  }
  return compile(p);
}

struct WallTimer {
  UniqueFd fd;
  void arm(double seconds, long interval_ns = 0) {
    fd.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    itimerspec its{};
    its.it_value.tv_sec = static_cast<time_t>(seconds);
    its.it_value.tv_nsec = static_cast<long>((seconds - std::floor(seconds)) * 1e9);
    if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0) its.it_value.tv_nsec = 1;
    its.it_interval.tv_nsec = interval_ns;
    ::timerfd_settime(fd.get(), 0, &its, nullptr);
  }
};

// Process-wide settings for the length of a run, restored at the end.
struct ProcessSettings {
  sigset_t old_mask{};
  struct sigaction old_pipe {};
  ProcessSettings(const sigset_t& block) {
    pthread_sigmask(SIG_BLOCK, &block, &old_mask);
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ign, &old_pipe);  // a closed stdout is an EPIPE, not seccage's death
  }
  ~ProcessSettings() {
    ::sigaction(SIGPIPE, &old_pipe, nullptr);
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  }
};

// One run, from the prepared plan to the report.
class Session {
 public:
  explicit Session(const RunOptions& o) : o_(o), classifier_(o.policy), log_(report_, o.max_violations, started_) {}
  Report run();

 private:
  void prepare();
  void open_io();
  void make_cgroup();
  void start();
  void attach_supervisor();
  void loop();
  void handle_signals();
  void handle_timers(int fd);
  void handle_relays(const std::vector<pollfd>& fds, std::size_t first);
  void read_status(bool block);
  void read_result();
  void stop_with_program();
  void stop_everything();
  // The launcher (the program) has not ended: its pid, which is also its
  // process group's id, cannot have been reused. Checked through its pidfd
  // before anything is sent to the group by number.
  bool launcher_alive() const { return sb_ && sb_->launcher > 0 && sb_->launcher_pidfd && !exited(sb_->launcher_pidfd.get()); }
  void finish();
  void conclude();
  void explain_sigsys_death(bool killed_by_us);
  Report failed(int status, std::string error);

  const RunOptions& o_;
  LazyClassifier classifier_;
  Report report_;
  Clock::time_point started_ = Clock::now();
  ViolationLog log_;
  LaunchPlan plan_;
  bool supervise_ = false;
  std::vector<UniqueFd> keep_;  // files opened for the program
  std::vector<UniqueFd> child_ends_;
  std::vector<OutputRelay> relays_;
  std::optional<RunCgroup> cgroup_;
  std::optional<Watchdog> watchdog_;
  UniqueFd watchdog_pipe_;
  std::optional<Sandbox> sb_;
  bpf::Program init_filter_;
  UniqueFd sigfd_;
  std::optional<Supervisor> supervisor_;
  WallTimer wall_, sample_;
  Observed seen_;
  std::uint64_t output_total_ = 0;

  bool launched_ = false, status_eof_ = false, exec_failed_ = false;
  LaunchMessage failure_{};
  int listener_number_ = -1;
  bool have_result_ = false, init_reaped_ = false, stopping_ = false;
  Clock::time_point stop_deadline_{};
  InitResult result_{};
  int forwarded_ = 0;
  std::string setup_error_;
  bool cgroup_used_ = false;
  bool listener_open_ = true;  // false once no task runs under the filter
  termios terminal_settings_{};
  bool terminal_saved_ = false;
};

Report Session::failed(int status, std::string error) {
  report_.status = status;
  report_.verdict = Verdict::SystemError;
  report_.error = std::move(error);
  report_.wall_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_).count();
  return report_;
}

void Session::prepare() {
  report_.permissive = o_.mode == Mode::Permissive;
  report_.policy = o_.policy_name;
  validate(o_.policy);
  supervise_ = o_.supervise;
  if (supervise_) {
    try {
      supervise_ = kernel::flag_supported(kernel::FilterFlag::NewListener) && pidfd_getfd_available();
    } catch (const SystemError&) {
      supervise_ = false;
    }
  }
  bool wait_killable = false;
  if (supervise_) {
    try {
      wait_killable = kernel::flag_supported(kernel::FilterFlag::WaitKillableRecv);
    } catch (const SystemError&) {
    }
  }
  // Filters the program stacks on its own are reported (Report::own_filters),
  // and so is every SIGSYS a process of the sandbox sends (a death by SIGSYS
  // is then told apart from a trap: src/sandbox/sigsys.hpp).
  std::vector<std::string> observe{"seccomp",         "prctl", "kill", "tkill", "tgkill", "rt_sigqueueinfo",
                                   "rt_tgsigqueueinfo", "pidfd_send_signal"};
  if (o_.limits.memory) observe.push_back("exit_group");
  // The launcher sets RLIMIT_NOFILE after its filter (and listener) are on,
  // whatever the policy says of prlimit64 (src/sandbox/launcher.cpp).
  if (o_.limits.nofile && supervise_) {
    observe.push_back("prlimit64");
    observe.push_back("setrlimit");
  }
  // In permissive mode a trap is let through and reported like the rest.
  // seccage's own guards (sandbox/guards.hpp): the supervisor enforces them
  // on every ABI that reaches it, a kernel filter on the others.
  std::vector<Arch> kernel_guarded = callable_arches(o_.policy);
  if (o_.recorder) {
    plan_.program = compile(learning_policy(o_.policy));
    kernel_guarded.clear();  // every call of every ABI notifies
  } else if (supervise_) {
    const Policy variant = notify_variant(o_.policy, observe, o_.mode != Mode::Permissive);
    std::vector<ArchDecisions> decisions = decide_all(variant);
    guard_decisions(decisions);
    plan_.program = compile_decisions(variant, decisions);
    // A foreign ABI notifies too when the policy denies it (TRAP outranks).
    if (o_.policy.bad_arch_action.denies()) kernel_guarded.clear();
    const std::vector<Arch> covered = o_.policy.effective_arches();
    std::erase_if(kernel_guarded, [&](Arch a) { return std::find(covered.begin(), covered.end(), a) != covered.end(); });
  } else {
    plan_.program = compile(o_.policy);
  }
  plan_.guard_filter = guard_program(kernel_guarded);
  plan_.supervise = supervise_;
  plan_.wait_killable = wait_killable;
  plan_.audit_log = o_.audit_log;
  plan_.uid = o_.uid;
  plan_.gid = o_.gid;
  plan_.cwd = o_.cwd;
  plan_.argv = o_.argv;
  plan_.envp = program_environment(o_);
  report_.supervised = supervise_;
}

// The program's files are opened by seccage before anything runs, never
// through a symlink another user could have planted (util/safe_path.hpp).
void Session::open_io() {
  auto open_file = [&](const std::string& file, int flags) -> int {
    keep_.push_back(open_trusted(file, flags));
    return keep_.back().get();
  };
  if (!o_.stdin_file.empty()) plan_.stdin_fd = open_file(o_.stdin_file, O_RDONLY);
  int out_dest = o_.stdout_file.empty() ? -1 : open_file(o_.stdout_file, O_WRONLY | O_CREAT | O_TRUNC);
  if (out_dest < 0 && o_.stdout_to_stderr) out_dest = 2;  // seccage's stdout carries the report alone
  int err_dest = o_.stderr_file.empty() ? -1 : open_file(o_.stderr_file, O_WRONLY | O_CREAT | O_TRUNC);
  if (o_.limits.output) {
    // The output limit needs to see the bytes: the program writes into
    // pipes that seccage relays to the real destinations, counting.
    for (int* dest : {&out_dest, &err_dest}) {
      int p[2];
      if (::pipe2(p, O_CLOEXEC) != 0) throw SystemError("pipe2", errno);
      child_ends_.emplace_back(p[1]);
      relays_.emplace_back(UniqueFd(p[0]), *dest >= 0 ? *dest : (dest == &out_dest ? 1 : 2));
      *dest = p[1];
    }
  }
  plan_.stdout_fd = out_dest;
  plan_.stderr_fd = err_dest;
  // The program gets the terminal's foreground when it reads the terminal
  // and seccage had it, so that it can read and Ctrl-C reaches it.
  plan_.take_terminal = o_.stdin_file.empty() && ::isatty(0) && ::tcgetpgrp(0) == ::getpgrp();
  // What the program does to the terminal's settings (no echo, raw mode) is
  // undone at the end.
  if (plan_.take_terminal && ::tcgetattr(0, &terminal_settings_) == 0) terminal_saved_ = true;
}

void Session::make_cgroup() {
  const Limits& l = o_.limits;
  CgroupEnforced enforced;
  if (l.memory || l.cpu_seconds || l.nproc) {
    CgroupLimits cl;
    cl.memory = l.memory;
    if (l.nproc) cl.pids = *l.nproc + 1;  // the init counts too
    std::string why;
    if (auto made = RunCgroup::create(cl, why)) cgroup_.emplace(std::move(*made));
    if (cgroup_) {
      enforced.memory = l.memory.has_value();
      enforced.pids = l.nproc.has_value();
      report_.isolation.cgroup = cgroup_->version();
    } else {
      report_.isolation.notes.push_back(fmt::format("no cgroup ({}): limits are rlimits, per process", why));
    }
  }
  report_.isolation.accounting = cgroup_ ? "cgroup" : "rlimits";
  plan_.rlimits = rlimits_for(l, enforced);
}

void Session::start() {
  std::vector<IsolationLevel> levels;
  if (o_.namespaces) {
    levels.push_back(IsolationLevel::UserPidMount);
    if (::geteuid() == 0) levels.push_back(IsolationLevel::PidMount);
  } else {
    report_.isolation.notes.push_back("namespaces turned off (--no-namespaces)");
  }
  levels.push_back(IsolationLevel::None);
  if (o_.require_namespaces) levels.resize(1);  // the full level or nothing
  for (IsolationLevel level : levels) {
    if (level == IsolationLevel::None) {
      // Without a PID namespace nothing kills the program's group when
      // seccage dies but the watchdog (src/sandbox/watchdog.hpp). It starts
      // before the status socket exists, so it never holds the launcher's end.
      int p[2];
      if (::pipe2(p, O_CLOEXEC) != 0) throw SystemError("cannot create a pipe", errno);
      UniqueFd wd_read(p[0]);
      watchdog_pipe_.reset(p[1]);
      watchdog_.emplace(Watchdog::start(wd_read.get()));
    }
    std::string why;
    if (level != IsolationLevel::UserPidMount && init_filter_.empty()) init_filter_ = init_program();
    // Root without --user stays uid 0 of the host in its user namespace.
    const bool host_root = ::geteuid() == 0 && (!o_.uid || *o_.uid == 0);
    sb_ = start_sandbox(level, plan_, cgroup_ ? &*cgroup_ : nullptr,
                        level == IsolationLevel::UserPidMount ? nullptr : &init_filter_, host_root, why);
    if (sb_) break;
    report_.isolation.notes.push_back(why);
    if (o_.require_namespaces)
      throw SystemError(fmt::format("the kernel refused the sandbox's namespaces ({}), and --require-namespaces "
                                    "refuses weaker isolation",
                                    why),
                        EPERM);
  }
  report_.isolation.namespaces = namespace_names(sb_->level);
  child_ends_.clear();
  if (sb_->early_failure) {
    failure_ = *sb_->early_failure;
    exec_failed_ = true;
    return;
  }
  if (watchdog_) {
    const pid_t pgid = sb_->launcher;
    [[maybe_unused]] ssize_t n = ::write(watchdog_pipe_.get(), &pgid, sizeof pgid);
  }
  if (supervise_) attach_supervisor();
}

void Session::read_status(bool block) {
  while (!status_eof_) {
    LaunchMessage m{};
    const int got = receive_launch_message(sb_->status.get(), m, nullptr, block ? -1 : 0);
    if (got < 0) return;
    if (got == 0) {
      status_eof_ = true;
      if (failure_.kind == 0) launched_ = true;
      return;
    }
    if (m.kind == LaunchMessage::ListenerFd) {
      listener_number_ = m.value;
      return;
    }
    failure_ = m;
    exec_failed_ = true;
    return;
  }
}

void Session::attach_supervisor() {
  read_status(true);  // the listener's number, or a failure, or EOF
  if (exec_failed_ || status_eof_ || listener_number_ < 0) return;
  try {
    UniqueFd listener = fetch_listener(sb_->launcher_pidfd.get(), listener_number_);
    if (!listener) return;
    SupervisorConfig cfg;
    cfg.mode = o_.mode;
    cfg.string_limit = o_.string_limit;
    cfg.launcher = sb_->launcher;
    cfg.recorder = o_.recorder;
    if (auto st = sandbox::read_status(sb_->launcher)) cfg.launcher_ns_pid = st->ns_pid;
    cfg.launched = [this] {
      read_status(false);
      return launched_;
    };
    supervisor_.emplace(std::move(listener), classifier_, cfg);
  } catch (const Error& e) {
    setup_error_ = e.what();
    stop_everything();
  }
}

// Ends the run: the init kills every process of the sandbox (kill(-1) in its
// PID namespace), reaps them and reports; cgroup.kill, where there is one,
// kills them all at once first. The init has kInitGraceMs to answer.
void Session::stop_everything() {
  // Once the init is reaped there is nothing left to stop, and its pid may
  // be another process's already: never signal it then.
  if (stopping_ || !sb_ || init_reaped_) return;
  stopping_ = true;
  stop_deadline_ = Clock::now() + std::chrono::milliseconds(kInitGraceMs);
  if (sb_->level == IsolationLevel::None) {
    // No namespace to end: cgroup.kill takes every process at once where
    // there is one (the init too, which then cannot report: the program's
    // status is then SIGKILL, which is what it died of).
    if (cgroup_) cgroup_->kill_all();
    if (launcher_alive()) ::kill(-sb_->launcher, SIGKILL);
  }
  ::kill(sb_->init, SIGTERM);
}

void Session::read_result() {
  InitResult r{};
  const ssize_t n = ::read(sb_->result.get(), &r, sizeof r);
  if (n == static_cast<ssize_t>(sizeof r) && r.stopped_by) {
    stop_with_program();
    return;
  }
  if (n == static_cast<ssize_t>(sizeof r)) {
    result_ = r;
    have_result_ = true;
  }
  sb_->result.reset();
}

// Job control: the program was stopped by Ctrl-Z or by reading the terminal
// from the background. seccage stops its own job the same way, so that the
// shell sees it stopped (and can `fg` or `bg` it), taking the terminal back
// first; once continued, it gives the program the terminal again if its job
// is in the foreground, and continues it.
void Session::stop_with_program() {
  // Not under --wall-time: the program could stop itself to stop seccage
  // and its timer with it (the wall clock runs on, and the program stays
  // stopped until the limit ends the run). Nor once the run is ending.
  if (stopping_ || init_reaped_ || o_.limits.wall_seconds || !o_.stdin_file.empty() || !::isatty(0)) return;
  termios program_settings{};
  const bool had_terminal = ::tcgetpgrp(0) == sb_->launcher;
  const bool saved = had_terminal && ::tcgetattr(0, &program_settings) == 0;
  if (had_terminal) {
    ::tcsetpgrp(0, ::getpgrp());
    if (terminal_saved_) ::tcsetattr(0, TCSADRAIN, &terminal_settings_);
  }
  ::kill(0, SIGTSTP);  // the whole job, as the terminal would; returns once continued
  if (!launcher_alive()) return;
  if (::tcgetpgrp(0) == ::getpgrp()) {
    if (saved) ::tcsetattr(0, TCSADRAIN, &program_settings);
    ::tcsetpgrp(0, sb_->launcher);
  }
  ::kill(-sb_->launcher, SIGCONT);
}

void Session::handle_signals() {
  signalfd_siginfo si{};
  while (::read(sigfd_.get(), &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
    if (si.ssi_signo == SIGCHLD) continue;
    // SIGINT, SIGTERM, SIGHUP: passed on to the program with a SIGCONT, so
    // that a stopped program ends too; a second one ends the run.
    if (++forwarded_ > 1 || sb_->launcher <= 0) {
      stop_everything();
      continue;
    }
    for (int sig : {static_cast<int>(si.ssi_signo), SIGCONT}) {
      if (launcher_alive()) ::kill(-sb_->launcher, sig);
      ::syscall(SYS_pidfd_send_signal, sb_->launcher_pidfd.get(), sig, nullptr, 0);
    }
  }
  int status = 0;
  if (!init_reaped_ && ::waitpid(sb_->init, &status, WNOHANG | __WALL) == sb_->init) {
    init_reaped_ = true;
    // It wrote before it exited: stop messages, perhaps, then the result.
    while (sb_->result && !have_result_) {
      const int before = sb_->result.get();
      read_result();
      if (sb_->result && sb_->result.get() == before) {
        pollfd p{before, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0) break;
      }
    }
  }
}

void Session::handle_timers(int fd) {
  std::uint64_t ticks = 0;
  [[maybe_unused]] ssize_t n = ::read(fd, &ticks, sizeof ticks);
  if (stopping_) return;
  if (fd == wall_.fd.get()) {
    seen_.wall_limit_hit = true;
    stop_everything();
    return;
  }
  const Limits& l = o_.limits;
  if (l.cpu_seconds) {
    // Every process counts, waited for or not: the cgroup's total, or
    // else the sum over the init's tree of processes.
    std::optional<double> ms;
    if (cgroup_) {
      if (auto ns = cgroup_->cpu_ns()) ms = static_cast<double>(*ns) / 1e6;
    } else if (auto tree = tree_cpu_time_ms(sb_->init)) {
      ms = static_cast<double>(*tree);
    }
    if (ms && *ms >= *l.cpu_seconds * 1000.0) {
      seen_.cpu_limit_hit = true;
      stop_everything();
    }
  }
  if (l.memory && !cgroup_) {
    if (auto st = sandbox::read_status(sb_->launcher)) seen_.peak_vm_kb = std::max(seen_.peak_vm_kb, st->vm_peak_kb);
  }
}

void Session::handle_relays(const std::vector<pollfd>& fds, std::size_t first) {
  std::size_t k = first;
  for (OutputRelay& r : relays_) {
    if (!r.open()) continue;
    if (k >= fds.size()) break;
    const pollfd& p = fds[k++];
    if (!p.revents) continue;
    if (r.waiting_to_write()) {
      r.flush();
      continue;
    }
    const std::uint64_t budget = *o_.limits.output - output_total_;
    const std::uint64_t counted = r.pump(budget);
    if (counted > budget) {
      output_total_ = *o_.limits.output;
      if (!seen_.output_limit_hit) {
        seen_.output_limit_hit = true;
        stop_everything();
      }
    } else {
      output_total_ += counted;
    }
  }
}

void Session::loop() {
  if (o_.limits.wall_seconds) wall_.arm(*o_.limits.wall_seconds);
  if (o_.limits.cpu_seconds || o_.limits.memory) sample_.arm(kSampleNs / 1e9, kSampleNs);
  auto relays_busy = [&] {
    return std::any_of(relays_.begin(), relays_.end(), [](const OutputRelay& r) { return r.open(); });
  };
  while (!init_reaped_ || relays_busy()) {
    std::vector<pollfd> fds;
    fds.push_back({sigfd_.get(), POLLIN, 0});
    const bool listening = supervisor_ && listener_open_ && !init_reaped_;
    if (listening) fds.push_back({supervisor_->fd(), POLLIN, 0});
    const std::size_t status_at = fds.size();
    if (!status_eof_) fds.push_back({sb_->status.get(), POLLIN, 0});
    const std::size_t result_at = fds.size();
    if (sb_->result) fds.push_back({sb_->result.get(), POLLIN, 0});
    const std::size_t timers_at = fds.size();
    if (wall_.fd) fds.push_back({wall_.fd.get(), POLLIN, 0});
    if (sample_.fd) fds.push_back({sample_.fd.get(), POLLIN, 0});
    const std::size_t relays_at = fds.size();
    for (const OutputRelay& r : relays_) {
      if (!r.open()) continue;
      if (r.waiting_to_write()) fds.push_back({r.destination(), POLLOUT, 0});
      else fds.push_back({r.source(), POLLIN, 0});
    }
    // After the end, output still on its way is delivered as long as the
    // destination takes it (a slow reader is waited for), except after a
    // limit or a signal ended the run: then whatever the destination does
    // not take at once is dropped.
    int timeout = -1;
    if (stopping_ && !init_reaped_) timeout = 50;  // to check the init's grace period
    if (init_reaped_ && stopping_) timeout = 0;
    const int ready = ::poll(fds.data(), fds.size(), timeout);
    if (ready < 0 && errno != EINTR) {
      setup_error_ = "poll failed: " + errno_text(errno);
      stop_everything();
    }
    if (ready == 0 && init_reaped_) break;
    if (stopping_ && !init_reaped_ && Clock::now() > stop_deadline_) ::kill(sb_->init, SIGKILL);
    if (ready <= 0) continue;

    // Notifications first: a blocked task waits for them.
    if (listening && fds[1].revents) {
      if (!(fds[1].revents & POLLIN) || !supervisor_->handle_one(log_)) listener_open_ = false;
    }
    if (!status_eof_ && fds[status_at].revents) read_status(false);
    if (result_at < timers_at && fds[result_at].revents) read_result();
    for (std::size_t i = timers_at; i < relays_at; ++i)
      if (fds[i].revents & POLLIN) handle_timers(fds[i].fd);
    handle_relays(fds, relays_at);
    if (fds[0].revents & POLLIN) handle_signals();
  }
}

void Session::finish() {
  if (watchdog_) watchdog_->stop();
  watchdog_pipe_.reset();
  if (!init_reaped_) {
    ::kill(sb_->init, SIGKILL);
    while (::waitpid(sb_->init, nullptr, __WALL) < 0 && errno == EINTR) {
    }
  }
  if (plan_.take_terminal) {
    // Back to seccage's group; it is in the background now, hence SIGTTOU
    // blocked (it is, for the whole run).
    ::tcsetpgrp(0, ::getpgrp());
    if (terminal_saved_) ::tcsetattr(0, TCSADRAIN, &terminal_settings_);
  }
  if (!status_eof_) read_status(false);
}

Report Session::run() {
  if (o_.argv.empty()) throw InputError("no program to run: give it after --");
  prepare();  // everything that can fail on bad input fails here, before any process
  if (o_.recorder && !supervise_)
    return failed(kStatusFailed, "learning needs seccomp user notification and pidfd_getfd (Linux 5.6), which this "
                                 "kernel does not offer");
  Resolved resolved = resolve_program(o_.argv[0], plan_.envp);
  if (resolved.status) return failed(resolved.status, resolved.error);
  plan_.path = resolved.path;
  report_.program = resolved.path;
  // No process of the same user may trace seccage or open its memory (the
  // watchdog shares it). Not undone: a process that ran untrusted code near
  // its memory stays so.
  ::prctl(PR_SET_DUMPABLE, 0);
  try {
    open_io();
    make_cgroup();
  } catch (const SystemError& e) {
    return failed(kStatusFailed, e.what());
  }
  plan_.finish();

  sigset_t watched;
  sigemptyset(&watched);
  for (int s : {SIGCHLD, SIGINT, SIGTERM, SIGHUP}) sigaddset(&watched, s);
  sigset_t blocked = watched;
  sigaddset(&blocked, SIGTTOU);  // writing to and handing back the terminal from the background
  ProcessSettings settings(blocked);
  sigfd_.reset(::signalfd(-1, &watched, SFD_CLOEXEC | SFD_NONBLOCK));
  try {
    start();
  } catch (const SystemError& e) {
    if (watchdog_) watchdog_->stop();
    return failed(kStatusFailed, e.what());
  }
  if (!setup_error_.empty() || exec_failed_) stop_everything();
  loop();
  finish();
  cgroup_used_ = cgroup_.has_value();
  if (cgroup_) {
    if (auto peak = cgroup_->memory_peak()) report_.memory_kb = static_cast<std::int64_t>(*peak / 1024);
    if (auto ns = cgroup_->cpu_ns()) report_.cpu_time_ms = static_cast<std::int64_t>(*ns / 1'000'000);
    seen_.memory_limit_hit = o_.limits.memory && cgroup_->oom_kills() > 0;
    cgroup_.reset();  // every process is gone: the directories can go
  }

  report_.wall_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_).count();
  if (!setup_error_.empty()) return failed(kStatusFailed, setup_error_);
  if (exec_failed_) {
    if (failure_.kind == LaunchMessage::ExecFailed) {
      const int st = failure_.value == ENOENT || failure_.value == ENOTDIR ? kStatusNotFound : kStatusCannotExec;
      return failed(st, fmt::format("cannot execute {}: {}", plan_.path, errno_text(failure_.value)));
    }
    return failed(kStatusFailed, fmt::format("seccage failed {} for the program: {}",
                                             launch_stage_name(failure_.stage), errno_text(failure_.value)));
  }
  if (!launched_) return failed(kStatusFailed, "the launcher died before starting the program");
  if (!have_result_) {
    if (!stopping_) return failed(kStatusFailed, "the sandbox's init ended without reporting the program's status");
    result_.wait_status = SIGKILL;  // seccage ended it: the program died of SIGKILL
  }
  conclude();
  return report_;
}

// Why the program died of SIGSYS (src/sandbox/sigsys.hpp), and the
// violation it stands for when none was recorded yet: a trap of the policy
// the program did not survive, or a kill the plain filter carried out.
void Session::explain_sigsys_death(bool killed_by_us) {
  SigsysFacts f;
  f.supervised = supervisor_.has_value();
  f.killed_by_seccage = killed_by_us;
  const pid_t program = sb_->launcher;
  if (supervisor_) {
    f.trapped_by_seccage = supervisor_->trapped().count(program) > 0;
    f.own_filter = supervisor_->own_filter_pids().count(program) > 0;
    for (const SigsysSent& s : supervisor_->sigsys_sent())
      if (s.may_reach_program) f.sent_by = s.call;  // the last one: the program died of a SIGSYS
  }
  const Policy& p = o_.policy;
  std::vector<const Rule*> traps;
  for (const Rule& r : p.rules) {
    if (r.action.kind == ActionKind::Trap) traps.push_back(&r);
    if (r.action.kind == ActionKind::KillProcess || r.action.kind == ActionKind::KillThread) f.policy_kills = true;
  }
  for (const Action& a : {p.default_action, p.bad_arch_action}) {
    if (a.kind == ActionKind::Trap) f.policy_traps = true;
    if (a.kind == ActionKind::KillProcess || a.kind == ActionKind::KillThread) f.policy_kills = true;
  }
  if (!traps.empty()) f.policy_traps = true;
  if (traps.size() == 1 && p.default_action.kind != ActionKind::Trap && p.bad_arch_action.kind != ActionKind::Trap)
    f.trap_rule = describe_rule(*traps[0]);
  const SigsysVerdict sv = explain_sigsys(f);
  report_.sigsys = sv.cause;
  if (killed_by_us || f.trapped_by_seccage) seen_.killed_by_policy = true;
  if (!sv.violation) return;
  Violation v = violation_unseen(program, sv.rule,
                                 RuleOrigin::named(supervisor_ ? "policy (carried out by the kernel)" : "policy"),
                                 f.policy_traps && supervisor_ ? Action::trap() : Action::kill_process());
  v.outcome = "killed by the kernel's SIGSYS";
  log_.record(std::move(v));
  seen_.killed_by_policy = true;
}

// The program's status, the resources used and the verdict.
void Session::conclude() {
  const int ws = result_.wait_status;
  const bool killed_by_us = supervisor_ && supervisor_->killed().count(sb_->launcher);
  const bool died_of_sigsys = killed_by_us || (WIFSIGNALED(ws) && WTERMSIG(ws) == SIGSYS);
  if (died_of_sigsys) {
    // seccage's SIGKILL stands in for the kernel's SIGSYS.
    explain_sigsys_death(killed_by_us);
    report_.signal = SIGSYS;
    report_.exit_code = -1;
    report_.status = 128 + SIGSYS;
  } else if (WIFSIGNALED(ws)) {
    report_.signal = WTERMSIG(ws);
    report_.exit_code = -1;
    report_.status = 128 + report_.signal;
  } else {
    report_.exit_code = WEXITSTATUS(ws);
    report_.status = report_.exit_code;
  }
  // Without a cgroup: every process the init reaped (in a PID namespace,
  // that is all of them).
  const rusage& ru = result_.all;
  if (!cgroup_used_) {
    report_.cpu_time_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
    report_.memory_kb = ru.ru_maxrss;
  }
  if (supervisor_) seen_.peak_vm_kb = std::max(seen_.peak_vm_kb, supervisor_->peak_vm_kb());
  seen_.exited = report_.exit_code >= 0;
  seen_.exit_code = report_.exit_code;
  seen_.signal = report_.signal;
  seen_.cpu_time_ms = report_.cpu_time_ms;
  seen_.peak_vm_kb = std::max<std::uint64_t>(seen_.peak_vm_kb, static_cast<std::uint64_t>(report_.memory_kb));
  seen_.violations = report_.violation_count;
  if (supervisor_ && !supervisor_->killed().empty()) seen_.killed_by_policy = true;
  report_.verdict = verdict_for(o_.limits, seen_);
}

}  // namespace

Report run(const RunOptions& options) {
  Session session(options);
  Report report = session.run();
  return report;
}

}  // namespace seccage::sandbox
