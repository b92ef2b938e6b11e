/* Writes to stderr after setting SIGSYS to argv[1]: "default", "block",
 * "ignore" or "handle" (a handler that reports si_code and si_syscall on
 * stdout and returns). Under a TRAP of write to fd 2 the kernel kills the
 * first three (it forces SIGSYS through a block or an ignore) and lets the
 * handler run in the last. */
#define _GNU_SOURCE 1
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void handler(int sig, siginfo_t *info, void *ctx) {
  char line[96];
  (void)sig;
  (void)ctx;
  int n = snprintf(line, sizeof line, "handler: si_code=%d si_syscall=%d\n", info->si_code, info->si_syscall);
  write(1, line, (size_t)n);
}

int main(int argc, char **argv) {
  const char *how = argc > 1 ? argv[1] : "default";
  if (strcmp(how, "block") == 0) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSYS);
    sigprocmask(SIG_BLOCK, &set, NULL);
  } else if (strcmp(how, "ignore") == 0) {
    signal(SIGSYS, SIG_IGN);
  } else if (strcmp(how, "handle") == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSYS, &sa, NULL);
  }
  long r = write(2, "x", 1);
  printf("survived: write returned %ld\n", r);
  return 0;
}
