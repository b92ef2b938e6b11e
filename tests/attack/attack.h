/* Shared by the attack programs (tests/attack/attack_*.c): each invocation makes ONE
 * attempt, named by argv[1], so that a policy kill ends only that attempt.
 * The program prints "ESCAPE <name>: <what>" when it saw the forbidden effect
 * itself, "blocked <name>: <why>" otherwise. The test also checks effects
 * from outside (files, canaries, survivors, hangs); it never trusts only the
 * program. These are plain C programs, not linked to seccage. */
#ifndef SECCAGE_ATTACK_H
#define SECCAGE_ATTACK_H
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static const char* attack_name = "?";

/* Written with write(2) on fd 1 directly: no stdio buffer to lose when a
 * later call is killed. */
static void say(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > (int)sizeof buf - 1) n = sizeof buf - 1;
  if (n > 0) {
    ssize_t w = write(1, buf, (size_t)n);
    (void)w;
  }
}

/* Every attempt first says that it started: an attempt whose program died
 * before (the dynamic loader's open killed by a policy, say) proves nothing,
 * and the test checks for this line. The programs are linked statically. */
__attribute__((unused)) static void begin(const char* name) {
  attack_name = name;
  say("start %s\n", name);
}

__attribute__((unused)) static int escaped(const char* what) {
  say("ESCAPE %s: %s\n", attack_name, what);
  return 42;
}

__attribute__((unused)) static int blocked(const char* what) {
  say("blocked %s: %s (%s)\n", attack_name, what, strerror(errno));
  return 0;
}

/* Reads a small file into buf (NUL-terminated); -1 on error. */
__attribute__((unused)) static int slurp(const char* path, char* buf, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, size - 1);
  close(fd);
  if (n < 0) return -1;
  buf[n] = 0;
  return (int)n;
}

#endif
