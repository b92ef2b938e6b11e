/* Class 5: back doors in the presets. Under read-only, every way to change
 * the file system; under no-exec, every way to run another program; under
 * no-network, every way to get a network socket.
 *
 *   attack_fs ATTEMPT DIR
 *
 * DIR (world-writable, made fresh by the test for every attempt) holds
 * DIR/victim ("VICTIM\n", mode 0666), DIR/empty (an empty directory) and
 * DIR/mnt (a directory holding DIR/mnt/inside). The test compares DIR
 * before and after (names, sizes, modes, times, attribute flags, xattrs)
 * and the namespace's mount table; the program says ESCAPE when a call
 * succeeded. The i386 socketcall() cannot be tried: int 0x80 does not run on
 * these VMs (no IA32 emulation), see the test. */
#include "attack.h"

#include <linux/fs.h>
#include <linux/openat2.h>
#include <mqueue.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#define X32 0x40000000L

static char victim[4096], path[4096], path2[4096];

static int result(long rc, const char* what) {
  char msg[300];
  if (rc >= 0) {
    snprintf(msg, sizeof msg, "%s succeeded", what);
    return escaped(msg);
  }
  return blocked(what);
}

static int exec_marker(long rc, const char* what) {
  /* Only reached when the exec failed. */
  (void)rc;
  return blocked(what);
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  begin(argv[1]);
  const char* a = argv[1];
  const char* dir = argv[2];
  snprintf(victim, sizeof victim, "%s/victim", dir);
  snprintf(path, sizeof path, "%s/new", dir);
  snprintf(path2, sizeof path2, "%s/empty", dir);
  char* sh_argv[] = {"/bin/sh", "-c", "echo EXEC-ESCAPE-MARKER", NULL};
  char* envp[] = {NULL};

  /* ---- read-only ---- */
  if (!strcmp(a, "open-wronly")) {
    int fd = open(victim, O_WRONLY);
    if (fd >= 0 && write(fd, "X", 1) == 1) return escaped("open O_WRONLY and wrote");
    return blocked("open O_WRONLY");
  }
  if (!strcmp(a, "open-rdwr")) return result(open(victim, O_RDWR), "open O_RDWR");
  if (!strcmp(a, "open-creat")) return result(open(path, O_RDONLY | O_CREAT, 0644), "open O_RDONLY|O_CREAT");
  if (!strcmp(a, "open-trunc")) return result(open(victim, O_RDONLY | O_TRUNC), "open O_RDONLY|O_TRUNC");
  if (!strcmp(a, "open-tmpfile")) {
    int fd = open(dir, O_WRONLY | O_TMPFILE, 0644);
    if (fd < 0) return blocked("open O_TMPFILE");
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    return result(linkat(AT_FDCWD, p, AT_FDCWD, path, AT_SYMLINK_FOLLOW), "O_TMPFILE then linkat");
  }
  if (!strcmp(a, "creat")) return result(creat(path, 0644), "creat");
  if (!strcmp(a, "openat2-creat")) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = O_WRONLY | O_CREAT;
    how.mode = 0644;
    return result(syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how), "openat2 O_CREAT");
  }
  if (!strcmp(a, "truncate")) return result(truncate(victim, 0), "truncate");
  if (!strcmp(a, "chmod")) return result(chmod(victim, 0600), "chmod");
  if (!strcmp(a, "fchmod")) return result(fchmod(open(victim, O_RDONLY), 0600), "fchmod of a read-only fd");
  if (!strcmp(a, "fchmodat2")) return result(syscall(452, AT_FDCWD, victim, 0600, 0), "fchmodat2");
  if (!strcmp(a, "utimensat")) {
    struct timespec ts[2] = {{1, 0}, {1, 0}};
    return result(utimensat(AT_FDCWD, victim, ts, 0), "utimensat");
  }
  if (!strcmp(a, "futimens")) {
    struct timespec ts[2] = {{1, 0}, {1, 0}};
    return result(futimens(open(victim, O_RDONLY), ts), "futimens of a read-only fd");
  }
  if (!strcmp(a, "utimes")) {
    struct timeval tv[2] = {{1, 0}, {1, 0}};
    return result(utimes(victim, tv), "utimes");
  }
  if (!strcmp(a, "setxattr")) return result(setxattr(victim, "user.attack", "x", 1, 0), "setxattr user.attack");
  if (!strcmp(a, "fsetxattr")) return result(fsetxattr(open(victim, O_RDONLY), "user.attack", "x", 1, 0), "fsetxattr");
  if (!strcmp(a, "setxattrat")) {
    struct { unsigned long long value; unsigned size, flags; } args = {(unsigned long)"x", 1, 0};
    return result(syscall(463, AT_FDCWD, victim, 0, "user.attack", &args, sizeof args), "setxattrat");
  }
  if (!strcmp(a, "file_setattr")) {
    /* Linux 6.17: struct file_attr { u64 fa_xflags; u32 extsize, nextents, projid, cowextsize; } */
    struct { unsigned long long xflags; unsigned extsize, nextents, projid, cowextsize; } fa;
    memset(&fa, 0, sizeof fa);
    if (syscall(468, AT_FDCWD, victim, &fa, sizeof fa, 0) != 0) memset(&fa, 0, sizeof fa);  /* file_getattr */
    fa.xflags |= 0x00000080; /* FS_XFLAG_NODUMP */
    return result(syscall(469, AT_FDCWD, victim, &fa, sizeof fa, 0), "file_setattr FS_XFLAG_NODUMP");
  }
  if (!strcmp(a, "ioctl-setflags")) {
    int fd = open(victim, O_RDONLY);
    int flags = 0;
    ioctl(fd, FS_IOC_GETFLAGS, &flags);
    flags |= FS_NODUMP_FL;
    return result(ioctl(fd, FS_IOC_SETFLAGS, &flags), "ioctl FS_IOC_SETFLAGS nodump on a read-only fd");
  }
  if (!strcmp(a, "ioctl-fssetxattr")) {
    int fd = open(victim, O_RDONLY);
    struct fsxattr fx;
    memset(&fx, 0, sizeof fx);
    ioctl(fd, FS_IOC_FSGETXATTR, &fx);
    fx.fsx_xflags |= FS_XFLAG_NODUMP;
    return result(ioctl(fd, FS_IOC_FSSETXATTR, &fx), "ioctl FS_IOC_FSSETXATTR nodump on a read-only fd");
  }
  if (!strcmp(a, "bind-unix")) {
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sun;
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
    return result(bind(s, (struct sockaddr*)&sun, sizeof sun), "bind of an AF_UNIX path");
  }
  if (!strcmp(a, "mkdir")) return result(mkdir(path, 0755), "mkdir");
  if (!strcmp(a, "mknod")) return result(mknod(path, S_IFIFO | 0644, 0), "mknod FIFO");
  if (!strcmp(a, "mkfifo")) return result(mkfifoat(AT_FDCWD, path, 0644), "mkfifo");
  if (!strcmp(a, "link")) return result(link(victim, path), "link");
  if (!strcmp(a, "symlink")) return result(symlink(victim, path), "symlink");
  if (!strcmp(a, "rename")) return result(rename(victim, path), "rename");
  if (!strcmp(a, "renameat2")) return result(syscall(SYS_renameat2, AT_FDCWD, victim, AT_FDCWD, path, 0), "renameat2");
  if (!strcmp(a, "unlink")) return result(unlink(victim), "unlink");
  if (!strcmp(a, "rmdir")) return result(rmdir(path2), "rmdir");
  if (!strcmp(a, "chown")) return result(chown(victim, 1, 1), "chown");
  if (!strcmp(a, "mq_open")) return result(mq_open("/seccage-attack", O_RDWR | O_CREAT, 0600, NULL), "mq_open O_CREAT");
  if (!strcmp(a, "acct")) {
    /* Process accounting appends a record to the victim for every process that ends. */
    long rc = syscall(SYS_acct, victim);
    if (rc == 0) {
      if (fork() == 0) _exit(0);
      wait(NULL);
      syscall(SYS_acct, NULL);
    }
    return result(rc, "acct(victim)");
  }
  if (!strcmp(a, "mount")) {
    char mnt[4096];
    snprintf(mnt, sizeof mnt, "%s/mnt", dir);
    return result(mount("tmpfs", mnt, "tmpfs", 0, NULL), "mount tmpfs over DIR/mnt");
  }
  if (!strcmp(a, "x32-mkdir")) return result(syscall(X32 | 83, path, 0755), "x32 mkdir");
  if (!strcmp(a, "x32-open-creat")) return result(syscall(X32 | 2, path, O_WRONLY | O_CREAT, 0644), "x32 open O_CREAT");

  /* ---- no-exec: success shows as EXEC-ESCAPE-MARKER on stdout ---- */
  if (!strcmp(a, "execve")) return exec_marker(execve("/bin/sh", sh_argv, envp), "execve");
  if (!strcmp(a, "execveat")) return exec_marker(syscall(SYS_execveat, AT_FDCWD, "/bin/sh", sh_argv, envp, 0), "execveat");
  if (!strcmp(a, "fexecve")) {
    int fd = open("/bin/sh", O_PATH | O_CLOEXEC);
    return exec_marker(syscall(SYS_execveat, fd, "", sh_argv, envp, AT_EMPTY_PATH), "execveat(fd, \"\", AT_EMPTY_PATH)");
  }
  if (!strcmp(a, "memfd-exec")) {
    int src = open("/bin/dash", O_RDONLY);
    if (src < 0) src = open("/bin/sh", O_RDONLY);
    int m = memfd_create("attack", MFD_CLOEXEC);
    char buf[65536];
    ssize_t n;
    while ((n = read(src, buf, sizeof buf)) > 0)
      if (write(m, buf, (size_t)n) != n) break;
    return exec_marker(syscall(SYS_execveat, m, "", sh_argv, envp, AT_EMPTY_PATH), "memfd_create + execveat");
  }
  if (!strcmp(a, "x32-execve")) return exec_marker(syscall(X32 | 520, "/bin/sh", sh_argv, envp), "x32 execve");
  if (!strcmp(a, "vfork-execve")) {
    pid_t p = vfork();
    if (p == 0) {
      execve("/bin/sh", sh_argv, envp);
      _exit(99);
    }
    int st = 0;
    waitpid(p, &st, 0);
    errno = EPERM;
    return blocked("vfork + execve");
  }

  /* ---- no-network ---- */
  if (!strcmp(a, "socket-inet")) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return blocked("socket AF_INET");
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(1);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connect(s, (struct sockaddr*)&sin, sizeof sin);
    return escaped("socket AF_INET created (and a loopback connect tried)");
  }
  if (!strcmp(a, "socket-inet6")) return result(socket(AF_INET6, SOCK_DGRAM, 0), "socket AF_INET6");
  if (!strcmp(a, "socket-packet")) return result(socket(AF_PACKET, SOCK_RAW, 0), "socket AF_PACKET");
  if (!strcmp(a, "socket-netlink")) return result(socket(AF_NETLINK, SOCK_RAW, 0), "socket AF_NETLINK");
  if (!strcmp(a, "socketpair-inet")) {
    int sv[2];
    return result(socketpair(AF_INET, SOCK_STREAM, 0, sv), "socketpair AF_INET");
  }
  if (!strcmp(a, "x32-socket")) return result(syscall(X32 | 41, AF_INET, SOCK_STREAM, 0), "x32 socket AF_INET");
  if (!strcmp(a, "socket-hibits")) return result(syscall(SYS_socket, 0x100000002UL, SOCK_STREAM, 0), "socket(0x100000002)");
  return 2;
}
