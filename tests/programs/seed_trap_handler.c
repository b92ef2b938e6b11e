/* The seed's SIGSYS-handler program (../shared/seeds/seccomp-101.md,
 * "调试seccomp"): a handler that names the trapped call from the registers
 * when si_code is SYS_SECCOMP. Built two ways by tests/run_verdicts_test.cpp:
 * as the seed has it (OWN_FILTER: its own libseccomp filter traps writes to
 * any fd but stdout), and without a filter of its own, for seccage's --trap
 * to do the same. syscall-names.h is generated as the seed generates it. */
#define _GNU_SOURCE 1

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <ucontext.h>
#include <unistd.h>
#ifdef OWN_FILTER
#include <seccomp.h>
#endif

#include "syscall-names.h"

#define REG_SYSCALL REG_RAX

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

static const char *const msg = "system call invalid: ";

/* sprintf is not async-signal-safe: %u by hand. */
static void write_uint(char *buf, unsigned int val) {
  int width = 0;
  unsigned int tens;
  if (val == 0) {
    strcpy(buf, "0");
    return;
  }
  for (tens = val; tens; tens /= 10) ++width;
  buf[width] = '\0';
  for (tens = val; tens; tens /= 10) buf[--width] = (char)('0' + (tens % 10));
}

static void helper(int nr, siginfo_t *info, void *void_context) {
  char buf[255];
  ucontext_t *ctx = (ucontext_t *)(void_context);
  unsigned int syscall;
  (void)nr;
  if (info->si_code != SYS_SECCOMP) return;
  if (!ctx) return;
  syscall = (unsigned int)ctx->uc_mcontext.gregs[REG_SYSCALL];
  strcpy(buf, msg);
  if (syscall < sizeof(syscall_names)) {
    strcat(buf, syscall_names[syscall]);
    strcat(buf, "(");
  }
  write_uint(buf + strlen(buf), syscall);
  if (syscall < sizeof(syscall_names)) strcat(buf, ")");
  strcat(buf, "\n");
  write(STDOUT_FILENO, buf, strlen(buf));
  _exit(1);
}

static int install_helper(void) {
  struct sigaction act;
  sigset_t mask;
  memset(&act, 0, sizeof(act));
  sigemptyset(&mask);
  sigaddset(&mask, SIGSYS);
  act.sa_sigaction = &helper;
  act.sa_flags = SA_SIGINFO;
  if (sigaction(SIGSYS, &act, NULL) < 0) {
    perror("sigaction");
    return -1;
  }
  if (sigprocmask(SIG_UNBLOCK, &mask, NULL)) {
    perror("sigprocmask");
    return -1;
  }
  return 0;
}

int main(void) {
  if (install_helper()) {
    printf("install helper failed");
    return 1;
  }
#ifdef OWN_FILTER
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, STDOUT_FILENO));
  seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_NE, STDOUT_FILENO));
  seccomp_load(ctx);
  seccomp_release(ctx);
#endif
  fprintf(stdout, "something to stdout\n");
  fflush(stdout);
  fprintf(stderr, "someting to stderr\n");
  return 0;
}
