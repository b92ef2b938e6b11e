// The structured decoder against the real kernel (tests/run_decode_test.cpp):
// makes one call of each family the report decodes, each denied with EPERM
// by the test's policy, and prints "NAME E<errno>" for each. (Not TIOCSTI:
// seccage's own guard answers it, tests/run_verdicts_test.cpp.)
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static void report(const char* name, long rc) { printf("%s %s\n", name, rc == -1 ? strerrorname_np(errno) : "ok"); }

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const int port = atoi(argv[1]);
  const char* path = argv[2];  // the AF_UNIX socket and the readlink path share it

  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
  in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  report("connect_inet", connect(s, (struct sockaddr*)&in, sizeof in));

  int u = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un un = {.sun_family = AF_UNIX};
  strncpy(un.sun_path, path, sizeof un.sun_path - 1);
  report("connect_unix", connect(u, (struct sockaddr*)&un, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1)));

  struct rlimit64 lim = {.rlim_cur = 64, .rlim_max = 128};
  report("prlimit64", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &lim, NULL));

  char buf[64];
#ifdef SYS_readlink
  report("readlink", syscall(SYS_readlink, path, buf, sizeof buf));
#else
  report("readlink", syscall(SYS_readlinkat, AT_FDCWD, path, buf, sizeof buf));
#endif

  report("ptrace", syscall(SYS_ptrace, PTRACE_ATTACH, 1, 0, 0));

  struct clone_args ca;
  memset(&ca, 0, sizeof ca);
  ca.flags = CLONE_NEWUSER | CLONE_NEWNS;
  ca.exit_signal = SIGCHLD;
  report("clone3", syscall(SYS_clone3, &ca, sizeof ca));
  fflush(stdout);

  int pending = 0;
  report("ioctl", ioctl(0, FIONREAD, &pending));
  return 0;
}
