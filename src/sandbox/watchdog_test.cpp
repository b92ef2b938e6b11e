#include "sandbox/watchdog.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace seccage::sandbox {
namespace {

// A process group of two sleepers (a leader and its child), standing in for
// the program and what it forked. Returns the leader; the group id is its pid.
pid_t start_group() {
  const pid_t leader = ::fork();
  if (leader == 0) {
    ::setpgid(0, 0);
    if (::fork() == 0) {
      ::pause();
      ::_exit(0);
    }
    ::pause();
    ::_exit(0);
  }
  ::setpgid(leader, leader);
  return leader;
}

bool group_alive(pid_t pgid) { return ::kill(-pgid, 0) == 0; }

// Waits for the watchdog to end on its own, leaving its zombie for the
// Watchdog object to reap (so it never signals a reused pid).
siginfo_t wait_exit(const Watchdog& dog) {
  siginfo_t info{};
  EXPECT_EQ(::waitid(P_PID, static_cast<id_t>(dog.pid()), &info, WEXITED | WNOWAIT), 0);
  return info;
}

struct Pipe {
  int read = -1, write = -1;
  Pipe() {
    int p[2];
    EXPECT_EQ(::pipe2(p, O_CLOEXEC), 0);
    read = p[0];
    write = p[1];
  }
};

TEST(Watchdog, KillsTheGroupWhenTheWriteEndCloses) {
  // As a subreaper the test gets the leader's child when the leader dies,
  // and can see how both ended.
  ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  const pid_t leader = start_group();
  Pipe pipe;  // after the group's fork, so no sleeper holds the write end
  Watchdog dog = Watchdog::start(pipe.read);
  ::close(pipe.read);
  ASSERT_EQ(::write(pipe.write, &leader, sizeof leader), static_cast<ssize_t>(sizeof leader));
  ::usleep(20000);
  EXPECT_TRUE(group_alive(leader)) << "the watchdog must wait for end-of-file";

  ::close(pipe.write);  // what seccage's death does
  int killed = 0, status = 0;
  // The leader's child comes to us (the subreaper) only once the leader is
  // gone, which under load can be after waitpid last found nothing: retry.
  for (int round = 0; round < 200 && killed < 2; ++round) {
    while (::waitpid(-leader, &status, 0) > 0) killed += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    if (killed < 2) ::usleep(5000);
  }
  ::prctl(PR_SET_CHILD_SUBREAPER, 0);
  EXPECT_EQ(killed, 2) << "the leader and its child";
  // Having done its job, it exits by itself.
  const siginfo_t end = wait_exit(dog);
  EXPECT_EQ(end.si_code, CLD_EXITED);
  EXPECT_EQ(end.si_status, 0);
}

TEST(Watchdog, StoppedItKillsNothing) {
  const pid_t leader = start_group();
  Pipe pipe;
  {
    Watchdog dog = Watchdog::start(pipe.read);
    ::close(pipe.read);
    ASSERT_EQ(::write(pipe.write, &leader, sizeof leader), static_cast<ssize_t>(sizeof leader));
    dog.stop();
    EXPECT_EQ(dog.pid(), -1);
  }
  ::close(pipe.write);
  ::usleep(20000);
  EXPECT_TRUE(group_alive(leader));
  ::kill(-leader, SIGKILL);
  ::waitpid(leader, nullptr, 0);
}

TEST(Watchdog, EndOfFileBeforeAGroupIdExitsQuietly) {
  Pipe pipe;
  Watchdog dog = Watchdog::start(pipe.read);
  ::close(pipe.read);
  ::close(pipe.write);
  const siginfo_t end = wait_exit(dog);
  EXPECT_EQ(end.si_code, CLD_EXITED);
  EXPECT_EQ(end.si_status, 0);
}

TEST(Watchdog, LeavesTheCallersErrnoAlone) {
  // It shares seccage's memory where it can: its own failing calls (reading
  // a closed pipe, killing a group that is gone) must not show up in errno.
  Pipe pipe;
  Watchdog dog = Watchdog::start(pipe.read);
  ::close(pipe.read);
  const pid_t gone = 999999;  // no such group: its kill fails with ESRCH
  ASSERT_EQ(::write(pipe.write, &gone, sizeof gone), static_cast<ssize_t>(sizeof gone));
  errno = 1234;
  ::close(pipe.write);  // succeeds, so errno stays as set
  const siginfo_t end = wait_exit(dog);  // likewise
  EXPECT_EQ(end.si_code, CLD_EXITED);
  EXPECT_EQ(errno, 1234);
}

}  // namespace
}  // namespace seccage::sandbox
