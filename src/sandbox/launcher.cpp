#include "sandbox/launcher.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "seccage/error.hpp"
#include "seccage/kernel.hpp"
#include "seccage/sandbox.hpp"

namespace seccage::sandbox {
namespace {

[[noreturn]] void fail(const LaunchPlan& plan, std::int32_t stage, int err) noexcept {
  send_launch_message(plan.status_fd, LaunchMessage{LaunchMessage::SetupFailed, err, stage});
  ::_exit(kStatusFailed);
}

void move_fd(const LaunchPlan& plan, int from, int to, std::int32_t stage) noexcept {
  if (from < 0) return;
  if (::dup2(from, to) < 0) fail(plan, stage, errno);
}

void install(const LaunchPlan& plan, const bpf::Program& program, bool with_listener) noexcept {
  try {
    kernel::LoadOptions o;
    o.new_listener = with_listener;
    o.wait_killable_recv = with_listener && plan.wait_killable;
    o.log = plan.audit_log;
    kernel::LoadResult r = kernel::load_filter(program, o);
    // The listener stays open (O_CLOEXEC) until execve succeeds; by then the
    // parent holds its own copy (pidfd_getfd).
    (void)r.listener.release();
  } catch (const SystemError& e) {
    fail(plan, StageFilter, e.error_number());
  } catch (...) {
    fail(plan, StageFilter, EINVAL);
  }
}

}  // namespace

void send_launch_message(int socket, LaunchMessage m, int fd) noexcept {
  // One datagram of a few bytes; if it fails, seccage reads end-of-file and
  // reports that the launch failed without a reason.
  iovec iov{&m, sizeof m};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (fd >= 0) {
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  }
  [[maybe_unused]] ssize_t n = ::sendmsg(socket, &msg, MSG_NOSIGNAL);
}

void LaunchPlan::finish() {
  argv_ptrs.clear();
  envp_ptrs.clear();
  for (auto& a : argv) argv_ptrs.push_back(a.data());
  argv_ptrs.push_back(nullptr);
  for (auto& e : envp) envp_ptrs.push_back(e.data());
  envp_ptrs.push_back(nullptr);
}

void launch(const LaunchPlan& plan) noexcept {
  // Die with the init. PDEATHSIG is armed only now, so check that the
  // parent did not die between fork and here (we would have been reparented).
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != plan.parent) fail(plan, StageParent, errno);
  if (plan.init_sync_fd >= 0) {
    // Only the launcher may hold its end of the status socket when it execs.
    char c = 0;
    ssize_t n;
    do {
      n = ::read(plan.init_sync_fd, &c, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1) fail(plan, StageParent, errno ? errno : ECHILD);
    ::close(plan.init_sync_fd);
  }

  // seccage takes the listener from this process with pidfd_getfd, and knows
  // which notifications are its own launcher's by pid: a pidfd of ourselves
  // tells it both, whatever PID namespace we are in.
  const int self = static_cast<int>(::syscall(SYS_pidfd_open, ::getpid(), 0));
  if (self < 0) fail(plan, StageFds, errno);
  send_launch_message(plan.status_fd, LaunchMessage{LaunchMessage::Hello, 0, 0}, self);
  ::close(self);

  // seccage made itself non-dumpable, and this process inherited that; a
  // non-root seccage could not take the listener or read the program's
  // memory from a non-dumpable process. Nothing else runs in the sandbox yet,
  // and execve resets the flag anyway.
  ::prctl(PR_SET_DUMPABLE, 1);

  // Its own process group, so that the wall-time limit and forwarded signals
  // reach the program and everything it starts, and nothing else.
  if (::setpgid(0, 0) != 0) fail(plan, StageSetpgid, errno);
  if (plan.take_terminal) {
    // A background group that sets the foreground gets SIGTTOU: block it for
    // the call (the mask is cleared just below).
    sigset_t ttou;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    ::sigprocmask(SIG_BLOCK, &ttou, nullptr);
    if (::tcsetpgrp(0, ::getpgrp()) != 0) fail(plan, StageTerminal, errno);
  }

  // The parent blocks the signals it watches; the program starts with none
  // blocked and every disposition at its default.
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

  if (plan.gid) {
    if (::setgroups(0, nullptr) != 0) fail(plan, StageGroups, errno);
    if (::setresgid(*plan.gid, *plan.gid, *plan.gid) != 0) fail(plan, StageGid, errno);
  }
  if (plan.uid) {
    if (::setresuid(*plan.uid, *plan.uid, *plan.uid) != 0) fail(plan, StageUid, errno);
    // A uid change makes the process non-dumpable again.
    ::prctl(PR_SET_DUMPABLE, 1);
  }

  // The session keyring is inherited and possessed by whoever holds it, so
  // the program (any user) could read the caller's keys and leave keys in
  // the caller's session after the run. A new anonymous one, of the
  // program's own user (after the uid change), replaces it. ENOSYS: a kernel
  // without keys has nothing to leak.
  if (::syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, nullptr) < 0 && errno != ENOSYS)
    fail(plan, StageKeyring, errno);

  // Nothing of seccage's leaks into the program: every fd but 0-2 and the
  // status socket is closed (it closes itself at exec).
  const unsigned sfd = static_cast<unsigned>(plan.status_fd);
  if (sfd > 3 && ::syscall(SYS_close_range, 3u, sfd - 1, 0u) != 0 && errno != ENOSYS) fail(plan, StageFds, errno);
  if (::syscall(SYS_close_range, sfd + 1, ~0u, 0u) != 0 && errno != ENOSYS) fail(plan, StageFds, errno);

  // RLIMIT_NOFILE comes last when supervising: the listener is a new
  // descriptor, and a limit at or below the descriptors already open (0 to
  // 3) would refuse it. seccage needs no descriptor after it: the status
  // socket is open already, and execve opens none. The call always notifies
  // (the runner observes prlimit64), so the policy cannot refuse it to us.
  const int late = plan.supervise ? RLIMIT_NOFILE : -1;
  if (int bad = apply_rlimits(plan.rlimits, -1, late); bad >= 0) fail(plan, StageRlimit + bad, errno);

  int listener_number = -1;
  if (plan.supervise) {
    // The listener will be the lowest free fd (the kernel allocates fds that
    // way and nothing else opens one in between). The parent is told its
    // number now, because after the filter is on every call the program's
    // policy denies would wait for a supervisor that does not exist yet.
    listener_number = ::fcntl(plan.status_fd, F_DUPFD_CLOEXEC, 0);
    if (listener_number < 0) fail(plan, StageFds, errno);
    ::close(listener_number);
  }
  if (!plan.guard_filter.empty()) install(plan, plan.guard_filter, false);
  if (plan.supervise) send_launch_message(plan.status_fd, LaunchMessage{LaunchMessage::ListenerFd, listener_number, 0});
  install(plan, plan.program, plan.supervise);
  if (late >= 0) {
    if (int bad = apply_rlimits(plan.rlimits, late); bad >= 0) fail(plan, StageRlimit + bad, errno);
  }

  ::execve(plan.path.c_str(), plan.argv_ptrs.data(), plan.envp_ptrs.data());
  const int err = errno;
  send_launch_message(plan.status_fd, LaunchMessage{LaunchMessage::ExecFailed, err, 0});
  ::_exit(err == ENOENT || err == ENOTDIR ? kStatusNotFound : kStatusCannotExec);
}

}  // namespace seccage::sandbox
