#include "sandbox/launcher.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "seccage/error.hpp"
#include "seccage/kernel.hpp"
#include "seccage/sandbox.hpp"

namespace seccage::sandbox {
namespace {

void send(int fd, LaunchMessage m) noexcept {
  // A pipe write of a few bytes is atomic; if it fails the parent reads EOF
  // and reports that the launch failed without a reason.
  [[maybe_unused]] ssize_t n = ::write(fd, &m, sizeof m);
}

[[noreturn]] void fail(const LaunchPlan& plan, std::int32_t stage, int err) noexcept {
  send(plan.status_fd, LaunchMessage{LaunchMessage::SetupFailed, err, stage});
  ::_exit(kStatusFailed);
}

void move_fd(const LaunchPlan& plan, int from, int to, std::int32_t stage) noexcept {
  if (from < 0) return;
  if (::dup2(from, to) < 0) fail(plan, stage, errno);
}

}  // namespace

void LaunchPlan::finish() {
  argv_ptrs.clear();
  envp_ptrs.clear();
  for (auto& a : argv) argv_ptrs.push_back(a.data());
  argv_ptrs.push_back(nullptr);
  for (auto& e : envp) envp_ptrs.push_back(e.data());
  envp_ptrs.push_back(nullptr);
}

void launch(const LaunchPlan& plan) noexcept {
  // Die with seccage. PDEATHSIG is armed only now, so check that the parent
  // did not die between fork and here (we would have been reparented).
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != plan.parent) fail(plan, StageParent, errno);
  // Its own process group, so that the wall-time limit and forwarded signals
  // reach the program and everything it starts, and nothing else.
  if (::setpgid(0, 0) != 0) fail(plan, StageSetpgid, errno);

  // The parent blocks the signals it watches through a signalfd; the program
  // starts with none blocked and every disposition at its default.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    ::signal(sig, SIG_DFL);
  }

  move_fd(plan, plan.stdin_fd, 0, StageStdin);
  move_fd(plan, plan.stdout_fd, 1, StageStdout);
  move_fd(plan, plan.stderr_fd, 2, StageStderr);
  if (!plan.cwd.empty() && ::chdir(plan.cwd.c_str()) != 0) fail(plan, StageCwd, errno);
  if (int bad = apply_rlimits(plan.rlimits); bad >= 0) fail(plan, StageRlimit + bad, errno);

  if (plan.gid) {
    if (::setgroups(0, nullptr) != 0) fail(plan, StageGroups, errno);
    if (::setresgid(*plan.gid, *plan.gid, *plan.gid) != 0) fail(plan, StageGid, errno);
  }
  if (plan.uid) {
    if (::setresuid(*plan.uid, *plan.uid, *plan.uid) != 0) fail(plan, StageUid, errno);
    // A uid change makes the process non-dumpable, which would keep a
    // non-root seccage from reading its memory; it is the same user's now.
    ::prctl(PR_SET_DUMPABLE, 1);
  }

  // Nothing of seccage's leaks into the program: every fd but 0-2 and the
  // status pipe is closed (the status pipe closes itself at exec).
  const unsigned sfd = static_cast<unsigned>(plan.status_fd);
  if (sfd > 3 && ::syscall(SYS_close_range, 3u, sfd - 1, 0u) != 0 && errno != ENOSYS) fail(plan, StageFds, errno);
  if (::syscall(SYS_close_range, sfd + 1, ~0u, 0u) != 0 && errno != ENOSYS) fail(plan, StageFds, errno);

  if (plan.supervise) {
    // The listener will be the lowest free fd (the kernel allocates fds that
    // way and nothing else opens one in between). The parent is told its
    // number now, because after the filter is on every call the program's
    // policy denies would wait for a supervisor that does not exist yet.
    const int probe = ::fcntl(plan.status_fd, F_DUPFD_CLOEXEC, 0);
    if (probe < 0) fail(plan, StageFds, errno);
    ::close(probe);
    send(plan.status_fd, LaunchMessage{LaunchMessage::ListenerFd, probe, 0});
  }

  try {
    kernel::LoadOptions o;
    o.new_listener = plan.supervise;
    o.wait_killable_recv = plan.supervise && plan.wait_killable;
    o.log = plan.audit_log;
    kernel::LoadResult r = kernel::load_filter(plan.program, o);
    // The listener stays open (O_CLOEXEC) until execve succeeds; by then the
    // parent holds its own copy (pidfd_getfd).
    (void)r.listener.release();
  } catch (const SystemError& e) {
    fail(plan, StageFilter, e.error_number());
  } catch (...) {
    fail(plan, StageFilter, EINVAL);
  }

  ::execve(plan.path.c_str(), plan.argv_ptrs.data(), plan.envp_ptrs.data());
  const int err = errno;
  send(plan.status_fd, LaunchMessage{LaunchMessage::ExecFailed, err, 0});
  ::_exit(err == ENOENT || err == ENOTDIR ? kStatusNotFound : kStatusCannotExec);
}

}  // namespace seccage::sandbox
