// Each preset's denials tried against the real kernel (tests/run_presets_test.cpp):
// tries each operation named on the command line in directory argv[1] and
// prints "NAME ok" or "NAME E<errno>", one line each.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

static char dir[4096];
// Two buffers in turn: link(at("f"), at("g")) needs both at once.
static const char* at(const char* name) {
  static char buf[2][8192];
  static int turn;
  turn ^= 1;
  snprintf(buf[turn], sizeof buf[turn], "%s/%s", dir, name);
  return buf[turn];
}
static int ro(const char* name) { return open(at(name), O_RDONLY); }

// A ring, then IORING_OP_MKDIRAT of `path`: what the filter cannot see.
static long uring_mkdir(const char* path) {
  struct io_uring_params p;
  memset(&p, 0, sizeof p);
  int fd = (int)syscall(__NR_io_uring_setup, 4, &p);
  if (fd < 0) return -1;
  size_t sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
  char* sq = mmap(0, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, IORING_OFF_SQ_RING);
  struct io_uring_sqe* sqes = mmap(0, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE, MAP_SHARED,
                                   fd, IORING_OFF_SQES);
  if (sq == MAP_FAILED || sqes == MAP_FAILED) return -1;
  memset(&sqes[0], 0, sizeof sqes[0]);
  sqes[0].opcode = IORING_OP_MKDIRAT;
  sqes[0].fd = AT_FDCWD;
  sqes[0].addr = (unsigned long)path;
  sqes[0].len = 0755;
  unsigned* tail = (unsigned*)(sq + p.sq_off.tail);
  ((unsigned*)(sq + p.sq_off.array))[*tail & *(unsigned*)(sq + p.sq_off.ring_mask)] = 0;
  __atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
  return syscall(__NR_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, 0, 0);
}

static long run(const char* op) {
  struct sockaddr_un un = {.sun_family = AF_UNIX};
  int flags = 0;
  if (!strcmp(op, "file_setattr")) {
    unsigned long long attr[3] = {0x80 /* FS_XFLAG_NODUMP */, 0, 0};
    return syscall(469, AT_FDCWD, at("f"), attr, 24, 0);
  }
  if (!strncmp(op, "setflags", 8)) {
    int fd = ro("f");
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags)) return -1;
    flags |= FS_NODUMP_FL;
    unsigned long request = FS_IOC_SETFLAGS;
    if (!strcmp(op, "setflags_highbits")) request |= 0xffffffff00000000ul;  // the kernel reads 32 bits
    return syscall(__NR_ioctl, fd, request, &flags);
  }
  if (!strcmp(op, "fssetxattr")) {
    struct fsxattr fa;
    int fd = ro("f");
    if (ioctl(fd, FS_IOC_FSGETXATTR, &fa)) return -1;
    fa.fsx_xflags |= FS_XFLAG_NODUMP;
    return ioctl(fd, FS_IOC_FSSETXATTR, &fa);
  }
  if (!strcmp(op, "ficlone")) return ioctl(ro("f"), FICLONE, ro("f"));
  if (!strcmp(op, "bind_unix")) {
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    snprintf(un.sun_path, sizeof un.sun_path, "%s", at("sock"));
    return bind(s, (struct sockaddr*)&un, sizeof un);
  }
  if (!strcmp(op, "open_write")) return open(at("f"), O_WRONLY);
  if (!strcmp(op, "open_creat")) return open(at("new"), O_RDONLY | O_CREAT, 0644);
  if (!strcmp(op, "open_trunc")) return open(at("f"), O_RDONLY | O_TRUNC);
  if (!strcmp(op, "openat2")) {
    unsigned long long how[3] = {O_WRONLY | O_CREAT, 0644, 0};
    return syscall(__NR_openat2, AT_FDCWD, at("new"), how, sizeof how);
  }
  if (!strcmp(op, "creat")) return creat(at("new"), 0644);
  if (!strcmp(op, "mkdir")) return mkdir(at("d"), 0755);
  if (!strcmp(op, "rmdir")) return rmdir(at("sub"));
  if (!strcmp(op, "unlink")) return unlink(at("f"));
  if (!strcmp(op, "rename")) return rename(at("f"), at("g"));
  if (!strcmp(op, "link")) return link(at("f"), at("g"));
  if (!strcmp(op, "symlink")) return symlink("f", at("g"));
  if (!strcmp(op, "mknod")) return mknod(at("fifo"), S_IFIFO | 0644, 0);
  if (!strcmp(op, "chmod")) return chmod(at("f"), 0600);
  if (!strcmp(op, "fchmod")) return fchmod(ro("f"), 0600);
  if (!strcmp(op, "fchmodat2")) return syscall(452, AT_FDCWD, at("f"), 0600, 0);
  if (!strcmp(op, "chown")) return chown(at("f"), 1, 1);
  if (!strcmp(op, "truncate")) return truncate(at("f"), 0);
  if (!strcmp(op, "ftruncate")) return ftruncate(ro("f"), 0);
  if (!strcmp(op, "fallocate")) return fallocate(ro("f"), 0, 0, 1 << 20);
  if (!strcmp(op, "utimensat")) return utimensat(AT_FDCWD, at("f"), NULL, 0);
  if (!strcmp(op, "setxattr")) return setxattr(at("f"), "user.x", "1", 1, 0);
  if (!strcmp(op, "fsetxattr")) return fsetxattr(ro("f"), "user.x", "1", 1, 0);
  if (!strcmp(op, "removexattr")) return removexattr(at("f"), "user.keep");
  if (!strcmp(op, "mq_open")) return mq_open("/seccage-test-q", O_RDWR | O_CREAT, 0600, NULL);
  if (!strcmp(op, "io_uring_setup")) {
    struct io_uring_params p;
    memset(&p, 0, sizeof p);
    return syscall(__NR_io_uring_setup, 4, &p);
  }
  if (!strcmp(op, "io_uring_mkdir")) return uring_mkdir(at("d"));
  if (!strcmp(op, "socket_inet")) return socket(AF_INET, SOCK_STREAM, 0);
  if (!strcmp(op, "socket_inet6")) return socket(AF_INET6, SOCK_DGRAM, 0);
  if (!strcmp(op, "socket_netlink")) return socket(AF_NETLINK, SOCK_RAW, 0);
  if (!strcmp(op, "socket_packet")) return socket(AF_PACKET, SOCK_RAW, 0);
  if (!strcmp(op, "socket_inet_highbits")) return syscall(__NR_socket, 0x100000000ul | AF_INET, SOCK_STREAM, 0);
  if (!strcmp(op, "socket_unix")) return socket(AF_UNIX, SOCK_STREAM, 0);
  if (!strcmp(op, "socketpair_unix")) {
    int sv[2];
    return socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  }
  if (!strcmp(op, "ptrace")) return ptrace(PTRACE_ATTACH, getppid(), 0, 0);
  if (!strcmp(op, "process_vm_writev")) {
    char b = 0;
    struct iovec l = {&b, 1}, r = {&b, 1};
    return process_vm_writev(getpid(), &l, 1, &r, 1, 0);
  }
  if (!strcmp(op, "pidfd_getfd")) {
    int pidfd = (int)syscall(__NR_pidfd_open, getpid(), 0);
    return syscall(__NR_pidfd_getfd, pidfd, 0, 0);
  }
  if (!strcmp(op, "execve")) {
    char* argv[] = {"/bin/true", NULL};
    return execve("/bin/true", argv, environ);
  }
  if (!strcmp(op, "execveat")) {
    char* argv[] = {"true", NULL};
    return syscall(__NR_execveat, AT_FDCWD, "/bin/true", argv, environ, 0);
  }
  if (!strcmp(op, "memfd_exec")) {
    int m = memfd_create("x", 0), t = open("/bin/true", O_RDONLY);
    char buf[65536];
    ssize_t n;
    while ((n = read(t, buf, sizeof buf)) > 0) write(m, buf, n);
    char* argv[] = {"true", NULL};
    return syscall(__NR_execveat, m, "", argv, environ, AT_EMPTY_PATH);
  }
  if (!strcmp(op, "uselib")) return syscall(__NR_uselib, "/nonexistent");
  if (!strcmp(op, "fcntl_setown")) return fcntl(0, F_SETOWN, getpid());
  if (!strcmp(op, "fcntl_getfl")) return fcntl(0, F_GETFL);
  if (!strcmp(op, "sethostname")) {
    char h[256];
    gethostname(h, sizeof h);
    return sethostname(h, strlen(h));
  }
  fprintf(stderr, "unknown op %s\n", op);
  exit(2);
}

int main(int argc, char** argv) {
  snprintf(dir, sizeof dir, "%s", argv[1]);
  for (int i = 2; i < argc; ++i) {
    errno = 0;
    long r = run(argv[i]);
    if (r < 0) printf("%s E%d\n", argv[i], errno);
    else printf("%s ok\n", argv[i]);
    fflush(stdout);
  }
  return 0;
}
