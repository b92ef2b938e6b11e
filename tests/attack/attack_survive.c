/* Class 7: survivors. Start processes meant to outlive the run, then end
 * (THEN = exit) or wait for the run to be ended from outside (THEN = sleep:
 * --wall-time, or seccage itself killed or terminated).
 *
 *   attack_survive MODE THEN
 *
 * MODE: setsid (a child in a new session), doublefork (an orphaned
 * grandchild), daemon (setsid, second fork, SIGTERM/SIGHUP/SIGINT ignored,
 * fds closed), pgrp (a child in a process group of its own), hopper (a chain
 * that forks a new session leader and exits, over and over, so that its pid
 * keeps changing), nopdeath (a child that clears PR_SET_PDEATHSIG, leaves
 * the group and ignores every catchable signal).
 * The test lists every process left in its namespace 100 ms after seccage
 * ended: any is an escape. */
#include "attack.h"

#include <sys/prctl.h>

static void ignore_all(void) {
  for (int s = 1; s < 65; ++s) signal(s, SIG_IGN);
}

static void linger(void) {
  ignore_all();
  for (;;) pause();
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  begin(argv[1]);
  const char* m = argv[1];
  pid_t c = fork();
  if (c < 0) return blocked("fork");
  if (c == 0) {
    if (!strcmp(m, "setsid")) {
      setsid();
      linger();
    } else if (!strcmp(m, "doublefork")) {
      if (fork() == 0) linger();
      _exit(0);
    } else if (!strcmp(m, "daemon")) {
      setsid();
      if (fork() != 0) _exit(0);
      ignore_all();
      if (chdir("/") != 0) _exit(1);
      for (int fd = 0; fd < 64; ++fd) close(fd);
      linger();
    } else if (!strcmp(m, "pgrp")) {
      setpgid(0, 0);
      linger();
    } else if (!strcmp(m, "hopper")) {
      ignore_all();
      for (;;) {
        pid_t n = fork();
        if (n == 0) {
          setsid();
          usleep(2000);
          continue;  /* the new one goes on hopping */
        }
        _exit(0);
      }
    } else if (!strcmp(m, "nopdeath")) {
      prctl(PR_SET_PDEATHSIG, 0);
      setpgid(0, 0);
      linger();
    }
    _exit(2);
  }
  usleep(50000);  /* the children are set up */
  say("started %s\n", m);
  if (!strcmp(argv[2], "sleep"))
    for (;;) pause();
  return 0;
}
