// /proc readers against real processes: a forked child's memory, and the
// syscall a filter killed a child in, read from its zombie.
#include "sandbox/proc.hpp"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include <gtest/gtest.h>

#include "support/child.hpp"
#include "support/kernel_programs.hpp"

namespace seccage::sandbox {
namespace {

TEST(SandboxProc, ReadsAChildsMemoryAndStatus) {
  static char text[] = "hello from the child";
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::strcpy(text, "changed in the child");  // the parent must see the child's copy
    char c = 1;
    (void)!write(ready[1], &c, 1);
    pause();
    _exit(0);
  }
  char c;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  auto s = read_memory(pid, reinterpret_cast<std::uint64_t>(text), 100, true);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, "changed in the child");
  auto cut = read_memory(pid, reinterpret_cast<std::uint64_t>(text), 7, false);
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(*cut, "changed");
  EXPECT_FALSE(read_memory(pid, 8, 10, true).has_value());  // unmapped
  auto st = read_status(pid);
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->tgid, pid);
  EXPECT_EQ(st->threads, 1);
  EXPECT_GT(st->vm_peak_kb, 0u);
  EXPECT_TRUE(cpu_time_ms(pid).has_value());
  bool listed = false;
  for (pid_t p : own_children()) listed |= p == pid;
  EXPECT_TRUE(listed);
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  close(ready[0]);
  close(ready[1]);
}

TEST(SandboxProc, SyscallOfABlockedTask) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    char c;
    (void)!read(p[0], &c, 1);  // blocks: the parent never writes
    _exit(0);
  }
  std::optional<SyscallState> sc;
  for (int i = 0; i < 200 && !(sc && sc->nr == SYS_read); ++i) {
    usleep(5000);
    sc = read_syscall(pid);
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  close(p[0]);
  close(p[1]);
  ASSERT_TRUE(sc.has_value());
  EXPECT_EQ(sc->nr, SYS_read);
  EXPECT_EQ(sc->args[0], static_cast<std::uint64_t>(p[0]));
}

// nsjail names a kernel-side kill from the zombie's /proc/PID/syscall. Recent
// kernels show "-1" for a zombie (its registers are gone), so the reader must
// answer nothing rather than a wrong call; where a kernel still shows it, it
// must be the killed call.
TEST(SandboxProc, ZombieKilledByAFilterIsNeverMisnamed) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // KILL_PROCESS on getppid, in this child only.
    if (test::install_filter(test::ret_for_syscall(SYS_getppid, 0x80000000u)) != 0) _exit(2);
    syscall(SYS_getppid, 11, 22, 33);
    _exit(1);
  }
  siginfo_t si{};
  ASSERT_EQ(waitid(P_PID, static_cast<id_t>(pid), &si, WEXITED | WNOWAIT), 0);
  EXPECT_EQ(si.si_status, SIGSYS);
  auto sc = read_syscall(pid);
  waitpid(pid, nullptr, 0);
  if (sc) {
    EXPECT_EQ(sc->nr, SYS_getppid);
    EXPECT_EQ(sc->args[0], 11u);
  }
}

}  // namespace
}  // namespace seccage::sandbox
