/* Class 10: reaching past the sandbox through kernel state it shares with
 * the host: keyrings, cgroups, mounts, file handles, ptrace options.
 *
 *   attack_escape ATTEMPT
 *   attack_escape keyring-host COMMAND ARGS...
 *   attack_escape in-cgroup DIR COMMAND ARGS...
 *
 * keyring: the caller's session keyring. keyring-host (the test's wrapper,
 *   outside seccage) joins a session keyring of its own, puts a secret key
 *   in it, runs COMMAND, and then looks for a key the program added. The
 *   program searches its session keyring for the secret, reads it, and adds
 *   a key of its own there. Either succeeding is an escape: the caller's
 *   keys (kerberos tickets, disk keys) read by the program, or a key planted
 *   in the caller's session that outlives the run.
 * cgroup-into: clone3(CLONE_INTO_CGROUP) with a descriptor of the root of
 *   every cgroup2 mount: no write to the (read-only) cgroupfs is needed, and
 *   a child that lands outside the program's own cgroup has left the run's
 *   limits (on a pure cgroup v2 machine: memory, pids and cpu). in-cgroup
 *   (the test's helper, outside seccage) moves itself into the cgroup2
 *   directory DIR and runs COMMAND: there a control can show the escape, and
 *   seccage runs in a cgroup of the caller's that is not the root.
 * umount-proc: in a new mount namespace (same user namespace, so nothing is
 *   locked), unmount /proc: the host's /proc under it shows every process of
 *   the machine.
 * nested-mount: in a new user and mount namespace (where the program is
 *   root), mount a tmpfs: the mount family must stay refused there too.
 * open-by-handle: name_to_handle_at + open_by_handle_at of a file by handle,
 *   which bypasses every directory's permissions.
 * suspend-seccomp: traces its own child with PTRACE_O_SUSPEND_SECCOMP, which
 *   would run the child without any filter.
 * sysv-shm KEY: attaches the System V shared memory segment KEY, made
 *   outside the sandbox by sysv-host (root's, mode 0600), and writes into
 *   it: the sandbox shares the host's IPC namespace. sysv-host KEY COMMAND
 *   ARGS... (the test's wrapper, outside seccage) makes the segment, runs
 *   COMMAND, and says whether the segment was written.
 * shm-plant NAME: makes /dev/shm/NAME and fills it with 1 MiB. shm-left NAME
 *   COMMAND ARGS... (the test's wrapper, outside seccage) runs COMMAND and
 *   then says whether /dev/shm/NAME outlived it: a file in memory nobody
 *   accounts for after the run, and one a later run of the same user finds.
 * shm-write NAME: writes into /dev/shm/NAME, a POSIX shared memory object
 *   made outside the sandbox by shm-host (root's, mode 0600), as sysv-shm
 *   does with System V's. shm-host NAME COMMAND ARGS... makes it, runs
 *   COMMAND, and says whether it was written.
 * request-key: request_key with a callout, which makes the kernel run
 *   /sbin/request-key as root in the host's namespaces (ENOENT where it is
 *   not installed: the kernel tried). Anything but EPERM/ENOSYS is an escape.
 * nested-pidns: clone3 into new user and PID namespaces; the child (init of
 *   its namespace) forks a grandchild, both ignore every signal they can and
 *   sleep; the program exits at once. The test counts survivors. */
#include "attack.h"

#include <dirent.h>
#include <linux/keyctl.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/stat.h>

#ifndef PTRACE_O_SUSPEND_SECCOMP
#define PTRACE_O_SUSPEND_SECCOMP (1 << 21)
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

static const char* kSecret = "seccage-attack-secret";
static const char* kPlanted = "seccage-attack-planted";

/* Runs cmd (seccage running the attack, as the test passes it) and waits
 * for it; -1 when it cannot be started. */
static int run_and_wait(char** cmd) {
  pid_t c = fork();
  if (c < 0) return -1;
  if (c == 0) {
    execv(cmd[0], cmd);
    _exit(127);
  }
  int st = 0;
  waitpid(c, &st, 0);
  return 0;
}

static long key_search(const char* desc) {
  return syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, "user", desc, 0);
}

static int keyring_host(char** cmd) {
  if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "seccage-attack-session") < 0) return blocked("joining a session keyring");
  if (syscall(SYS_add_key, "user", kSecret, "TOPSECRET", 9, KEY_SPEC_SESSION_KEYRING) < 0) return blocked("add_key");
  if (run_and_wait(cmd) != 0) return blocked("fork");
  if (key_search(kPlanted) >= 0) return escaped("a key the program added is in the caller's session keyring after the run");
  errno = 0;
  return blocked("no key of the program's in the caller's session keyring");
}

/* The unified (v2) cgroup of this process, from /proc/self/cgroup. */
static int own_v2_cgroup(char* out, size_t size) {
  char text[4096];
  if (slurp("/proc/self/cgroup", text, sizeof text) < 0) return -1;
  for (char* line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    if (strncmp(line, "0::", 3) == 0) {
      snprintf(out, size, "%s", line + 3);
      return 0;
    }
  }
  return -1;
}

static int cgroup_into(void) {
  char own[1024];
  if (own_v2_cgroup(own, sizeof own) != 0) return blocked("no cgroup v2 line in /proc/self/cgroup");
  say("own cgroup %s\n", own);
  FILE* f = fopen("/proc/self/mountinfo", "r");
  if (!f) return blocked("mountinfo");
  char line[4096];
  int tried = 0;
  while (fgets(line, sizeof line, f)) {
    char root[1024], point[1024];
    const char* sep = strstr(line, " - cgroup2 ");
    if (!sep || sscanf(line, "%*s %*s %*s %1023s %1023s", root, point) != 2) continue;
    int dir = open(point, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) continue;
    ++tried;
    int p[2];
    if (pipe(p) != 0) return blocked("pipe");
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_INTO_CGROUP;
    args.exit_signal = SIGCHLD;
    args.cgroup = (unsigned long long)dir;
    long c = syscall(SYS_clone3, &args, sizeof args);
    if (c == 0) {
      char where[1024] = "";
      own_v2_cgroup(where, sizeof where);
      ssize_t w = write(p[1], where, strlen(where));
      (void)w;
      _exit(0);
    }
    int err = errno;
    close(p[1]);
    close(dir);
    if (c < 0) {
      errno = err;
      blocked(point);
      close(p[0]);
      continue;
    }
    char where[1024] = "";
    ssize_t n = read(p[0], where, sizeof where - 1);
    if (n > 0) where[n] = 0;
    close(p[0]);
    waitpid((pid_t)c, NULL, 0);
    if (n > 0 && strcmp(where, own) != 0) {
      char what[4200];
      snprintf(what, sizeof what, "a child cloned into %s (mount root %s) runs in cgroup %s, outside its own %s", point, root,
               where, own);
      return escaped(what);
    }
  }
  fclose(f);
  if (!tried) errno = ENOENT;
  return blocked("clone3(CLONE_INTO_CGROUP) into the root of every cgroup2 mount");
}

static int count_pids(void) {
  DIR* d = opendir("/proc");
  if (!d) return -1;
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)))
    if (atoi(e->d_name) > 0) ++n;
  closedir(d);
  return n;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  begin(argv[1]);
  const char* a = argv[1];
  if (!strcmp(a, "keyring-host")) return argc > 2 ? keyring_host(argv + 2) : 2;
  if (!strcmp(a, "in-cgroup")) {
    if (argc < 4) return 2;
    char procs[4096], pid[32];
    snprintf(procs, sizeof procs, "%s/cgroup.procs", argv[2]);
    snprintf(pid, sizeof pid, "%d", getpid());
    int fd = open(procs, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, pid, strlen(pid)) < 0) return blocked("moving into the cgroup");
    close(fd);
    execv(argv[3], argv + 3);
    return blocked("exec");
  }
  if (!strcmp(a, "keyring")) {
    long id = key_search(kSecret);
    if (id >= 0) {
      char buf[64] = "";
      long n = syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof buf - 1);
      if (n > 0) {
        char what[160];
        snprintf(what, sizeof what, "read the caller's key %s: \"%s\"", kSecret, buf);
        escaped(what);
      }
    }
    if (syscall(SYS_add_key, "user", kPlanted, "x", 1, KEY_SPEC_SESSION_KEYRING) < 0) return blocked("add_key");
    say("added %s to the session keyring\n", kPlanted);
    return 0;
  }
  if (!strcmp(a, "cgroup-into")) return cgroup_into();
  if (!strcmp(a, "umount-proc")) {
    int before = count_pids();
    if (unshare(CLONE_NEWNS) != 0) return blocked("unshare(CLONE_NEWNS)");
    if (umount2("/proc", MNT_DETACH) != 0) return blocked("umount2 /proc");
    char what[128];
    snprintf(what, sizeof what, "unmounted /proc: %d processes visible, %d before", count_pids(), before);
    return escaped(what);
  }
  if (!strcmp(a, "nested-mount")) {
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) return blocked("unshare(CLONE_NEWUSER|CLONE_NEWNS)");
    if (mount("none", "/tmp", "tmpfs", 0, NULL) != 0) return blocked("mount tmpfs in a nested user namespace");
    return escaped("mounted a tmpfs in a nested user namespace");
  }
  if (!strcmp(a, "open-by-handle")) {
    struct {
      struct file_handle h;
      unsigned char bytes[128];
    } fh;
    fh.h.handle_bytes = sizeof fh.bytes;
    int mount_id = 0;
    if (name_to_handle_at(AT_FDCWD, "/etc/passwd", &fh.h, &mount_id, 0) != 0) return blocked("name_to_handle_at");
    int mfd = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int fd = open_by_handle_at(mfd, &fh.h, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) return escaped("opened /etc/passwd by file handle");
    return blocked("open_by_handle_at");
  }
  if (!strcmp(a, "sysv-host")) {
    if (argc < 4) return 2;
    int id = shmget((key_t)strtol(argv[2], NULL, 0), 4096, IPC_CREAT | IPC_EXCL | 0600);
    if (id < 0) return blocked("making the segment");
    char* mem = shmat(id, NULL, 0);
    if (mem == (void*)-1) return blocked("shmat");
    if (run_and_wait(argv + 3) != 0) return blocked("fork");
    shmctl(id, IPC_RMID, NULL);  /* after the run: removing it frees the key */
    if (!memcmp(mem, "PWNED", 5)) return escaped("the segment made outside the sandbox was written");
    errno = 0;
    return blocked("the segment is unchanged");
  }
  if (!strcmp(a, "sysv-shm")) {
    if (argc < 3) return 2;
    int id = shmget((key_t)strtol(argv[2], NULL, 0), 0, 0);
    if (id < 0) return blocked("shmget of the host's segment");
    char* mem = shmat(id, NULL, 0);
    if (mem == (void*)-1) return blocked("shmat");
    memcpy(mem, "PWNED", 6);
    return escaped("attached the host's System V shared memory segment and wrote into it");
  }
  if (!strcmp(a, "shm-plant")) {
    if (argc < 3) return 2;
    char path[256];
    snprintf(path, sizeof path, "/dev/shm/%s", argv[2]);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return blocked("creating the file in /dev/shm");
    static char chunk[65536];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 16; ++i)
      if (write(fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk) return blocked("filling the file");
    say("planted %s\n", path);
    return 0;
  }
  if (!strcmp(a, "shm-left") || !strcmp(a, "shm-host")) {
    if (argc < 4) return 2;
    char path[256];
    snprintf(path, sizeof path, "/dev/shm/%s", argv[2]);
    unlink(path);
    const int host = !strcmp(a, "shm-host");
    if (host) {
      int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0 || write(fd, "SECRET", 6) != 6) return blocked("making the host's object");
      close(fd);
    }
    if (run_and_wait(argv + 3) != 0) return blocked("fork");
    char buf[16] = "";
    const int n = slurp(path, buf, sizeof buf);
    unlink(path);
    if (host && n >= 5 && !memcmp(buf, "PWNED", 5)) return escaped("the POSIX shared memory object made outside the sandbox was written");
    if (!host && n >= 0) return escaped("a file the program made in /dev/shm outlived the run");
    errno = 0;
    return blocked(host ? "the object is unchanged" : "nothing left in /dev/shm");
  }
  if (!strcmp(a, "shm-write")) {
    if (argc < 3) return 2;
    char path[256];
    snprintf(path, sizeof path, "/dev/shm/%s", argv[2]);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) return blocked("opening the host's object");
    if (write(fd, "PWNED", 5) != 5) return blocked("writing the host's object");
    return escaped("wrote into the host's POSIX shared memory object");
  }
  if (!strcmp(a, "request-key")) {
    long r = syscall(SYS_request_key, "user", "debug:seccage-attack", "callout", KEY_SPEC_SESSION_KEYRING);
    if (r < 0 && (errno == EPERM || errno == ENOSYS)) return blocked("request_key with a callout");
    char what[160];
    snprintf(what, sizeof what, "the kernel ran (or tried to run) the host's request-key helper: %ld (%s)", r, strerror(errno));
    return escaped(what);
  }
  if (!strcmp(a, "nested-pidns")) {
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_NEWUSER | CLONE_NEWPID;
    args.exit_signal = SIGCHLD;
    long c = syscall(SYS_clone3, &args, sizeof args);
    if (c < 0) return blocked("clone3(CLONE_NEWUSER|CLONE_NEWPID)");
    if (c == 0) {
      for (int s = 1; s < 65; ++s) signal(s, SIG_IGN);
      setsid();
      if (fork() == 0) setsid();
      for (;;) pause();
    }
    say("started a nested PID namespace, pid %ld\n", c);
    return 0;
  }
  if (!strcmp(a, "suspend-seccomp")) {
    pid_t c = fork();
    if (c < 0) return blocked("fork");
    if (c == 0) {
      ptrace(PTRACE_TRACEME, 0, 0, 0);
      raise(SIGSTOP);
      _exit(0);
    }
    int st = 0;
    waitpid(c, &st, 0);
    long r = ptrace(PTRACE_SETOPTIONS, c, 0, PTRACE_O_SUSPEND_SECCOMP | PTRACE_O_EXITKILL);
    int err = errno;
    kill(c, SIGKILL);
    waitpid(c, &st, 0);
    if (r == 0) return escaped("PTRACE_O_SUSPEND_SECCOMP accepted on a traced child");
    errno = err;
    return blocked("PTRACE_O_SUSPEND_SECCOMP");
  }
  return 2;
}
