// run(): starts the program under the filter and watches it to its end
// (docs/run.md). One thread, one poll loop: the signalfd (children, and the
// signals passed on to the program), the listener, the launcher's status
// pipe, the output pipes and the timers.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <optional>

#include <fmt/core.h>

#include "sandbox/decode.hpp"
#include "sandbox/launcher.hpp"
#include "sandbox/limits.hpp"
#include "sandbox/proc.hpp"
#include "sandbox/supervisor.hpp"
#include "sandbox/variant.hpp"
#include "sandbox/watchdog.hpp"
#include "seccage/compiler.hpp"
#include "seccage/error.hpp"
#include "seccage/kernel.hpp"
#include "seccage/sandbox.hpp"

extern char** environ;

namespace seccage::sandbox {
namespace {

using kernel::UniqueFd;
using Clock = std::chrono::steady_clock;

constexpr auto kListenerTimeout = std::chrono::seconds(10);
constexpr long kSampleNs = 20'000'000;  // CPU and memory sampling: 20 ms

std::string errno_text(int err) { return std::strerror(err); }

std::optional<std::string> env_value(const std::vector<std::string>& envp, std::string_view key) {
  for (const std::string& e : envp) {
    if (e.size() > key.size() && e.compare(0, key.size(), key) == 0 && e[key.size()] == '=')
      return e.substr(key.size() + 1);
  }
  return std::nullopt;
}

std::vector<std::string> build_env(const RunOptions& o) {
  std::vector<std::string> env;
  if (!o.env_clear) {
    for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
  }
  for (const auto& [name, value] : o.env_set) {
    // A named copy: lambdas may not capture structured bindings before C++20's
    // later fix, which clang 14 (the fuzz build) lacks.
    const std::string& key = name;
    std::erase_if(env, [&](const std::string& e) {
      return e.size() > key.size() && e.compare(0, key.size(), key) == 0 && e[key.size()] == '=';
    });
    env.push_back(key + "=" + value);
  }
  return env;
}

struct Resolved {
  std::string path;
  int status = 0;  // 0, or kStatusNotFound / kStatusCannotExec
  std::string error;
};

// execvp's search, done before the fork so that "not found" is a clear
// message and not a failed execve inside the sandbox. The PATH is the
// program's own (after --env-clear/--env).
Resolved resolve(const std::string& name, const std::vector<std::string>& envp) {
  auto check = [](const std::string& p) -> int {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return errno == EACCES ? kStatusCannotExec : kStatusNotFound;
    if (!S_ISREG(st.st_mode) || ::access(p.c_str(), X_OK) != 0) return kStatusCannotExec;
    return 0;
  };
  if (name.empty()) return {"", kStatusNotFound, "empty program name"};
  if (name.find('/') != std::string::npos) {
    int s = check(name);
    if (s == kStatusNotFound) return {name, s, fmt::format("{}: no such file", name)};
    if (s) return {name, s, fmt::format("{}: not an executable file (or permission denied)", name)};
    return {name, 0, ""};
  }
  const std::string path = env_value(envp, "PATH").value_or("/usr/local/bin:/usr/bin:/bin");
  std::string denied;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + name;
    const int s = check(candidate);
    if (s == 0) return {candidate, 0, ""};
    if (s == kStatusCannotExec && denied.empty()) denied = candidate;
    start = end + 1;
  }
  if (!denied.empty()) return {denied, kStatusCannotExec, fmt::format("{}: not an executable file (or permission denied)", denied)};
  return {name, kStatusNotFound, fmt::format("{}: command not found in PATH ({})", name, path)};
}

std::string stage_name(std::int32_t stage) {
  if (stage >= StageRlimit && stage < StageGroups) return "setting a resource limit";
  switch (stage) {
    case StageParent: return "arming PR_SET_PDEATHSIG";
    case StageSetpgid: return "creating the process group";
    case StageStdin: return "redirecting stdin";
    case StageStdout: return "redirecting stdout";
    case StageStderr: return "redirecting stderr";
    case StageCwd: return "changing to the --cwd directory";
    case StageGroups: return "dropping supplementary groups";
    case StageGid: return "changing the group id";
    case StageUid: return "changing the user id";
    case StageFilter: return "installing the seccomp filter";
    case StageFds: return "closing inherited file descriptors";
    default: return "setting up";
  }
}

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

// Takes a copy of the child's listener fd once the filter is on. The child
// is then blocked in its execve notification (execve always notifies), so
// the fd cannot have been closed by a successful exec.
UniqueFd fetch_listener(int pidfd, int number, pid_t child) {
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
      throw SystemError(fmt::format("cannot take the seccomp listener from the child (pidfd_getfd)"), errno);
    }
    int status = 0;
    siginfo_t si{};
    if (::waitid(P_PID, static_cast<id_t>(child), &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == child) {
      (void)status;
      return UniqueFd();  // the child died in setup; its message says why
    }
    ::usleep(20);
  }
  throw SystemError("the launcher did not install its filter in time", ETIMEDOUT);
}

void kill_group(pid_t pgid, int sig) {
  if (pgid > 0) ::kill(-pgid, sig);
}

// Kills every child of seccage but the watchdog, and what they leave:
// processes that left the program's group are reparented to seccage (a
// subreaper), so repeating until no child but the spared ones is left reaches
// all of them. `keep_zombie` (the program) is killed but not reaped: its
// status is read later.
void kill_descendants(pid_t watchdog, pid_t keep_zombie) {
  for (int round = 0; round < 1000; ++round) {
    bool any = false;
    for (pid_t p : own_children()) {
      if (p == watchdog) continue;
      ::kill(p, SIGKILL);
      if (p != keep_zombie) any = true;
    }
    if (!any) return;
    ::usleep(200);
    // Reap whatever died, so their children move up to us.
    for (pid_t p : own_children()) {
      if (p != watchdog && p != keep_zombie) ::waitpid(p, nullptr, WNOHANG);
    }
  }
}

struct Pump {
  int from = -1;  // our read end
  int to = -1;    // where the bytes go
};

}  // namespace

Report run(const RunOptions& o) {
  Report report;
  report.permissive = o.mode == Mode::Permissive;
  const auto started = Clock::now();
  if (o.argv.empty()) throw InputError("no program to run: give it after --");

  // Everything that can fail on bad input fails here, before any process.
  validate(o.policy);
  LazyClassifier classifier(o.policy);
  bool supervise = o.supervise;
  if (supervise) {
    try {
      supervise = kernel::flag_supported(kernel::FilterFlag::NewListener) && pidfd_getfd_available();
    } catch (const SystemError&) {
      supervise = false;
    }
  }
  bool wait_killable = false;
  if (supervise) {
    try {
      wait_killable = kernel::flag_supported(kernel::FilterFlag::WaitKillableRecv);
    } catch (const SystemError&) {
    }
  }
  std::vector<std::string> observe;
  if (o.limits.memory) observe.push_back("exit_group");
  LaunchPlan plan;
  plan.program = compile(supervise ? notify_variant(o.policy, observe) : o.policy);
  plan.supervise = supervise;
  plan.wait_killable = wait_killable;
  plan.audit_log = o.audit_log;
  plan.rlimits = rlimits_for(o.limits);
  plan.uid = o.uid;
  plan.gid = o.gid;
  plan.cwd = o.cwd;
  plan.argv = o.argv;
  plan.envp = build_env(o);
  report.supervised = supervise;

  auto finish_failed = [&](int status, std::string error) {
    report.status = status;
    report.verdict = Verdict::SystemError;
    report.error = std::move(error);
    report.wall_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    return report;
  };

  Resolved resolved = resolve(o.argv[0], plan.envp);
  if (resolved.status) return finish_failed(resolved.status, resolved.error);
  plan.path = resolved.path;
  report.program = resolved.path;

  // The watchdog (src/sandbox/watchdog.hpp): if seccage dies, even of
  // SIGKILL, it kills the program's process group. It starts before any
  // other descriptor of the run exists, so its copy of the descriptor table
  // never holds the write end of the launcher's status pipe: that end must
  // close exactly when the launcher's execve succeeds, because that is when
  // the launcher's calls stop going through unchecked (a watchdog not yet
  // scheduled to close it once let the program's first denied call through).
  int wd_pipe[2];
  if (::pipe2(wd_pipe, O_CLOEXEC) != 0) return finish_failed(kStatusFailed, "cannot create a pipe: " + errno_text(errno));
  UniqueFd wd_read(wd_pipe[0]), wd_write(wd_pipe[1]);
  std::optional<Watchdog> watchdog;
  try {
    watchdog.emplace(Watchdog::start(wd_read.get()));
  } catch (const SystemError& e) {
    return finish_failed(kStatusFailed, e.what());
  }
  wd_read.reset();

  std::vector<UniqueFd> keep;  // fds the parent closes when run() returns
  auto open_file = [&](const std::string& file, int flags, const char* what) -> int {
    const int fd = ::open(file.c_str(), flags | O_CLOEXEC, 0644);
    if (fd < 0) throw SystemError(fmt::format("cannot open '{}' for {}", file, what), errno);
    keep.emplace_back(fd);
    return fd;
  };
  std::vector<Pump> pumps;
  std::vector<UniqueFd> child_ends;
  try {
    if (!o.stdin_file.empty()) plan.stdin_fd = open_file(o.stdin_file, O_RDONLY, "--stdin");
    int out_dest = o.stdout_file.empty() ? -1 : open_file(o.stdout_file, O_WRONLY | O_CREAT | O_TRUNC, "--stdout");
    int err_dest = o.stderr_file.empty() ? -1 : open_file(o.stderr_file, O_WRONLY | O_CREAT | O_TRUNC, "--stderr");
    if (o.limits.output) {
      // The output limit needs to see the bytes: the program writes into
      // pipes that seccage copies to the real destinations, counting.
      for (int* dest : {&out_dest, &err_dest}) {
        int p[2];
        if (::pipe2(p, O_CLOEXEC) != 0) throw SystemError("pipe2", errno);
        keep.emplace_back(p[0]);
        child_ends.emplace_back(p[1]);
        pumps.push_back(Pump{p[0], *dest >= 0 ? *dest : (dest == &out_dest ? 1 : 2)});
        *dest = p[1];
      }
    }
    plan.stdout_fd = out_dest;
    plan.stderr_fd = err_dest;
  } catch (const SystemError& e) {
    return finish_failed(kStatusFailed, e.what());
  }

  int status_pipe[2];
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) return finish_failed(kStatusFailed, "cannot create a pipe: " + errno_text(errno));
  UniqueFd status_read(status_pipe[0]);
  UniqueFd status_write(status_pipe[1]);
  plan.status_fd = status_write.get();
  plan.parent = ::getpid();
  plan.finish();

  // Signals arrive through a signalfd; the old mask comes back at the end.
  sigset_t watched, old_mask;
  sigemptyset(&watched);
  for (int s : {SIGCHLD, SIGINT, SIGTERM, SIGHUP}) sigaddset(&watched, s);
  pthread_sigmask(SIG_BLOCK, &watched, &old_mask);
  UniqueFd sigfd(::signalfd(-1, &watched, SFD_CLOEXEC | SFD_NONBLOCK));
  int old_subreaper = 0;
  ::prctl(PR_GET_CHILD_SUBREAPER, &old_subreaper);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  struct Restore {
    sigset_t mask;
    int subreaper;
    ~Restore() {
      ::prctl(PR_SET_CHILD_SUBREAPER, subreaper);
      pthread_sigmask(SIG_SETMASK, &mask, nullptr);
    }
  } restore{old_mask, old_subreaper};

  const pid_t child = ::fork();
  if (child < 0) {
    watchdog->stop();
    return finish_failed(kStatusFailed, "fork failed: " + errno_text(errno));
  }
  if (child == 0) launch(plan);

  // Also from this side, so the group exists before any kill(-pgid).
  ::setpgid(child, child);
  const pid_t pgid = child;
  [[maybe_unused]] ssize_t wn = ::write(wd_write.get(), &pgid, sizeof pgid);
  status_write.reset();
  child_ends.clear();
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, child, 0)));

  bool launched = false, exec_failed = false, status_eof = false;
  LaunchMessage failure{};
  int listener_number = -1;
  auto read_status_pipe = [&](bool block) {
    while (!status_eof) {
      if (!block) {
        pollfd p{status_read.get(), POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0) return;
      }
      LaunchMessage m{};
      const ssize_t n = ::read(status_read.get(), &m, sizeof m);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        status_eof = true;
        if (failure.kind == 0) launched = true;
        return;
      }
      if (m.kind == LaunchMessage::ListenerFd) {
        listener_number = m.value;
        return;
      }
      failure = m;
      exec_failed = true;
      return;
    }
  };

  std::optional<Supervisor> supervisor;
  std::string setup_error;
  if (supervise) {
    read_status_pipe(true);  // the listener's number, or a failure, or EOF
    if (!exec_failed && !status_eof && listener_number >= 0) {
      try {
        UniqueFd listener = fetch_listener(pidfd.get(), listener_number, child);
        if (listener) {
          SupervisorConfig cfg;
          cfg.mode = o.mode;
          cfg.string_limit = o.string_limit;
          cfg.max_violations = o.max_violations;
          cfg.launcher = child;
          cfg.launched = [&] {
            read_status_pipe(false);
            return launched;
          };
          supervisor.emplace(std::move(listener), classifier, cfg);
        }
      } catch (const Error& e) {
        setup_error = e.what();
        kill_group(pgid, SIGKILL);
        ::kill(child, SIGKILL);
      }
    }
  }

  // Timers: the wall-time limit, and sampling for --time and --memory.
  UniqueFd wall_timer, sample_timer;
  if (o.limits.wall_seconds) {
    wall_timer.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    itimerspec its{};
    const double s = *o.limits.wall_seconds;
    its.it_value.tv_sec = static_cast<time_t>(s);
    its.it_value.tv_nsec = static_cast<long>((s - std::floor(s)) * 1e9);
    if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0) its.it_value.tv_nsec = 1;
    ::timerfd_settime(wall_timer.get(), 0, &its, nullptr);
  }
  if (o.limits.cpu_seconds || o.limits.memory) {
    sample_timer.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    itimerspec its{};
    its.it_value.tv_nsec = kSampleNs;
    its.it_interval.tv_nsec = kSampleNs;
    ::timerfd_settime(sample_timer.get(), 0, &its, nullptr);
  }

  Observed seen;
  std::uint64_t output_total = 0;
  bool main_done = false;
  siginfo_t main_info{};
  std::vector<int> open_pumps;
  for (std::size_t i = 0; i < pumps.size(); ++i) open_pumps.push_back(static_cast<int>(i));
  bool listener_open = supervisor.has_value();

  auto stop_everything = [&] {
    kill_group(pgid, SIGKILL);
    kill_descendants(watchdog->pid(), child);
  };

  while (!main_done || !open_pumps.empty()) {
    std::vector<pollfd> fds;
    fds.push_back({sigfd.get(), POLLIN, 0});
    const std::size_t listener_at = fds.size();
    if (listener_open && !main_done) fds.push_back({supervisor->fd(), POLLIN, 0});
    const std::size_t status_at = fds.size();
    if (!status_eof) fds.push_back({status_read.get(), POLLIN, 0});
    const std::size_t timers_at = fds.size();
    if (wall_timer) fds.push_back({wall_timer.get(), POLLIN, 0});
    if (sample_timer) fds.push_back({sample_timer.get(), POLLIN, 0});
    const std::size_t pumps_at = fds.size();
    for (int i : open_pumps) fds.push_back({pumps[static_cast<std::size_t>(i)].from, POLLIN, 0});

    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      setup_error = "poll failed: " + errno_text(errno);
      stop_everything();
    }

    // Notifications first: a blocked task waits for them.
    if (listener_open && !main_done && listener_at < fds.size() && fds[listener_at].fd == supervisor->fd()) {
      if (fds[listener_at].revents & POLLIN) {
        if (!supervisor->handle_one(report)) listener_open = false;
      } else if (fds[listener_at].revents & (POLLHUP | POLLERR)) {
        listener_open = false;  // no task runs under the filter any more
      }
    }
    if (!status_eof && status_at < fds.size() && fds[status_at].fd == status_read.get() && fds[status_at].revents)
      read_status_pipe(false);

    for (std::size_t i = timers_at; i < pumps_at; ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      std::uint64_t ticks = 0;
      [[maybe_unused]] ssize_t n = ::read(fds[i].fd, &ticks, sizeof ticks);
      if (wall_timer && fds[i].fd == wall_timer.get()) {
        if (!main_done) {
          seen.wall_limit_hit = true;
          stop_everything();
        }
      } else if (!main_done) {
        if (o.limits.cpu_seconds) {
          if (auto ms = cpu_time_ms(child); ms && static_cast<double>(*ms) >= *o.limits.cpu_seconds * 1000.0) {
            seen.cpu_limit_hit = true;
            stop_everything();
          }
        }
        if (o.limits.memory) {
          if (auto st = read_status(child)) seen.peak_vm_kb = std::max(seen.peak_vm_kb, st->vm_peak_kb);
        }
      }
    }

    for (std::size_t k = pumps_at; k < fds.size(); ++k) {
      if (!fds[k].revents) continue;
      const int idx = open_pumps[k - pumps_at];
      Pump& p = pumps[static_cast<std::size_t>(idx)];
      char buf[65536];
      const ssize_t n = ::read(p.from, buf, sizeof buf);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        std::erase(open_pumps, idx);
        continue;
      }
      std::size_t allowed = static_cast<std::size_t>(n);
      if (output_total + allowed > *o.limits.output) {
        allowed = static_cast<std::size_t>(*o.limits.output - output_total);
        if (!seen.output_limit_hit) {
          seen.output_limit_hit = true;
          stop_everything();
        }
      }
      output_total += allowed;
      for (std::size_t off = 0; off < allowed;) {
        const ssize_t w = ::write(p.to, buf + off, allowed - off);
        if (w <= 0) break;
        off += static_cast<std::size_t>(w);
      }
    }

    if (fds[0].revents & POLLIN) {
      signalfd_siginfo si{};
      while (::read(sigfd.get(), &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
        if (si.ssi_signo != SIGCHLD) kill_group(pgid, static_cast<int>(si.ssi_signo));  // passed on
      }
      // Children: the program (looked at before it is reaped), orphans that
      // came to us as subreaper (reaped now), the watchdog (left for last).
      for (;;) {
        siginfo_t info{};
        if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) break;
        if (info.si_pid == child) {
          if (!main_done) {
            main_done = true;
            main_info = info;
            // A kernel-side kill (a foreign-arch call, or the plain filter
            // without notification): the zombie still shows the call.
            const bool by_us = supervisor && supervisor->killed().count(child);
            if (info.si_status == SIGSYS && (info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED) && !by_us) {
              Violation v;
              v.pid = child;
              v.tid = child;
              v.outcome = "killed by the kernel";
              if (auto sc = read_syscall(child)) {
                v.nr = static_cast<std::uint32_t>(sc->nr);
                v.args = sc->args;
                const Classification c = classifier.get().classify(arch_info(native_arch()).audit_arch, v.nr, v.args);
                if (supervisor || !c.action.denies()) {
                  v.syscall = fmt::format("#{}", v.nr);
                  v.arch = "foreign";
                  v.rule = "foreign architecture (bad-arch action)";
                  v.origin = "bad-arch action";
                  v.action = o.policy.bad_arch_action;
                  v.decoded = fmt::format("#{}(...)", v.nr);
                } else {
                  v.syscall = c.name ? *c.name : fmt::format("#{}", v.nr);
                  v.arch = std::string(arch_name(c.arch));
                  v.rule = c.rule_text;
                  v.origin = c.origin;
                  v.action = c.action;
                  v.decoded = decode_call(c.arch, v.syscall, v.args, MemoryReader{});
                }
              } else {
                // Recent kernels clear a zombie's syscall registers: all that
                // is known is that a filter killed the program.
                v.syscall = "?";
                v.args_known = false;
                v.arch = "?";
                v.decoded = "?(the kernel does not show a dead process's call)";
                v.rule = supervisor ? "foreign architecture (bad-arch action)" : "the policy (plain filter)";
                v.origin = supervisor ? "bad-arch action" : "policy";
                v.action = supervisor ? o.policy.bad_arch_action : Action::kill_process();
              }
              ++report.violation_count;
              report.violations.push_back(std::move(v));
              seen.killed_by_policy = true;
            }
            stop_everything();
          }
          break;  // leave the zombie until the watchdog is gone
        }
        if (info.si_pid == watchdog->pid()) break;
        ::waitpid(info.si_pid, nullptr, WNOHANG);
      }
    }
  }

  // The end, in an order that never lets the watchdog hit a reused group id:
  // the watchdog goes first, while the program's zombie still holds the id.
  watchdog->stop();
  wd_write.reset();
  rusage ru{};
  int wstatus = 0;
  while (::wait4(child, &wstatus, 0, &ru) < 0 && errno == EINTR) {
  }
  kill_descendants(-1, -1);
  for (;;) {
    if (::waitpid(-1, nullptr, WNOHANG) <= 0) break;
  }
  read_status_pipe(false);

  report.wall_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  report.cpu_time_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
  report.memory_kb = ru.ru_maxrss;
  if (supervisor) seen.peak_vm_kb = std::max(seen.peak_vm_kb, supervisor->peak_vm_kb());

  if (!setup_error.empty()) return finish_failed(kStatusFailed, setup_error);
  if (exec_failed) {
    if (failure.kind == LaunchMessage::ExecFailed) {
      const int st = failure.value == ENOENT || failure.value == ENOTDIR ? kStatusNotFound : kStatusCannotExec;
      return finish_failed(st, fmt::format("cannot execute {}: {}", plan.path, errno_text(failure.value)));
    }
    return finish_failed(kStatusFailed,
                         fmt::format("seccage failed {} for the program: {}", stage_name(failure.stage), errno_text(failure.value)));
  }
  if (!launched) {
    return finish_failed(kStatusFailed, "the launcher died before starting the program");
  }

  const bool killed_by_us = supervisor && supervisor->killed().count(child);
  if (killed_by_us || (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGSYS)) {
    // The kernel's KILL leaves SIGSYS; seccage's SIGKILL stands in for it.
    report.signal = SIGSYS;
    report.exit_code = -1;
    report.status = 128 + SIGSYS;
  } else if (WIFSIGNALED(wstatus)) {
    report.signal = WTERMSIG(wstatus);
    report.exit_code = -1;
    report.status = 128 + report.signal;
  } else {
    report.exit_code = WEXITSTATUS(wstatus);
    report.status = report.exit_code;
  }
  (void)main_info;

  seen.exited = report.exit_code >= 0;
  seen.exit_code = report.exit_code;
  seen.signal = report.signal;
  seen.cpu_time_ms = report.cpu_time_ms;
  seen.peak_vm_kb = std::max<std::uint64_t>(seen.peak_vm_kb, static_cast<std::uint64_t>(report.memory_kb));
  seen.violations = report.violation_count;
  if (supervisor && !supervisor->killed().empty()) seen.killed_by_policy = true;
  report.verdict = verdict_for(o.limits, seen);
  return report;
}

}  // namespace seccage::sandbox
