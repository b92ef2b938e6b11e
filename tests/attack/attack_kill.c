/* Class 2: killing from inside. kill(-1), guessed pids, the parent, the
 * parent's process group, tgkill (which the stdio preset allows for abort()),
 * and stopping the supervisor (a stopped seccage enforces no limit).
 *
 *   attack_kill ATTEMPT
 *
 * The test started canaries outside the sandbox (in its own namespace): the
 * escape is a dead canary, a seccage that died without its report, or one
 * that never ends. */
#include "attack.h"

#include <dirent.h>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  begin(argv[1]);
  const char* a = argv[1];
  const pid_t parent = getppid();
  say("attempt %s (pid %d, parent %d)\n", a, getpid(), parent);
  if (strcmp(a, "kill-all") == 0) {
    if (kill(-1, SIGKILL) == 0) return escaped("kill(-1, SIGKILL) reached some process");
    return blocked("kill(-1, SIGKILL)");
  }
  if (strcmp(a, "kill-guess") == 0) {
    int hits = 0;
    for (pid_t p = 1; p < 4096; ++p)
      if (p != getpid() && kill(p, SIGKILL) == 0) ++hits;
    if (hits) return escaped("SIGKILL reached guessed pids");
    return blocked("SIGKILL to pids 1..4095");
  }
  if (strcmp(a, "kill-parent") == 0) {
    if (parent > 0 && kill(parent, SIGKILL) == 0) return escaped("SIGKILL to the supervisor delivered");
    return blocked("kill(getppid(), SIGKILL)");
  }
  if (strcmp(a, "kill-parent-group") == 0) {
    pid_t g = parent > 0 ? getpgid(parent) : -1;
    if (g > 0 && kill(-g, SIGKILL) == 0) return escaped("SIGKILL to the supervisor's process group delivered");
    return blocked("kill(-pgid(parent), SIGKILL)");
  }
  if (strcmp(a, "tgkill-parent") == 0) {
    if (parent > 0 && syscall(SYS_tgkill, parent, parent, SIGKILL) == 0) return escaped("tgkill(parent, SIGKILL) delivered");
    return blocked("tgkill(parent, parent, SIGKILL)");
  }
  if (strcmp(a, "tkill-parent") == 0) {
    if (parent > 0 && syscall(SYS_tkill, parent, SIGKILL) == 0) return escaped("tkill(parent, SIGKILL) delivered");
    return blocked("tkill(parent, SIGKILL)");
  }
  if (strcmp(a, "pidfd-kill-parent") == 0) {
    int fd = parent > 0 ? (int)syscall(SYS_pidfd_open, parent, 0) : -1;
    if (fd >= 0 && syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0) == 0) return escaped("pidfd_send_signal(SIGKILL) to the supervisor delivered");
    return blocked("pidfd_open + pidfd_send_signal to the parent");
  }
  if (strcmp(a, "sigqueue-parent") == 0) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_code = SI_QUEUE;
    si.si_pid = getpid();
    si.si_uid = getuid();
    if (parent > 0 && syscall(SYS_rt_sigqueueinfo, parent, SIGKILL, &si) == 0) return escaped("rt_sigqueueinfo(SIGKILL) to the supervisor delivered");
    return blocked("rt_sigqueueinfo to the parent");
  }
  if (strcmp(a, "prlimit-parent") == 0) {
    /* Lowering another process's limits needs only the same user: a report
     * file of one byte kills the supervisor with SIGXFSZ when it writes it,
     * and it can open no file at all. */
    struct { unsigned long cur, max; } fsize = {1, 1}, nofile = {3, 3};
    long a1 = parent > 0 ? syscall(SYS_prlimit64, parent, 1 /* RLIMIT_FSIZE */, &fsize, NULL) : -1;
    long a2 = parent > 0 ? syscall(SYS_prlimit64, parent, 7 /* RLIMIT_NOFILE */, &nofile, NULL) : -1;
    if (a1 == 0 || a2 == 0) return escaped("lowered the supervisor's RLIMIT_FSIZE/RLIMIT_NOFILE with prlimit64");
    return blocked("prlimit64 on the parent");
  }
  if (strcmp(a, "stop-parent") == 0) {
    /* A stopped supervisor answers nothing and enforces no time limit. */
    if (parent > 0 && kill(parent, SIGSTOP) == 0) {
      say("ESCAPE %s: SIGSTOP to the supervisor delivered\n", a);
      for (;;) pause();  /* and now run forever */
    }
    return blocked("kill(getppid(), SIGSTOP)");
  }
  if (strcmp(a, "stop-parent-tgkill") == 0) {
    if (parent > 0 && syscall(SYS_tgkill, parent, parent, SIGSTOP) == 0) {
      say("ESCAPE %s: tgkill SIGSTOP to the supervisor delivered\n", a);
      for (;;) pause();
    }
    return blocked("tgkill(parent, parent, SIGSTOP)");
  }
  return 2;
}
