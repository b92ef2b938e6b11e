/* attack_jail: the safety harness of the attack suite. Every attack runs
 * inside a PID namespace and a mount namespace of its own, made here, so that
 * an attack that escapes seccage still cannot harm the machine or the test
 * runner: kill(-1) reaches only this namespace, and the whole file system is
 * read-only in it except the test's temporary directory (and the cgroup
 * tree, which the runner may need); /tmp and /dev/shm are fresh empty tmpfs
 * (the test's directory bound back in place when it is under /tmp). /proc is
 * this namespace's own; /proc/sys stays writable for root (see the mount
 * below), which no attack uses.
 *
 *   attack_jail --rw DIR --result FILE [options] -- COMMAND ARGS...
 *
 * The jail's init (pid 1 of the new namespace) starts canaries if asked
 * (processes outside the sandbox: one root, one nobody, one in the command's
 * process group, each with a secret in its environment), runs COMMAND (seccage)
 * with a time bound, then waits --grace ms and lists every process still
 * alive in the namespace (survivors). Results go to FILE as key=value lines.
 * When init exits, the kernel kills whatever is left in the namespace.
 *
 * Options: --as-nobody (run COMMAND as uid/gid 65534), --canary,
 * --timeout MS, --kill-after MS, --term-after MS, --stop-after MS,
 * --grace MS, --stdout inherit|closed|unread|head1, --pty (COMMAND gets a
 * pseudo-terminal as controlling terminal; its output goes to --pty-log
 * FILE), --type TEXT (typed into the terminal after --type-after MS),
 * --leak-fd (COMMAND inherits an open writable fd 7), --stderr-unread
 * (COMMAND's stderr is a pipe nobody reads). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
struct mount_attr {
  unsigned long long attr_set, attr_clr, propagation, userns_fd;
};
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

static const char* rw_dir;
static const char* keep_dirs[8];
static int nkeep = 0;
static const char* result_file;
static const char* pty_log;
static const char* type_text;
static int as_nobody, want_canary, use_pty, leak_fd;
static long timeout_ms = 10000, kill_after = -1, term_after = -1, stop_after = -1, grace_ms = 100, type_after = 300;
static const char* stdout_mode = "inherit";
static int stderr_unread;

static void die(const char* what) {
  fprintf(stderr, "attack_jail: %s: %s\n", what, strerror(errno));
  _exit(120);
}

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_attr(const char* path, unsigned long long set, unsigned long long clr) {
  struct mount_attr a;
  memset(&a, 0, sizeof a);
  a.attr_set = set;
  a.attr_clr = clr;
  if (syscall(442 /* mount_setattr */, AT_FDCWD, path, AT_RECURSIVE, &a, sizeof a) != 0) {
    fprintf(stderr, "attack_jail: mount_setattr %s: %s\n", path, strerror(errno));
    _exit(120);
  }
}

static void drop_to_nobody(void) {
  if (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0)
    die("dropping to nobody");
}

static char* read_all(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return strdup("");
  size_t cap = 65536, len = 0;
  char* buf = malloc(cap);
  for (;;) {
    if (len + 4096 > cap) buf = realloc(buf, cap *= 2);
    ssize_t n = read(fd, buf + len, cap - len - 1);
    if (n <= 0) break;
    len += (size_t)n;
  }
  close(fd);
  buf[len] = 0;
  return buf;
}

/* Live processes of the namespace but init and the canaries (zombies are
 * dead); their "pid(comm)" into list when given. */
static int count_survivors(pid_t c1, pid_t c2, pid_t c3, char* list, size_t size) {
  int survivors = 0;
  if (list && size) list[0] = 0;
  DIR* d = opendir("/proc");
  struct dirent* e;
  while (d && (e = readdir(d))) {
    const pid_t p = (pid_t)atoi(e->d_name);
    if (p <= 1 || p == c1 || p == c2 || p == c3) continue;
    char path[64], stat_buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", p);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ssize_t r = read(fd, stat_buf, sizeof stat_buf - 1);
    close(fd);
    if (r <= 0) continue;
    stat_buf[r] = 0;
    char* close_paren = strrchr(stat_buf, ')');
    if (!close_paren || close_paren[2] == 'Z') continue;
    ++survivors;
    if (!list) continue;
    char* open_paren = strchr(stat_buf, '(');
    size_t used = strlen(list);
    snprintf(list + used, size - used, "%s%d%.*s", used ? " " : "", p,
             open_paren ? (int)(close_paren - open_paren + 1) : 0, open_paren ? open_paren : "");
  }
  if (d) closedir(d);
  return survivors;
}

static pid_t start_canary(const char* self, int uid, pid_t join_pgrp) {
  pid_t p = fork();
  if (p < 0) die("fork");
  if (p == 0) {
    if (join_pgrp >= 0) setpgid(0, join_pgrp);
    char uidbuf[16];
    snprintf(uidbuf, sizeof uidbuf, "%d", uid);
    char* argv[] = {"attack-canary", "--canary-mode", uidbuf, NULL};
    char* envp[] = {"ATTACK_SECRET=canary-secret-7d1f", NULL};
    execve(self, argv, envp);
    _exit(121);
  }
  return p;
}

static int canary_main(int uid) {
  if (uid != 0) {
    drop_to_nobody();
    prctl(PR_SET_DUMPABLE, 1);  /* as any process nobody starts itself: its /proc files are nobody's */
  }
  signal(SIGHUP, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  for (;;) pause();
  return 0;
}

int main(int argc, char** argv) {
  if (argc >= 3 && strcmp(argv[1], "--canary-mode") == 0) return canary_main(atoi(argv[2]));
  int i = 1;
  for (; i < argc; ++i) {
    const char* a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--") == 0) { ++i; break; }
    if (strcmp(a, "--as-nobody") == 0) as_nobody = 1;
    else if (strcmp(a, "--canary") == 0) want_canary = 1;
    else if (strcmp(a, "--pty") == 0) use_pty = 1;
    else if (strcmp(a, "--leak-fd") == 0) leak_fd = 1;
    else if (strcmp(a, "--stderr-unread") == 0) stderr_unread = 1;
    else if (!v) { fprintf(stderr, "attack_jail: %s needs a value\n", a); return 2; }
    else if (strcmp(a, "--rw") == 0) rw_dir = argv[++i];
    else if (strcmp(a, "--keep") == 0) { if (nkeep < 8) keep_dirs[nkeep++] = argv[++i]; else ++i; }
    else if (strcmp(a, "--result") == 0) result_file = argv[++i];
    else if (strcmp(a, "--pty-log") == 0) pty_log = argv[++i];
    else if (strcmp(a, "--type") == 0) type_text = argv[++i];
    else if (strcmp(a, "--type-after") == 0) type_after = atol(argv[++i]);
    else if (strcmp(a, "--timeout") == 0) timeout_ms = atol(argv[++i]);
    else if (strcmp(a, "--kill-after") == 0) kill_after = atol(argv[++i]);
    else if (strcmp(a, "--term-after") == 0) term_after = atol(argv[++i]);
    else if (strcmp(a, "--stop-after") == 0) stop_after = atol(argv[++i]);
    else if (strcmp(a, "--grace") == 0) grace_ms = atol(argv[++i]);
    else if (strcmp(a, "--stdout") == 0) stdout_mode = argv[++i];
    else { fprintf(stderr, "attack_jail: unknown option %s\n", a); return 2; }
  }
  if (!rw_dir || !result_file || i >= argc) {
    fprintf(stderr, "usage: attack_jail --rw DIR --result FILE [options] -- COMMAND ARGS...\n");
    return 2;
  }
  char** cmd = argv + i;
  char self[4096];
  ssize_t sn = readlink("/proc/self/exe", self, sizeof self - 1);
  if (sn <= 0) die("readlink /proc/self/exe");
  self[sn] = 0;

  if (unshare(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC) != 0) die("unshare");
  const pid_t outer = getpid();
  pid_t init = fork();
  if (init < 0) die("fork");
  if (init > 0) {
    /* The outer process: waits for the namespace's init and passes on its
     * status. If the test kills us, init's PDEATHSIG ends the namespace. */
    int st = 0;
    while (waitpid(init, &st, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 122;
  }

  /* pid 1 of the new namespace. */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  (void)outer;  /* the parent lives outside the namespace: getppid() is 0 here */
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) die("making / private");
  set_attr("/", MOUNT_ATTR_RDONLY, 0);
  /* Fresh, empty /tmp and /dev/shm of the jail's own (a runner may want a
   * scratch directory), with the test's directory bound back in place. */
  int keep = open(rw_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (keep < 0) die("opening the rw directory");
  /* The directories of the programs the test runs (seccage, the attacks):
   * a build under /tmp would vanish under the fresh tmpfs. */
  int kept[8];
  for (int k = 0; k < nkeep; ++k) {
    kept[k] = open(keep_dirs[k], O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (kept[k] < 0) die("opening a --keep directory");
  }
  for (const char* t = "/tmp\0/dev/shm\0"; *t; t += strlen(t) + 1) {
    if (mount("tmpfs", t, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") != 0) die("mounting a tmpfs");
  }
  char path[4096];
  snprintf(path, sizeof path, "%s", rw_dir);
  for (char* slash = path + 1; (slash = strchr(slash, '/')); ++slash) {  /* mkdir -p, inside a tmpfs */
    *slash = 0;
    mkdir(path, 0755);
    *slash = '/';
  }
  mkdir(path, 0755);
  char from[64];
  snprintf(from, sizeof from, "/proc/self/fd/%d", keep);
  if (mount(from, rw_dir, NULL, MS_BIND | MS_REC, NULL) != 0) die("binding the rw directory");
  close(keep);
  for (int k = 0; k < nkeep; ++k) {  /* back in place, read-only like the rest of the root */
    snprintf(path, sizeof path, "%s", keep_dirs[k]);
    for (char* slash = path + 1; (slash = strchr(slash, '/')); ++slash) {
      *slash = 0;
      mkdir(path, 0755);
      *slash = '/';
    }
    mkdir(path, 0755);
    snprintf(from, sizeof from, "/proc/self/fd/%d", kept[k]);
    if (mount(from, keep_dirs[k], NULL, MS_BIND | MS_REC, NULL) != 0) die("binding a --keep directory");
    close(kept[k]);
  }
  set_attr(rw_dir, 0, MOUNT_ATTR_RDONLY);
  struct stat cg;
  if (stat("/sys/fs/cgroup", &cg) == 0) {
    if (mount("/sys/fs/cgroup", "/sys/fs/cgroup", NULL, MS_BIND | MS_REC, NULL) == 0) set_attr("/sys/fs/cgroup", 0, MOUNT_ATTR_RDONLY);
  }
  /* One /proc, of this namespace, with nothing mounted over any part of it:
   * a runner that mounts a /proc of its own inside a new user namespace is
   * refused (EPERM) unless an existing proc mount is fully visible, so the
   * host's /proc goes away entirely and /proc/sys is NOT covered read-only
   * here. The attack programs only ever read /proc/sys. */
  if (umount2("/proc", MNT_DETACH) != 0) die("unmounting the host's /proc");
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) die("mounting /proc");
  sethostname("attack-jail", 11);

  char* mounts_before = read_all("/proc/self/mountinfo");

  FILE* res = fopen(result_file, "we");
  if (!res) die("opening the result file");

  pid_t canary_root = -1, canary_nobody = -1, canary_pg = -1;
  if (want_canary) {
    canary_root = start_canary(self, 0, -1);
    canary_nobody = start_canary(self, 65534, -1);
    if (!use_pty) canary_pg = start_canary(self, 0, 0);  /* its own group, which COMMAND joins */
  }

  int master = -1, slave = -1;
  if (use_pty) {
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) die("posix_openpt");
    slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) die("opening the pty slave");
  }
  int outpipe[2] = {-1, -1};
  if (strcmp(stdout_mode, "inherit") != 0) {
    if (pipe2(outpipe, O_CLOEXEC) != 0) die("pipe2");
    if (strcmp(stdout_mode, "closed") == 0) {
      close(outpipe[0]);
      outpipe[0] = -1;
    }
  }
  if (want_canary) usleep(20000);  /* let the canaries drop their privileges and block */

  int errpipe[2] = {-1, -1};
  if (stderr_unread && pipe2(errpipe, O_CLOEXEC) != 0) die("pipe2");
  const long start = now_ms();
  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    signal(SIGPIPE, SIG_DFL);
    if (use_pty) {
      setsid();
      if (ioctl(slave, TIOCSCTTY, 0) != 0) die("TIOCSCTTY");
      dup2(slave, 0);
      dup2(slave, 1);
      dup2(slave, 2);
    } else {
      setpgid(0, canary_pg > 0 ? canary_pg : 0);
    }
    if (outpipe[1] >= 0) dup2(outpipe[1], 1);
    if (errpipe[1] >= 0) dup2(errpipe[1], 2);
    if (leak_fd) {
      char path[4096];
      snprintf(path, sizeof path, "%s/leaked-fd-target", rw_dir);
      int fd = open(path, O_RDWR | O_CREAT, 0600);
      if (fd >= 0 && fd != 7) {
        dup2(fd, 7);
        close(fd);
      }
    }
    if (as_nobody) drop_to_nobody();
    execvp(cmd[0], cmd);
    die("exec");
  }
  if (outpipe[1] >= 0) close(outpipe[1]);

  int cmd_status = 0, cmd_done = 0, timed_out = 0, typed = 0, killed = 0, termed = 0, stopped = 0;
  int canary_root_dead = 0, canary_nobody_dead = 0, canary_pg_dead = 0;
  long end = 0;
  FILE* ptyf = pty_log ? fopen(pty_log, "we") : NULL;
  for (;;) {
    const long t = now_ms() - start;
    struct pollfd pf[2];
    int n = 0;
    if (master >= 0) pf[n++] = (struct pollfd){master, POLLIN, 0};
    if (outpipe[0] >= 0 && strcmp(stdout_mode, "head1") == 0) pf[n++] = (struct pollfd){outpipe[0], POLLIN, 0};
    poll(pf, (nfds_t)n, 5);
    for (int k = 0; k < n; ++k) {
      if (!(pf[k].revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      if (pf[k].fd == master) {
        ssize_t r = read(master, buf, sizeof buf);
        if (r > 0 && ptyf) fwrite(buf, 1, (size_t)r, ptyf);
      } else {
        ssize_t r = read(outpipe[0], buf, 1);  /* like head -c1: one byte, then gone */
        (void)r;
        close(outpipe[0]);
        outpipe[0] = -1;
      }
    }
    if (type_text && !typed && t >= type_after && master >= 0) {
      ssize_t w = write(master, type_text, strlen(type_text));
      (void)w;
      typed = 1;
    }
    if (!cmd_done) {
      if (kill_after >= 0 && !killed && t >= kill_after) { kill(child, SIGKILL); killed = 1; }
      if (term_after >= 0 && !termed && t >= term_after) { kill(child, SIGTERM); termed = 1; }
      if (stop_after >= 0 && !stopped && t >= stop_after) { kill(child, SIGSTOP); stopped = 1; }
      if (t >= timeout_ms && !timed_out) {
        timed_out = 1;
        kill(child, SIGKILL);
      }
    }
    for (;;) {
      int st = 0;
      pid_t p = waitpid(-1, &st, WNOHANG);
      if (p <= 0) break;
      if (p == child) { cmd_status = st; cmd_done = 1; end = now_ms(); }
      else if (p == canary_root) canary_root_dead = 1;
      else if (p == canary_nobody) canary_nobody_dead = 1;
      else if (p == canary_pg) canary_pg_dead = 1;
    }
    if (cmd_done && (now_ms() - end >= grace_ms || count_survivors(canary_root, canary_nobody, canary_pg, NULL, 0) == 0)) break;
  }
  /* Survivors: every live process of the namespace but init and the canaries,
   * --grace ms after COMMAND ended (or as soon as there is none). */
  char survivor_list[8192] = "";
  int survivors = count_survivors(canary_root, canary_nobody, canary_pg, survivor_list, sizeof survivor_list);
  if (canary_root > 0 && kill(canary_root, 0) != 0) canary_root_dead = 1;
  if (canary_nobody > 0 && kill(canary_nobody, 0) != 0) canary_nobody_dead = 1;
  if (canary_pg > 0 && kill(canary_pg, 0) != 0) canary_pg_dead = 1;

  char* mounts_after = read_all("/proc/self/mountinfo");
  fprintf(res, "exit=%d\n", WIFEXITED(cmd_status) ? WEXITSTATUS(cmd_status) : -1);
  fprintf(res, "signal=%d\n", WIFSIGNALED(cmd_status) ? WTERMSIG(cmd_status) : 0);
  fprintf(res, "timed_out=%d\n", timed_out);
  fprintf(res, "elapsed_ms=%ld\n", end - start);
  fprintf(res, "canary_root=%s\n", canary_root < 0 ? "none" : canary_root_dead ? "dead" : "alive");
  fprintf(res, "canary_nobody=%s\n", canary_nobody < 0 ? "none" : canary_nobody_dead ? "dead" : "alive");
  fprintf(res, "canary_pg=%s\n", canary_pg < 0 ? "none" : canary_pg_dead ? "dead" : "alive");
  fprintf(res, "survivors=%d\n", survivors);
  fprintf(res, "survivor_list=%s\n", survivor_list);
  fprintf(res, "mounts_changed=%d\n", strcmp(mounts_before, mounts_after) != 0);
  if (slave >= 0) {
    /* The line discipline the user's shell would find: another one (N_NULL
     * discards everything typed and printed) outlives the run. */
    int ldisc = -1;
    ioctl(slave, TIOCGETD, &ldisc);
    fprintf(res, "tty_ldisc=%d\n", ldisc);
    /* Exclusive mode: every later open of the terminal but root's fails. */
    int exclusive = -1;
    ioctl(slave, TIOCGEXCL, &exclusive);
    fprintf(res, "tty_exclusive=%d\n", exclusive);
    /* Echo off: the user types blind. */
    struct termios now;
    fprintf(res, "tty_echo=%d\n", tcgetattr(slave, &now) == 0 ? (now.c_lflag & ECHO) != 0 : -1);
    /* Output stopped (tcflow TCOOFF, as by ^S): the user's shell blocks on
     * its prompt. A byte written without blocking does not go through then;
     * output is started again for what follows. */
    const int flags = fcntl(slave, F_GETFL);
    fcntl(slave, F_SETFL, flags | O_NONBLOCK);
    const ssize_t probe = write(slave, ".", 1);
    fprintf(res, "tty_stopped=%d\n", probe < 0 && errno == EAGAIN);
    tcflow(slave, TCOON);
    fcntl(slave, F_SETFL, flags);
    /* Whatever is left in the terminal's input queue would be read by the
     * user's shell after the run: injected keystrokes. */
    struct termios tio;
    if (tcgetattr(slave, &tio) == 0) {
      cfmakeraw(&tio);
      tio.c_cc[VMIN] = 0;
      tio.c_cc[VTIME] = 0;
      tcsetattr(slave, TCSANOW, &tio);
    }
    char buf[1024];
    ssize_t r = read(slave, buf, sizeof buf - 1);
    fprintf(res, "tty_pending=");
    for (ssize_t k = 0; k < r; ++k) {
      unsigned char c = (unsigned char)buf[k];
      if (c >= 0x20 && c < 0x7f && c != '\\') fputc(c, res);
      else fprintf(res, "\\x%02x", c);
    }
    fputc('\n', res);
    /* Drain what the command wrote last. */
    if (master >= 0 && ptyf) {
      struct pollfd pf = {master, POLLIN, 0};
      while (poll(&pf, 1, 0) > 0 && (pf.revents & POLLIN)) {
        ssize_t m = read(master, buf, sizeof buf);
        if (m <= 0) break;
        fwrite(buf, 1, (size_t)m, ptyf);
      }
    }
  }
  if (ptyf) fclose(ptyf);
  fclose(res);
  return 0;  /* init's end kills whatever is left in the namespace */
}
