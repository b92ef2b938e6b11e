#include "sandbox/init.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "seccage/kernel.hpp"
#include "seccage/sandbox.hpp"

namespace seccage::sandbox {
namespace {

[[noreturn]] void fail(const LaunchPlan& lp, std::int32_t stage, int err) noexcept {
  send_launch_message(lp.status_fd, LaunchMessage{LaunchMessage::SetupFailed, err, stage});
  ::_exit(kStatusFailed);
}

// SIGTERM counts only from seccage: a signal from an ancestor PID namespace
// shows si_pid 0, and no process can forge SI_USER for another one (the
// kernel refuses si_code >= 0 from sigqueue to another process).
bool from_seccage(const InitPlan& ip, const siginfo_t& si) {
  if (si.si_code != SI_USER) return false;
  return ip.pid_namespace ? si.si_pid == 0 : si.si_pid == ip.seccage;
}

// Without a PID namespace: kills every descendant. The init is a child
// subreaper, so each process whose parent dies comes to it; each round kills
// the current children, and waiting for one to die brings its orphans up.
// /proc/self/task/TID/children is read into a fixed buffer: no allocation
// after fork.
void kill_descendants_as_subreaper(pid_t launcher) noexcept {
  ::kill(-launcher, SIGKILL);
  char path[64] = "/proc/self/task/";
  {
    char digits[16];
    int n = 0;
    for (pid_t p = ::getpid(); p > 0; p /= 10) digits[n++] = static_cast<char>('0' + p % 10);
    char* out = path + 16;
    while (n > 0) *out++ = digits[--n];
    const char tail[] = "/children";
    for (char ch : tail) *out++ = ch;
  }
  for (;;) {
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      char buf[4096];
      const ssize_t got = ::read(fd, buf, sizeof buf);
      ::close(fd);
      pid_t pid = 0;
      for (ssize_t i = 0; i < got; ++i) {
        if (buf[i] >= '0' && buf[i] <= '9') {
          pid = pid * 10 + (buf[i] - '0');
        } else if (pid > 0) {
          ::kill(pid, SIGKILL);
          pid = 0;
        }
      }
    }
    // One death at a time: its orphans are children when the loop reads again.
    if (::waitpid(-1, nullptr, __WALL) < 0 && errno == ECHILD) return;
  }
}

// Reads a small file whole into buf, NUL-terminated. False when it does not
// fit (the caller must not act on part of it) or cannot be read.
bool read_whole(const char* path, char* buf, std::size_t size) noexcept {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::size_t used = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf + used, size - 1 - used);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      buf[used] = 0;
      if (n < 0) return false;
      return true;
    }
    used += static_cast<std::size_t>(n);
    if (used == size - 1) {
      ::close(fd);
      errno = E2BIG;
      return false;
    }
  }
}

// mountinfo writes a space, tab, newline and backslash in a path as \ooo.
void unescape_octal(char* s) noexcept {
  char* out = s;
  for (char* in = s; *in;) {
    if (in[0] == '\\' && in[1] >= '0' && in[1] <= '7' && in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
      *out++ = static_cast<char>((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
      in += 4;
    } else {
      *out++ = *in++;
    }
  }
  *out = 0;
}

// The next space-separated field of a mountinfo line, NUL-terminated in place.
char* next_field(char*& at) noexcept {
  while (*at == ' ') ++at;
  if (!*at) return nullptr;
  char* start = at;
  while (*at && *at != ' ') ++at;
  if (*at) *at++ = 0;
  return start;
}

bool set_read_only(const char* path) noexcept {
  struct {
    std::uint64_t attr_set, attr_clr, propagation, userns_fd;
  } read_only{0x1 /* MOUNT_ATTR_RDONLY */, 0, 0, 0};
  return ::syscall(SYS_mount_setattr, AT_FDCWD, path, 0, &read_only, sizeof read_only) == 0;
}

// Moving into a cgroup v2 needs no write to the cgroup file system:
// clone3(CLONE_INTO_CGROUP) takes a descriptor of any cgroup2 directory, and
// the kernel checks only the mode of the common ancestor's cgroup.procs,
// which the host's uid 0 passes. A read-only mount does not stop it, so a
// root program could start children outside the run's cgroup (on a pure v2
// machine: outside its memory, pids and cpu limits) or outside the cgroup
// seccage was started in. So each cgroup2 mount shows the sandbox only its
// own cgroup (bound over the mount point, as a cgroup namespace's mount
// would), and a mount that does not contain it shows an empty tmpfs; both
// read-only. The files are read whole before anything is mounted; a static
// buffer, because nothing may allocate after the clone.
bool hide_other_cgroups() noexcept {
  static char own_text[8192], info[1 << 20], source[8192];
  if (!read_whole("/proc/self/cgroup", own_text, sizeof own_text)) return false;
  const char* own = nullptr;  // "/seccage/run-1-0" (the v2 line is "0::PATH")
  for (char* line = own_text; line && *line;) {
    char* end = std::strchr(line, '\n');
    if (end) *end = 0;
    if (std::strncmp(line, "0::", 3) == 0) own = line + 3;
    line = end ? end + 1 : nullptr;
  }
  if (!own) return true;  // no cgroup v2 hierarchy
  if (!read_whole("/proc/self/mountinfo", info, sizeof info)) return false;
  // First every mount point and the directory to show there, opened
  // (O_PATH) before anything is mounted: a point listed twice (a mount
  // stacked over another) would otherwise resolve into our own bind the
  // second time.
  struct Hide {
    const char* point;
    int source;  // the own cgroup's directory, or -1: an empty tmpfs
  };
  static Hide hides[64];
  std::size_t count = 0;
  for (char* line = info; line && *line;) {
    char* end = std::strchr(line, '\n');
    if (end) *end = 0;
    char* next = end ? end + 1 : nullptr;
    // ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
    char* at = line;
    char* f[5] = {};
    for (auto& field : f) field = next_field(at);
    char* type = nullptr;
    while (char* x = next_field(at)) {
      if (std::strcmp(x, "-") == 0) {
        type = next_field(at);
        break;
      }
    }
    line = next;
    if (!f[4] || !type || std::strcmp(type, "cgroup2") != 0) continue;
    char* root = f[3];
    char* point = f[4];
    unescape_octal(root);
    unescape_octal(point);
    bool seen = false;
    for (std::size_t i = 0; i < count; ++i) seen = seen || std::strcmp(hides[i].point, point) == 0;
    if (seen) continue;
    const std::size_t root_len = std::strcmp(root, "/") == 0 ? 0 : std::strlen(root);
    const bool contains_own = std::strncmp(own, root, root_len) == 0 && (own[root_len] == '/' || own[root_len] == 0);
    int fd = -1;
    if (contains_own) {
      const char* rest = own + root_len;  // own's path below the mount's root
      const std::size_t lp = std::strlen(point), lr = std::strlen(rest);
      if (lp + lr + 1 > sizeof source) {
        errno = ENAMETOOLONG;
        return false;
      }
      std::memcpy(source, point, lp);
      std::memcpy(source + lp, rest, lr + 1);
      fd = ::open(source, O_PATH | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) return false;
    }
    if (count == sizeof hides / sizeof hides[0]) {
      errno = E2BIG;
      return false;
    }
    hides[count++] = Hide{point, fd};
  }
  for (std::size_t i = 0; i < count; ++i) {
    const Hide& h = hides[i];
    if (h.source >= 0) {
      char from[32] = "/proc/self/fd/";
      char digits[12];
      int n = 0;
      for (int v = h.source; v > 0 || n == 0; v /= 10) digits[n++] = static_cast<char>('0' + v % 10);
      char* out = from + 14;
      while (n > 0) *out++ = digits[--n];
      *out = 0;
      const bool ok = ::mount(from, h.point, nullptr, MS_BIND, nullptr) == 0;
      ::close(h.source);
      if (!ok) return false;
    } else if (::mount("none", h.point, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=555") != 0) {
      return false;
    }
    if (!set_read_only(h.point)) return false;
  }
  return true;
}

// For a program that is the host's uid 0: no write to sysfs (devices,
// power, kernel settings), to cgroupfs (which would let it leave its cgroup
// and its limits, or kill and freeze other cgroups) or to the kernel's
// settings under /proc. The program cannot undo it: mounting is refused to
// it (sandbox/guards.hpp). Returns false with errno set.
bool make_host_files_read_only() noexcept {
  struct {
    std::uint64_t attr_set, attr_clr, propagation, userns_fd;
  } read_only{0x1 /* MOUNT_ATTR_RDONLY */, 0, 0, 0};
  if (!hide_other_cgroups()) return false;
  if (::syscall(SYS_mount_setattr, AT_FDCWD, "/sys", 0x8000 /* AT_RECURSIVE */, &read_only, sizeof read_only) != 0 &&
      errno != ENOENT)
    return false;
  // The ones Docker makes read-only, and the driver files root could write
  // on some machines (/proc/acpi/wakeup, dynamic debug, SCSI): absent here
  // and there, skipped when absent.
  for (const char* path : {"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs", "/proc/acpi",
                           "/proc/scsi", "/proc/driver", "/proc/dynamic_debug"}) {
    if (::mount(path, path, nullptr, MS_BIND | MS_REC, nullptr) != 0) {
      if (errno == ENOENT) continue;
      return false;
    }
    if (::mount(nullptr, path, nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
      return false;
  }
  return true;
}

// POSIX shared memory of the sandbox's own: a fresh tmpfs on /dev/shm, gone
// with the mount namespace. Otherwise a file the program leaves there
// outlives the run (memory nobody accounts for, found by a later run of the
// same user), and a root program reaches the host's objects by their mode
// alone, as it did System V's before the IPC namespace. As large as the
// host's, no larger (a container's /dev/shm is often small on purpose: 64 MiB
// under Docker). No /dev/shm, nothing to hide.
bool mount_own_dev_shm() noexcept {
  struct statfs host {};
  if (::statfs("/dev/shm", &host) != 0) return errno == ENOENT || errno == ENOTDIR;
  char options[128] = "mode=1777";
  char* at = options + 9;
  // Appended by hand: nothing may allocate after the clone.
  auto append = [&](const char* key, unsigned long long value) {
    if (value == 0) return;  // not reported: tmpfs's default
    while (*key) *at++ = *key++;
    char digits[24];
    int n = 0;
    for (; value > 0; value /= 10) digits[n++] = static_cast<char>('0' + value % 10);
    while (n > 0) *at++ = digits[--n];
    *at = 0;
  };
  append(",size=", static_cast<unsigned long long>(host.f_blocks) * static_cast<unsigned long long>(host.f_bsize));
  append(",nr_inodes=", static_cast<unsigned long long>(host.f_files));
  return ::mount("shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, options) == 0;
}

// What the program can do to the user's terminal that outlives the run:
// exclusive mode (TIOCEXCL: every later open of the terminal but root's fails
// with EBUSY), output stopped (tcflow TCOOFF, as by ^S: the user's shell then
// blocks on its prompt and the terminal looks dead), and its settings (echo
// off, raw mode). seccage restores the settings itself only when it gave the
// program the terminal; a program with stdin a file reaches the terminal
// through /dev/tty, and ignoring SIGTTOU lets it change it from the
// background. So the init saves the state before the program starts and puts
// it back at the end. Raw ioctls, no libc conversion: the init's own filter
// (src/sandbox/runner.cpp) lets exactly these requests through. The init
// blocks every signal, so the kernel lets it do so from the background.
struct TerminalState {
  int fd = -1;
  int exclusive = 0;
  bool have_settings = false;
  alignas(8) unsigned char settings[128] = {};  // the kernel's struct termios (TCGETS), whatever its size
};

TerminalState save_terminal() noexcept {
  TerminalState t;
  // close-on-exec, and the launcher closes it anyway.
  t.fd = ::open("/dev/tty", O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (t.fd >= 0 && ::ioctl(t.fd, TIOCGEXCL, &t.exclusive) != 0) {
    ::close(t.fd);
    t.fd = -1;
  }
  if (t.fd >= 0) t.have_settings = ::ioctl(t.fd, TCGETS, t.settings) == 0;
  return t;
}

void restore_terminal(const TerminalState& t) noexcept {
  if (t.fd < 0) return;
  ::ioctl(t.fd, TCXONC, TCOON);  // no-op unless output was stopped
  if (t.have_settings) ::ioctl(t.fd, TCSETS, t.settings);  // at once: never waits for output to drain
  if (!t.exclusive) ::ioctl(t.fd, TIOCNXCL);
}

}  // namespace

void run_init(const InitPlan& ip, LaunchPlan& lp) noexcept {
  // Die with seccage. Waiting for seccage's "go" both orders the set-up (the
  // user namespace's maps and the cgroups are ready then) and closes the race
  // with PDEATHSIG: if seccage died before the prctl, the read sees EOF.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (ip.dumpable_for_maps) {
    ::prctl(PR_SET_DUMPABLE, 1);
    send_launch_message(lp.status_fd, LaunchMessage{LaunchMessage::InitReady, 0, 0});
  }
  char go = 0;
  ssize_t n;
  do {
    n = ::read(ip.go_fd, &go, 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1) ::_exit(kStatusFailed);
  ::close(ip.go_fd);
  if (ip.dumpable_for_maps) ::prctl(PR_SET_DUMPABLE, 0);

  // Out of the terminal's process group: Ctrl-C is for seccage (which passes
  // it on) or for the program, when it has the terminal.
  ::setpgid(0, 0);
  if (ip.mount_namespace) {
    // Nothing mounted here reaches the host, and a fresh /proc shows only
    // the sandbox's processes.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) fail(lp, StageMountPrivate, errno);
    if (ip.pid_namespace && ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
      fail(lp, StageMountProc, errno);
    if (ip.pid_namespace && !mount_own_dev_shm()) fail(lp, StageDevShm, errno);
    if (ip.read_only_host_files && !make_host_files_read_only()) fail(lp, StageReadOnly, errno);
  }
  if (!ip.pid_namespace) ::prctl(PR_SET_CHILD_SUBREAPER, 1);

  const TerminalState terminal = save_terminal();

  // Every signal is blocked (seccage cloned us so); the two that matter are
  // taken with sigwaitinfo.
  lp.parent = ::getpid();
  // The launcher's exec is known to have succeeded when seccage reads
  // end-of-file on the status socket, and until then seccage lets the
  // launcher's calls through: so no copy of the launcher's end may outlive
  // that exec. Ours is closed before the launcher may go on (it waits for
  // this pipe), or a fast launcher could exec, and its program make its
  // first denied call, while we still held it.
  int order[2];
  if (::pipe2(order, O_CLOEXEC) != 0) fail(lp, StageInitFork, errno);
  lp.init_sync_fd = order[0];
  const pid_t launcher = ::fork();
  if (launcher < 0) fail(lp, StageInitFork, errno);
  if (launcher == 0) {
    ::close(order[1]);
    launch(lp);
  }
  ::close(order[0]);
  ::close(lp.status_fd);
  [[maybe_unused]] ssize_t sent = ::write(order[1], "g", 1);
  ::close(order[1]);
  if (ip.own_filter) {
    try {
      kernel::load_filter(*ip.own_filter);
    } catch (...) {
      ::kill(launcher, SIGKILL);  // no program runs next to an init it could take over
    }
  }

  InitResult result{};
  result.launched = 1;
  bool program_done = false;
  sigset_t wanted;
  sigemptyset(&wanted);
  sigaddset(&wanted, SIGCHLD);
  sigaddset(&wanted, SIGTERM);
  for (bool stop = false; !stop;) {
    siginfo_t si{};
    const int sig = ::sigwaitinfo(&wanted, &si);
    if (sig == SIGTERM && from_seccage(ip, si)) stop = true;
    for (;;) {
      int status = 0;
      rusage ru{};
      const pid_t p = ::wait4(-1, &status, WNOHANG | WUNTRACED | __WALL, &ru);
      if (p <= 0) break;
      if (WIFSTOPPED(status)) {
        const int by = WSTOPSIG(status);
        if (p == launcher && (by == SIGTSTP || by == SIGTTIN || by == SIGTTOU)) {
          InitResult stopped{};
          stopped.stopped_by = by;
          [[maybe_unused]] ssize_t w = ::write(ip.result_fd, &stopped, sizeof stopped);
        }
        continue;
      }
      if (p == launcher) {
        result.wait_status = status;
        result.program = ru;
        program_done = stop = true;
      }
    }
  }

  // The end: nothing the program started outlives it.
  if (ip.pid_namespace) {
    ::kill(-1, SIGKILL);  // every process of the namespace but this one
    for (;;) {
      int status = 0;
      rusage ru{};
      const pid_t p = ::wait4(-1, &status, __WALL, &ru);
      if (p < 0) {
        if (errno == EINTR) continue;
        break;  // ECHILD: no one left
      }
      if (p == launcher && !program_done) {
        result.wait_status = status;
        result.program = ru;
        program_done = true;
      }
    }
  } else {
    if (!program_done) {
      ::kill(launcher, SIGKILL);
      rusage ru{};
      if (::wait4(launcher, &result.wait_status, __WALL, &ru) == launcher) result.program = ru;
    }
    kill_descendants_as_subreaper(launcher);
  }
  restore_terminal(terminal);
  ::getrusage(RUSAGE_CHILDREN, &result.all);
  [[maybe_unused]] ssize_t w = ::write(ip.result_fd, &result, sizeof result);
  ::_exit(0);
}

}  // namespace seccage::sandbox
