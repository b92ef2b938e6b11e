/* Class 9: the rest.
 *
 *   attack_misc ATTEMPT [DIR]
 *
 * tiocsti: pushes "echo INJECTED\n" into the input of the inherited terminal
 *   (TIOCSTI): after the run the user's shell would read and run it. The test
 *   looks at what is left in the terminal's input queue.
 * tiocsti-devtty: the same through /dev/tty, with stdin not a terminal.
 * tiocsetd: sets the line discipline of the inherited terminal to N_NULL
 *   (TIOCSETD), which stays after the run: the user's terminal then
 *   discards every key typed and every byte printed. (TIOCSETD of other
 *   disciplines also loads their kernel modules, long an exploit route.)
 * tiocexcl: puts the inherited terminal in exclusive mode (TIOCEXCL), which
 *   also stays: every later open of the user's terminal but root's fails.
 * tcooff: stops the controlling terminal's output through /dev/tty (tcflow
 *   TCOOFF, what ^S does), which stays: after the run the user's shell
 *   blocks on its first write (its prompt), and the terminal looks dead.
 * echo-off: turns the controlling terminal's echo off through /dev/tty
 *   (stdin need not be the terminal): after the run the user types blind.
 * leaked-fds: any descriptor above 2 open at the start (the test passes an
 *   open fd 7 to seccage).
 * caps: full capabilities in the host's user namespace (root in the sandbox
 *   is root of the machine: core_pattern, modules, raw devices...).
 * seccomp-errno: stacks a filter of its own that answers mkdir with EPERM,
 *   then calls mkdir, which the policy kills: ERRNO outranks seccage's
 *   USER_NOTIF, so the kill never happens and nothing is reported.
 * seccomp-listener: asks for a seccomp listener of its own (with it the
 *   program could answer its own notifications with CONTINUE).
 * core: raises RLIMIT_CORE and aborts in DIR: a core file appears there
 *   although --core was not given.
 * ptrace-rewrite: traces its own child and, at the child's getpid() entry,
 *   rewrites the call into mkdir(DIR/rewritten) (the policy kills mkdir): the
 *   kernel must check the rewritten call again.
 * reopen-stdin: reopens the read-only stdin (a root-owned file seccage
 *   opened for a nobody program) for writing through /proc/self/fd/0.
 * deny-flood: 200000 calls the policy denies (mkdir); each makes seccage
 *   write a line to its stderr, which the test never reads. */
#include "attack.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <termios.h>

static long install(unsigned flags, unsigned ret, int nr) {
  struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, ret),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {4, f};
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  begin(argv[1]);
  const char* a = argv[1];
  const char* dir = argc > 2 ? argv[2] : "/tmp";
  if (!strcmp(a, "tiocsti")) {
    const char* text = "echo INJECTED\n";
    int pushed = 0;
    for (const char* c = text; *c; ++c)
      if (ioctl(0, TIOCSTI, c) == 0) ++pushed;
    if (pushed) return escaped("pushed keystrokes into the terminal with TIOCSTI");
    return blocked("TIOCSTI");
  }
  if (!strcmp(a, "tiocsti-devtty")) {
    /* stdin is not the terminal: reach it through /dev/tty (the session's
     * controlling terminal). */
    int fd = open("/dev/tty", O_RDONLY | O_CLOEXEC);  /* read-only is enough for TIOCSTI */
    if (fd < 0) return blocked("open /dev/tty");
    const char* text = "echo INJECTED\n";
    int pushed = 0;
    for (const char* c = text; *c; ++c)
      if (ioctl(fd, TIOCSTI, c) == 0) ++pushed;
    if (pushed) return escaped("pushed keystrokes into the controlling terminal through /dev/tty");
    return blocked("TIOCSTI on /dev/tty");
  }
  if (!strcmp(a, "tiocsetd")) {
    int n_null = 27;
    if (ioctl(0, TIOCSETD, &n_null) == 0) return escaped("set the terminal's line discipline to N_NULL");
    return blocked("TIOCSETD");
  }
  if (!strcmp(a, "tiocexcl")) {
    if (ioctl(0, TIOCEXCL) == 0) say("the terminal is in exclusive mode\n");
    else return blocked("TIOCEXCL");
    return 0;
  }
  if (!strcmp(a, "tcooff") || !strcmp(a, "echo-off")) {
    /* Through /dev/tty: the run's stdin may be a file (--stdin), and the
     * terminal is still the session's. */
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return blocked("open /dev/tty");
    /* From a background process group the kernel stops us with SIGTTOU,
     * unless we ignore it. */
    signal(SIGTTOU, SIG_IGN);
    if (!strcmp(a, "tcooff")) {
      say("stopping the terminal's output\n");  /* before: this write would block after */
      if (tcflow(fd, TCOOFF) != 0) return blocked("tcflow TCOOFF");
      return 0;
    }
    struct termios t;
    if (tcgetattr(fd, &t) != 0) return blocked("tcgetattr");
    t.c_lflag &= ~(tcflag_t)(ECHO | ICANON);
    if (tcsetattr(fd, TCSANOW, &t) != 0) return blocked("tcsetattr");
    say("the terminal's echo is off\n");
    return 0;
  }
  if (!strcmp(a, "leaked-fds")) {
    char what[256] = "";
    for (int fd = 3; fd < 1024; ++fd) {
      if (fcntl(fd, F_GETFD) < 0) continue;
      char link[64], target[128] = "";
      snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
      ssize_t n = readlink(link, target, sizeof target - 1);
      if (n > 0) target[n] = 0;
      snprintf(what, sizeof what, "inherited fd %d (%s)", fd, target);
      return escaped(what);
    }
    errno = 0;
    return blocked("no descriptor above 2");
  }
  if (!strcmp(a, "caps")) {
    char status[8192], ns[64] = "";
    if (slurp("/proc/self/status", status, sizeof status) < 0) return blocked("/proc/self/status");
    const char* eff = strstr(status, "CapEff:");
    unsigned long long caps = eff ? strtoull(eff + 7, NULL, 16) : 0;
    /* The initial user namespace has a fixed inode number (PROC_USER_INIT_INO). */
    ssize_t n = readlink("/proc/self/ns/user", ns, sizeof ns - 1);
    if (n > 0) ns[n] = 0;
    int host_ns = strcmp(ns, "user:[4026531837]") == 0;
    if (caps != 0 && host_ns) {
      char what[128];
      snprintf(what, sizeof what, "capabilities %llx in the host's user namespace", caps);
      return escaped(what);
    }
    errno = 0;
    return blocked("no capability in the host's user namespace");
  }
  if (!strcmp(a, "seccomp-errno")) {
    if (install(0, SECCOMP_RET_ERRNO | EPERM, SYS_mkdir) != 0) return blocked("installing a filter of our own");
    char path[4096];
    snprintf(path, sizeof path, "%s/stacked", dir);
    long rc = syscall(SYS_mkdir, path, 0755);
    char what[128];
    snprintf(what, sizeof what, "survived mkdir, which the policy kills (returned %ld, %s): the kill was silenced", rc,
             strerror(errno));
    return escaped(what);
  }
  if (!strcmp(a, "seccomp-listener")) {
    long fd = install(SECCOMP_FILTER_FLAG_NEW_LISTENER, SECCOMP_RET_USER_NOTIF, SYS_mkdir);
    if (fd >= 0) return escaped("got a seccomp listener of our own: could CONTINUE the calls the policy denies");
    return blocked("SECCOMP_FILTER_FLAG_NEW_LISTENER");
  }
  if (!strcmp(a, "ptrace-rewrite")) {
    static char target[4096];
    snprintf(target, sizeof target, "%s/rewritten", dir);
    pid_t c = fork();
    if (c < 0) return blocked("fork");
    if (c == 0) {
      if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) _exit(3);
      raise(SIGSTOP);
      syscall(SYS_getpid, target, 0755);
      _exit(0);
    }
    int st = 0;
    if (waitpid(c, &st, 0) != c || !WIFSTOPPED(st)) return blocked("tracing the child");
    ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
    for (int stops = 0; stops < 200; ++stops) {
      if (ptrace(PTRACE_SYSCALL, c, 0, 0) != 0) break;
      if (waitpid(c, &st, 0) != c || !WIFSTOPPED(st)) break;
      if (WSTOPSIG(st) != (SIGTRAP | 0x80)) continue;
      struct user_regs_struct regs;
      if (ptrace(PTRACE_GETREGS, c, 0, &regs) != 0) break;
      if (regs.orig_rax == SYS_getpid && regs.rdi == (unsigned long)target) {
        regs.orig_rax = SYS_mkdir;
        ptrace(PTRACE_SETREGS, c, 0, &regs);
        say("rewrote getpid into mkdir\n");
        ptrace(PTRACE_SYSCALL, c, 0, 0);
        waitpid(c, &st, 0);
        break;
      }
    }
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    struct stat sb;
    if (stat(target, &sb) == 0) return escaped("a traced child's getpid() rewritten into mkdir created the directory");
    errno = 0;
    return blocked("the rewritten mkdir did not happen");
  }
  if (!strcmp(a, "reopen-stdin")) {
    /* stdin is a root-owned file seccage opened read-only for us: reopen it
     * for writing through /proc/self/fd. */
    int fd = open("/proc/self/fd/0", O_RDWR);
    if (fd >= 0 && write(fd, "PWNED", 5) == 5) return escaped("reopened the read-only stdin for writing and wrote");
    return blocked("reopening /proc/self/fd/0 for writing");
  }
  if (!strcmp(a, "deny-flood")) {
    for (int i = 0; i < 200000; ++i) syscall(SYS_mkdir, "/nonexistent/deny-flood", 0755);
    say("flood done\n");
    return 0;
  }
  if (!strcmp(a, "core")) {
    struct rlimit r = {RLIM_INFINITY, RLIM_INFINITY};
    if (setrlimit(RLIMIT_CORE, &r) != 0) {
      getrlimit(RLIMIT_CORE, &r);
      r.rlim_cur = r.rlim_max;
      if (r.rlim_max == 0 || setrlimit(RLIMIT_CORE, &r) != 0) return blocked("raising RLIMIT_CORE");
    }
    if (chdir(dir) != 0) return blocked("chdir");
    prctl(PR_SET_DUMPABLE, 1);
    say("RLIMIT_CORE raised, aborting in %s\n", dir);
    signal(SIGABRT, SIG_DFL);
    abort();
  }
  return 2;
}
