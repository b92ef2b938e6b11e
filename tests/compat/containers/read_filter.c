/* Reads the newest seccomp filter of a running process (PTRACE_SEIZE, then
 * PTRACE_SECCOMP_GET_FILTER; needs CAP_SYS_ADMIN) and writes it as raw
 * struct sock_filter bytes. Usage: read_filter PID OUT.bpf */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s PID OUT.bpf\n", argv[0]);
    return 2;
  }
  pid_t pid = (pid_t)atoi(argv[1]);
  if (ptrace(PTRACE_SEIZE, pid, 0, 0) != 0 || ptrace(PTRACE_INTERRUPT, pid, 0, 0) != 0) {
    perror("ptrace seize");
    return 1;
  }
  int status;
  if (waitpid(pid, &status, __WALL) < 0) {
    perror("waitpid");
    return 1;
  }
  long count = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, NULL);
  if (count <= 0) {
    fprintf(stderr, "PTRACE_SECCOMP_GET_FILTER: %s\n", count < 0 ? strerror(errno) : "no filter");
    return 1;
  }
  struct sock_filter *insns = calloc((size_t)count, sizeof *insns);
  if (!insns || ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, insns) != count) {
    perror("PTRACE_SECCOMP_GET_FILTER");
    return 1;
  }
  ptrace(PTRACE_DETACH, pid, 0, 0);
  int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, insns, (size_t)count * sizeof *insns) != (ssize_t)(count * (long)sizeof *insns)) {
    perror(argv[2]);
    return 1;
  }
  close(fd);
  return 0;
}
