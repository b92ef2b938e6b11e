/* Class 1: the supervisor's memory and ptrace. From inside the sandbox, try
 * to write into the parent (seccage) or any other process visible in /proc
 * (the watchdog, the test's canaries, the namespace's init): /proc/PID/mem
 * opened for writing, process_vm_writev, ptrace attach/seize, pidfd_getfd of
 * the parent's descriptors (its seccomp listener among them), reopening the
 * parent's descriptors through /proc/PID/fd, reading another process's
 * environment (the canaries carry a secret there).
 *
 *   attack_proc ATTEMPT
 *
 * Any success is an escape: with write access to seccage's memory or a
 * ptrace attach the program can make the supervisor run anything unfiltered.
 * Nothing is actually changed: bytes written back are the bytes read, and a
 * tracee is detached at once. */
#include "attack.h"

#include <dirent.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

static pid_t parent;

static int for_each_pid(int (*fn)(pid_t, char*, size_t), char* what, size_t size) {
  DIR* d = opendir("/proc");
  if (!d) return 0;
  int hits = 0;
  struct dirent* e;
  while ((e = readdir(d))) {
    pid_t p = (pid_t)atoi(e->d_name);
    if (p <= 0 || p == getpid()) continue;
    hits += fn(p, what, size);
  }
  closedir(d);
  return hits;
}

static void append(char* what, size_t size, const char* fmt, pid_t p) {
  char comm[64] = "?", path[64];
  snprintf(path, sizeof path, "/proc/%d/comm", p);
  if (slurp(path, comm, sizeof comm) > 0) comm[strcspn(comm, "\n")] = 0;
  size_t used = strlen(what);
  if (used + 80 < size) snprintf(what + used, size - used, fmt, p, comm);
}

static int try_mem(pid_t p, char* what, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/mem", p);
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return 0;
  close(fd);
  append(what, size, "mem of %d (%s) opened for writing; ", p);
  return 1;
}

static int try_seize(pid_t p, char* what, size_t size) {
  if (ptrace(PTRACE_SEIZE, p, 0, 0) != 0) return 0;
  append(what, size, "seized %d (%s); ", p);
  return 1;  /* detached when we exit */
}

/* The first writable mapping of pid p: read 8 bytes there and write them back. */
static int vm_write_back(pid_t p) {
  char path[64], maps[65536];
  snprintf(path, sizeof path, "/proc/%d/maps", p);
  if (slurp(path, maps, sizeof maps) <= 0) return -1;
  for (char* line = maps; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    unsigned long lo, hi;
    char perms[8];
    if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[1] != 'w') continue;
    char buf[8];
    struct iovec local = {buf, sizeof buf}, remote = {(void*)lo, sizeof buf};
    if (process_vm_readv(p, &local, 1, &remote, 1, 0) != (ssize_t)sizeof buf) return -1;
    return process_vm_writev(p, &local, 1, &remote, 1, 0) == (ssize_t)sizeof buf ? 1 : -1;
  }
  errno = ENOENT;
  return -1;
}

static int try_vm(pid_t p, char* what, size_t size) {
  if (vm_write_back(p) != 1) return 0;
  append(what, size, "process_vm_writev into %d (%s); ", p);
  return 1;
}

static int try_environ(pid_t p, char* what, size_t size) {
  char path[64], env[65536];
  snprintf(path, sizeof path, "/proc/%d/environ", p);
  int n = slurp(path, env, sizeof env);
  for (int i = 0; i < n; i += (int)strlen(env + i) + 1) {
    if (strncmp(env + i, "ATTACK_SECRET=", 14) == 0) {
      append(what, size, "read the secret in the environment of %d (%s); ", p);
      return 1;
    }
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  begin(argv[1]);
  parent = getppid();
  const char* a = argv[1];
  char what[4096] = "";
  if (parent <= 1 && strcmp(a, "ptrace-any") && strcmp(a, "mem-any") && strcmp(a, "vm-write-any") && strcmp(a, "environ-any")) {
    errno = ESRCH;
    return blocked("the parent is not visible");
  }
  if (strcmp(a, "mem-parent") == 0) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", parent);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd >= 0) return escaped("opened the supervisor's /proc/PPID/mem for writing");
    return blocked("open /proc/PPID/mem O_RDWR");
  }
  if (strcmp(a, "vm-write-parent") == 0) {
    if (vm_write_back(parent) == 1) return escaped("process_vm_writev into the supervisor succeeded");
    return blocked("process_vm_writev");
  }
  if (strcmp(a, "ptrace-attach-parent") == 0) {
    if (ptrace(PTRACE_ATTACH, parent, 0, 0) == 0) {
      int st;
      waitpid(parent, &st, __WALL);
      ptrace(PTRACE_DETACH, parent, 0, 0);
      return escaped("PTRACE_ATTACH to the supervisor succeeded");
    }
    return blocked("PTRACE_ATTACH");
  }
  if (strcmp(a, "ptrace-seize-parent") == 0) {
    if (ptrace(PTRACE_SEIZE, parent, 0, 0) == 0) return escaped("PTRACE_SEIZE of the supervisor succeeded");
    return blocked("PTRACE_SEIZE");
  }
  if (strcmp(a, "ptrace-parent-threads") == 0) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", parent);
    DIR* d = opendir(path);
    int hits = 0;
    struct dirent* e;
    while (d && (e = readdir(d))) {
      pid_t t = (pid_t)atoi(e->d_name);
      if (t > 0 && ptrace(PTRACE_SEIZE, t, 0, 0) == 0) ++hits;
    }
    if (hits) return escaped("seized a thread of the supervisor");
    return blocked("PTRACE_SEIZE of every thread of the parent");
  }
  if (strcmp(a, "pidfd-getfd-parent") == 0) {
    int pidfd = (int)syscall(SYS_pidfd_open, parent, 0);
    if (pidfd < 0) return blocked("pidfd_open of the parent");
    for (int fd = 0; fd < 256; ++fd) {
      long got = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
      if (got >= 0) {
        char link[64], target[256] = "";
        snprintf(link, sizeof link, "/proc/self/fd/%ld", got);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n > 0) target[n] = 0;
        snprintf(what, sizeof what, "took fd %d of the supervisor with pidfd_getfd: %s", fd, target);
        return escaped(what);
      }
    }
    return blocked("pidfd_getfd of every fd of the parent");
  }
  if (strcmp(a, "proc-fd-parent") == 0) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", parent);
    DIR* d = opendir(path);
    struct dirent* e;
    while (d && (e = readdir(d))) {
      if (e->d_name[0] == '.') continue;
      char link[300];
      snprintf(link, sizeof link, "/proc/%d/fd/%s", parent, e->d_name);
      int fd = open(link, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
      if (fd >= 0) {
        char target[256] = "";
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n > 0) target[n] = 0;
        snprintf(what, sizeof what, "reopened the supervisor's fd %s (%s) through /proc", e->d_name, target);
        return escaped(what);
      }
    }
    return blocked("reopening the parent's fds through /proc/PPID/fd");
  }
  if (strcmp(a, "mem-any") == 0) {
    if (for_each_pid(try_mem, what, sizeof what)) return escaped(what);
    return blocked("/proc/PID/mem of every other process");
  }
  if (strcmp(a, "ptrace-any") == 0) {
    if (for_each_pid(try_seize, what, sizeof what)) return escaped(what);
    return blocked("PTRACE_SEIZE of every other process");
  }
  if (strcmp(a, "vm-write-any") == 0) {
    if (for_each_pid(try_vm, what, sizeof what)) return escaped(what);
    return blocked("process_vm_writev into every other process");
  }
  if (strcmp(a, "environ-any") == 0) {
    if (for_each_pid(try_environ, what, sizeof what)) return escaped(what);
    return blocked("reading /proc/PID/environ of every other process");
  }
  return 2;
}
